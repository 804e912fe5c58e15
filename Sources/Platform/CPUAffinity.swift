import CEpoll
import Glibc

/// Which CPUs this process may run on, and pinning it to some of them
/// (`--cpus`), so that a cell measures a set number of cores.
public enum CPUAffinity {
    /// The CPUs the kernel lets this process use now (its affinity mask).
    public static func allowed() -> [Int] {
        var cpus = [Int32](repeating: -1, count: 1024)
        let count = cpus.withUnsafeMutableBufferPointer { bench_allowed_cpus($0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return [] }
        return cpus[0..<Int(count)].map(Int.init)
    }

    /// Pins every thread of this process (they exist already: the
    /// cooperative pool's, an HTTP client's loops) and `others` (single-threaded
    /// processes such as the fork server, whose forks inherit it) to `cpus`.
    public static func pin(_ cpus: [Int], alsoProcesses others: [pid_t] = []) throws(SystemCallError) {
        let list = cpus.map(Int32.init)
        let threads: [Int32] = ThreadIDs.all()
        for tid in threads + others.map({ Int32($0) }) {
            let status = list.withUnsafeBufferPointer { bench_set_allowed_cpus(tid, $0.baseAddress, Int32($0.count)) }
            // A thread that ended between the listing and the call is no error.
            if status != 0 && errno != ESRCH {
                throw SystemCallError("cannot pin to CPUs \(cpus.map(String.init).joined(separator: ","))", errno: errno, fix: "choose CPUs from the allowed set (taskset -p \(getpid()))")
            }
        }
    }
}
