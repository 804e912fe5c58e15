import Glibc

/// The peak resident set size of this process, resettable between samples.
///
/// `ru_maxrss` only ever grows over a process's life, so it cannot give one
/// sample's peak. Linux lets a process reset its own high-water mark
/// (`/proc/self/clear_refs` with "5") and read it back as `VmHWM`.
enum PeakMemory {
    /// Resets the high-water mark to the current RSS. Returns false when the
    /// kernel refuses, in which case readings are the lifetime peak.
    @discardableResult
    static func reset() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// `VmHWM` of this process in KiB, or `ru_maxrss` when /proc is unreadable.
    static func currentKilobytes() -> Int {
        if let text = readProcFile("/proc/self/status"), let value = statusField("VmHWM", in: text) {
            return value
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }

    /// The numeric value (kB) of a `Name:   1234 kB` line of /proc/<pid>/status.
    static func statusField(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(String(digits))
        }
        return nil
    }

    /// A small /proc file read with plain syscalls (Foundation is not needed on this path).
    static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
