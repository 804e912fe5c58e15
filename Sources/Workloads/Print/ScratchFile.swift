import Glibc
import Platform

/// A file for lines that bench reads back, unlinked as soon as it is
/// created: it has no name to leave behind, even when bench is killed, and
/// lives exactly as long as its descriptors.
enum ScratchFile {
    /// Creates one in `$TMPDIR` (or /tmp), opened for reading and appending
    /// (several processes write through one open file, and O_APPEND keeps
    /// their lines whole), close-on-exec.
    static func create() throws(SystemCallError) -> Int32 {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/bench-sink-XXXXXX".utf8CString)
        // mkostemp would set both flags at once, but Glibc's module omits it (_GNU_SOURCE);
        // a leak into a child spawned in between would only keep the file alive longer.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SystemCallError("cannot create a file for the sink in \(folder)", errno: errno, fix: "set TMPDIR to a writable folder")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        FileDescriptor.setCloseOnExec(fd)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND)
        return fd
    }
}
