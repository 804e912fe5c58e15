import Glibc
import Platform

/// Whole-file writes that a reader never sees half done, Foundation-free so
/// that every failure keeps its errno (a full disk says so, not
/// "NSCocoaErrorDomain error 512").
enum FileWriter {
    /// Writes `bytes` to a temporary file beside `path`, then renames it over
    /// `path`: the old contents or the new, never a mix. A failure removes the
    /// temporary file and throws `BenchError.io` with the errno.
    static func replace(_ path: String, with bytes: [UInt8]) throws(BenchError) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError.io("cannot write \(path)", errno: errno) }
        if let code = FileDescriptor.writeAll(fd, bytes) {
            close(fd)
            unlink(temporary)
            throw BenchError.io("cannot write \(path)", errno: code)
        }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw BenchError.io("cannot write \(path)", errno: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw BenchError.io("cannot write \(path)", errno: code)
        }
    }

    static func replace(_ path: String, with text: String) throws(BenchError) {
        try replace(path, with: Array(text.utf8))
    }

    /// Creates `path` and every missing folder above it (mkdir -p).
    static func makeFolders(_ path: String) throws(BenchError) {
        guard !path.isEmpty else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BenchError.io("cannot create folder \(prefix)", errno: errno)
            }
            var status = stat()
            guard stat(prefix, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw BenchError.io("cannot create folder \(prefix): it exists and is not a folder", errno: nil)
            }
            prefix += "/"
        }
    }
}
