import Glibc
import Platform

/// Whole-file writes that a reader never sees half done, Foundation-free so
/// that every failure keeps its errno (a full disk says so, not
/// "NSCocoaErrorDomain error 512").
enum FileWriter {
    /// Writes `bytes` to a new temporary file beside `path` (an unguessable
    /// name made with O_EXCL: nothing planted there can be written through),
    /// then renames it over `path`: the old contents or the new, never a mix.
    /// Only a regular file or nothing is replaced; a failure removes the
    /// temporary file and throws `BenchError.io` with the errno.
    static func replace(_ path: String, with bytes: [UInt8]) throws(BenchError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let (fd, temporary): (Int32, String)
        do {
            (fd, temporary) = try TemporaryFile.create(in: folder, prefix: ".\(name).tmp-")
        } catch {
            throw BenchError.io("cannot write \(path)", errno: error.code)
        }
        func fail(_ code: Int32?) -> BenchError {
            unlink(temporary)
            return BenchError.io("cannot write \(path)", errno: code)
        }
        // mkostemp makes it 0600; the file is the user's as any other they create.
        fchmod(fd, 0o644 & ~creationMask)
        if let code = FileDescriptor.writeAll(fd, bytes) {
            close(fd)
            throw fail(code)
        }
        guard close(fd) == 0 else { throw fail(errno) }
        var existing = stat()
        if lstat(path, &existing) == 0 && existing.st_mode & S_IFMT != S_IFREG {
            unlink(temporary)
            throw BenchError.io("cannot replace \(path): it is not a regular file (a link, device, pipe or folder)", errno: nil)
        }
        guard rename(temporary, path) == 0 else { throw fail(errno) }
    }

    /// Read once: the mask applies to every file bench writes.
    private static let creationMask = TemporaryFile.creationMask

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
