import Glibc
import Platform

/// Where an `--export-<format>` file goes, decided when the flag is read,
/// before anything is measured, so that a path that cannot be written is a
/// usage error naming the flag rather than a surprise after the run.
///
/// An export never replaces what is not a file of its own kind: a regular
/// file (or nothing yet) is replaced whole through a temporary file and a
/// rename; an existing character device or FIFO (`/dev/null`, `/dev/tty`, a
/// named pipe someone reads) is written through; `-` and `/dev/stdout` are
/// standard output. Anything else (a symbolic link to a file, a folder, a
/// socket) is refused. A failed write (a full disk, a reader gone, a closed
/// standard output) is an error, never a lost export and exit 0.
public enum ExportTarget: Sendable, Equatable {
    /// One of bench's own descriptors: 1 for `-` and `/dev/stdout`, 2 for `/dev/stderr`.
    case descriptor(Int32)
    /// An existing character device or FIFO, opened for writing without creating or truncating.
    case stream(String)
    /// A regular file, or nothing yet: replaced whole.
    case file(String)

    /// What `path` given to `flag` is, or a usage error (exit 64) saying why it cannot be written.
    public static func check(_ path: String, flag: String) throws -> ExportTarget {
        if let stream = standardStream(path) {
            guard !StandardStreams.wasClosed(stream) else {
                throw BenchError.usage(
                    "\(flag) \(path): \(stream == 1 ? "standard output" : "standard error") is closed",
                    fix: "run bench with it open, or give \(flag) a file")
            }
            return .descriptor(stream)
        }
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw BenchError.usage("\(flag) needs a file name, got '\(path)'", fix: "e.g. \(flag) report.md, or - for standard output")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let code = errno
            guard code == ENOENT else { throw unusable(path, flag: flag, SystemCallError.describe(code)) }
            try checkFolder(of: path, flag: flag)
            return .file(path)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            try checkFolder(of: path, flag: flag)
            return .file(path)
        case S_IFCHR, S_IFIFO:
            guard access(path, W_OK) == 0 else { throw unusable(path, flag: flag, SystemCallError.describe(errno)) }
            return .stream(path)
        case S_IFLNK:
            // A link to a device or pipe is written through (/dev/stdout is one, when not fd 1's); a link
            // to a file is refused: replacing the link, or the file behind it, is a choice for the user.
            var target = stat()
            if stat(path, &target) == 0, [S_IFCHR, S_IFIFO].contains(target.st_mode & S_IFMT) {
                guard access(path, W_OK) == 0 else { throw unusable(path, flag: flag, SystemCallError.describe(errno)) }
                return .stream(path)
            }
            throw BenchError.usage(
                "\(flag) \(path) is a symbolic link", fix: "give the path of the file it points to, or remove the link")
        case S_IFDIR:
            throw BenchError.usage("\(flag) \(path) is a folder", fix: "give a file name, e.g. \(flag) \(path)/report")
        default:
            throw BenchError.usage(
                "\(flag) \(path) is neither a regular file, a character device nor a FIFO", fix: "give a file name")
        }
    }

    /// Writes `bytes` whole; a failure names `flag` and the errno's meaning (exit 1).
    public func write(_ bytes: [UInt8], flag: String) throws {
        switch self {
        case let .descriptor(stream):
            if let code = FileDescriptor.writeAll(stream, bytes) {
                throw Self.failed(stream == 1 ? "standard output" : "standard error", flag: flag, code)
            }
        case let .stream(path):
            // Blocks until a FIFO has a reader, as a shell's redirection does.
            let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw Self.failed(path, flag: flag, errno) }
            var status = stat()
            guard fstat(fd, &status) == 0, [S_IFCHR, S_IFIFO].contains(status.st_mode & S_IFMT) else {
                close(fd)
                throw BenchError.runFailed("cannot write \(flag) \(path): it is no longer a device or FIFO", fix: "give \(flag) another path")
            }
            let failure = FileDescriptor.writeAll(fd, bytes)
            // close reports a write error some devices and file systems defer until then.
            let closeFailure = close(fd) == 0 ? nil : errno
            if let code = failure ?? closeFailure { throw Self.failed(path, flag: flag, code) }
        case let .file(path):
            let failure: BenchError?
            do {
                try FileWriter.replace(path, with: bytes)
                failure = nil
            } catch {
                failure = error
            }
            if let failure {
                guard let code = failure.errorNumber else { throw failure }
                throw Self.failed(path, flag: flag, code)
            }
        }
    }

    /// `-`, `/dev/stdout` and friends: the descriptor bench writes itself.
    private static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": 1
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": 2
        default: nil
        }
    }

    /// A new file can be made in `path`'s folder: one is made there and removed.
    private static func checkFolder(of path: String, flag: String) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        var status = stat()
        guard stat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw BenchError.usage("\(flag) \(path): the folder \(folder) does not exist", fix: "create it first, or write the file elsewhere")
        }
        do {
            let (fd, probe) = try TemporaryFile.create(in: folder, prefix: ".bench-export-check-")
            close(fd)
            unlink(probe)
        } catch {
            throw unusable(path, flag: flag, "cannot create a file in \(folder): \(error.reason)")
        }
    }

    private static func unusable(_ path: String, flag: String, _ why: String) -> BenchError {
        .usage("\(flag) \(path) cannot be written (\(why))", fix: "give \(flag) a path you can write, e.g. \(flag) report")
    }

    private static func failed(_ what: String, flag: String, _ code: Int32) -> BenchError {
        .runFailed("cannot write \(flag) to \(what): \(SystemCallError.describe(code))", fix: fix(flag: flag, code))
    }

    private static func fix(flag: String, _ code: Int32?) -> String {
        switch code {
        case ENOSPC, EDQUOT: "the disk is full: free some space, or give \(flag) another path"
        case EPIPE: "its reader went away before the end: keep it reading, or give \(flag) a file"
        case EBADF: "it is closed: run bench with it open, or give \(flag) a file"
        default: "give \(flag) another path; the run folder has the results"
        }
    }
}

extension BenchError {
    /// The errno of an `.io` error, if it has one.
    var errorNumber: Int32? {
        if case let .io(_, code) = self { return code }
        return nil
    }
}
