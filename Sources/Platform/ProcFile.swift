import Glibc

/// Small files of /proc and /sys read with plain system calls: every layer
/// reads a few (status, loadavg, cpuinfo, cgroup limits), Foundation-free.
public enum ProcFile {
    /// The whole file as text, or nil when it cannot be opened.
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let (bytes, failure) = FileDescriptor.readToEnd(fd)
        return failure == nil ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// The numeric value (kB) of a `Name:   1234 kB` line of /proc/<pid>/status.
    public static func statusField(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(String(digits))
        }
        return nil
    }
}
