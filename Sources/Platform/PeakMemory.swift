import Glibc

/// The peak resident set size of this process, resettable between samples.
///
/// `ru_maxrss` only ever grows over a process's life, so it cannot give one
/// sample's peak; and a child started by posix_spawn inherits its parent's
/// (NOTES-swift-linux.md). Linux lets a process reset its own high-water mark
/// (`/proc/self/clear_refs` with "5") and read it back as `VmHWM`.
public enum PeakMemory {
    /// Resets the high-water mark to the current RSS. Returns false when the
    /// kernel refuses, in which case readings are the lifetime peak.
    @discardableResult
    public static func reset() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// `VmHWM` of this process in KiB, or `ru_maxrss` when /proc is unreadable.
    public static func currentKilobytes() -> Int {
        if let text = ProcFile.read("/proc/self/status"), let value = ProcFile.field("VmHWM", in: text) {
            return value
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }
}
