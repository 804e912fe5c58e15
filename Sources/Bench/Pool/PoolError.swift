import Glibc

/// Why a pool run failed. Each reads as one line, `what — how to fix`, the
/// form every error of bench takes; the runner prints it under the cell.
enum PoolError: Error, CustomStringConvertible {
    /// A worker died (signal or non-zero exit) before finishing its share.
    case workerDied(index: Int, pid: Int32, status: ExitStatus, phase: String)
    /// A worker reported that it could not go on.
    case workerFailed(index: Int, pid: Int32, message: String)
    /// A worker sent bytes that break the protocol, or messages out of order.
    case malformed(index: Int, pid: Int32, detail: String)
    /// The run passed its time limit; every worker was stopped.
    case timedOut(seconds: Double, tasksDone: Int, tasks: Int, unready: Int)
    /// A worker could not be started.
    case spawnFailed(path: String, index: Int, errno: Int32)
    /// A system call the pool needs failed.
    case system(String, errno: Int32)

    var description: String {
        switch self {
        case let .workerDied(index, pid, status, phase):
            let fix = switch status {
            case .signaled(SIGKILL, _):
                "the other workers were stopped; if nobody killed it, look for the OOM killer (dmesg)"
            case .signaled(SIGSEGV, _), .signaled(SIGBUS, _), .signaled(SIGILL, _), .signaled(SIGFPE, _),
                 .signaled(SIGABRT, _), .signaled(SIGTRAP, _):
                "the other workers were stopped; a crash in a worker is a bug in bench or the workload (backtrace above)"
            case .signaled:
                "the other workers were stopped; something outside bench sent that signal"
            case .exited:
                "the other workers were stopped; its own error, if any, is printed above"
            }
            return "worker \(index) (pid \(pid)) \(status) \(phase) — \(fix)"
        case let .workerFailed(index, pid, message):
            return "worker \(index) (pid \(pid)) failed: \(Self.oneLine(message)) — the other workers were stopped"
        case let .malformed(index, pid, detail):
            return "worker \(index) (pid \(pid)) broke the pool protocol: \(detail) — the workers were stopped; "
                + "check that BENCH_WORKER_EXECUTABLE, if set, is this build of bench"
        case let .timedOut(seconds, done, tasks, unready):
            let state = unready > 0 ? "\(unready) workers never became ready" : "\(done) of \(tasks) tasks done"
            return "did not finish within --timeout \(Self.format(seconds)) s (\(state)); every worker was stopped — "
                + "raise --timeout, or look for a hung task"
        case let .spawnFailed(path, index, code):
            return "cannot start worker \(index) from \(path): \(String(cString: strerror(code))) — "
                + "check that it is the bench binary (BENCH_WORKER_EXECUTABLE overrides it) and the process limit (ulimit -u)"
        case let .system(what, code):
            return "\(what): \(String(cString: strerror(code))) — check the process and file limits (ulimit -u, ulimit -n)"
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
