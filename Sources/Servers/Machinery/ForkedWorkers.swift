import CEpoll
import Glibc
import Platform

/// The worker processes of the prefork models, forked from the server
/// process, which has started no thread (a fork of a threaded process may
/// copy a lock another thread held). Each worker asks for SIGKILL when the
/// server process ends, so none outlives it, however it ends; they share its
/// process group, which bench kills whole on an abort.
final class ForkedWorkers {
    private(set) var pids: [pid_t] = []

    /// Forks `count` workers, each running `body(index)`, which must not return.
    init(count: Int, body: (Int) -> Never) throws(ServerError) {
        let parent = getpid()
        for index in 0..<count {
            let pid = bench_fork()
            if pid == 0 {
                _ = bench_set_parent_death_signal(SIGKILL)
                // The server may have died between fork and prctl: then nobody would kill us.
                if getppid() != parent { _exit(ParentDeath.parentGoneStatus) }
                body(index)
            }
            guard pid > 0 else {
                let code = errno
                stop()
                throw ServerError("cannot fork worker \(index + 1) of \(count): \(String(cString: strerror(code)))", fix: "check the process limit (ulimit -u)")
            }
            pids.append(pid)
        }
    }

    /// Kills and reaps every worker.
    func stop() {
        for pid in pids { kill(pid, SIGKILL) }
        for pid in pids { _ = ProcessReaper.reap(pid, deadline: nil) }
        pids = []
    }
}
