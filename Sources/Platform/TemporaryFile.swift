import CEpoll
import Glibc

/// Files and folders with names nobody can guess or plant beforehand:
/// `mkostemp` and `mkdtemp` create them with O_EXCL semantics, so a symbolic
/// link or file already at a predictable name (`x.tmp-<pid>`) can never make
/// bench write through it.
public enum TemporaryFile {
    /// Creates `folder/<prefix>XXXXXX`, a new empty file only this user can
    /// read (mode 0600), open for writing and close-on-exec.
    public static func create(in folder: String, prefix: String) throws(SystemCallError) -> (descriptor: Int32, path: String) {
        var template = Array("\(folder.isEmpty ? "." : folder)/\(prefix)XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkostemp($0.baseAddress!, O_CLOEXEC) }
        guard fd >= 0 else { throw SystemCallError("cannot create a file in \(folder.isEmpty ? "." : folder)", errno: errno, fix: "check the folder's permissions and free space") }
        return (fd, String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Creates `base/<prefix>XXXXXX`, a new folder only this user can enter (mode 0700).
    public static func makeFolder(in base: String, prefix: String) throws(SystemCallError) -> String {
        var template = Array("\(base)/\(prefix)XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw SystemCallError("cannot create a folder in \(base)", errno: errno, fix: "check TMPDIR and its permissions")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The process's file-creation mask, read without changing it (/proc/self/status's `Umask`).
    public static var creationMask: mode_t {
        let status = ProcFile.read("/proc/self/status") ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        return line.flatMap { mode_t(String($0.dropFirst("Umask:".count).filter(\.isNumber)), radix: 8) } ?? 0o022
    }
}
