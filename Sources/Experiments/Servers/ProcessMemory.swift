import Glibc
import Harness
import Platform

/// The memory of a server and every process under it: proportional set
/// size (PSS), which splits each shared page among the processes that map
/// it, so that the prefork models' copy-on-write pages, shared with their
/// parent until written, count once in the sum and not once per worker (RSS would).
public enum ProcessMemory {
    /// `pid` and every descendant of it, found through each process's parent in /proc/<pid>/stat.
    public static func tree(of pid: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        if let folder = opendir("/proc") {
            defer { closedir(folder) }
            while let entry = readdir(folder) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard let child = pid_t(name), let stat = ProcFile.read("/proc/\(name)/stat"),
                      let close = stat.lastIndex(of: ")") else { continue }
                // After "pid (comm) ": the state, then the parent's pid.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, let parent = pid_t(fields[1]) { parents[child] = parent }
            }
        }
        var tree = [pid]
        var index = 0
        while index < tree.count {
            let parent = tree[index]
            tree += parents.filter { $0.value == parent }.map(\.key).sorted()
            index += 1
        }
        return tree
    }

    /// The summed PSS of `pid` and its descendants, in KiB (a process gone meanwhile counts nothing).
    public static func treePssKibibytes(of pid: pid_t) -> Int {
        tree(of: pid).compactMap { ProportionalMemory.of(process: $0)?.pssKilobytes }.reduce(0, +)
    }
}
