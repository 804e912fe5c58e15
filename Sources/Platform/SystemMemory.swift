import Glibc

/// This machine's memory, for checks that a matrix fits before it starts
/// (a workload that holds memory per task, times the tasks in flight).
public enum SystemMemory {
    /// Installed RAM in bytes (`sysconf`), or nil when the system will not say.
    public static var totalBytes: Int? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : nil
    }

    /// What the kernel estimates can be allocated now without swapping
    /// (`MemAvailable` of /proc/meminfo); the total when that is unreadable.
    public static var availableBytes: Int? {
        if let text = ProcFile.read("/proc/meminfo"), let kibibytes = ProcFile.field("MemAvailable", in: text) {
            return kibibytes * 1024
        }
        return totalBytes
    }

    /// `17.3 GiB`, for messages.
    public static func describe(_ bytes: Int) -> String {
        if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        guard bytes >= 1 << 30 else { return "\(bytes >> 20) MiB" }
        let tenths = Int((Double(bytes) / Double(1 << 30) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) GiB"
    }
}
