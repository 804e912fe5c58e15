import CEpoll
import Glibc

/// The kernel's ids of this process's threads: the names of the
/// `/proc/self/task/<tid>` folders that hold each thread's own statistics.
public enum ThreadIDs {
    /// The calling thread's id.
    public static var current: Int32 { bench_thread_id() }

    /// Every thread that exists now (only the caller when /proc cannot be listed).
    public static func all() -> [Int32] {
        guard let folder = opendir("/proc/self/task") else { return [current] }
        defer { closedir(folder) }
        var ids: [Int32] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let id = Int32(name) { ids.append(id) }
        }
        return ids
    }
}
