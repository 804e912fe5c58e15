import Glibc
import Platform

/// Why a pool run failed. Each reads as one line, `what — how to fix`, the
/// form every error of bench takes; the runner prints it under the cell.
public enum PoolError: ReportableError {
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
    /// The fork server died (or never answered); status when it could be collected.
    case forkServerDied(pid: Int32, status: ExitStatus?)
    /// A system call the pool needs failed.
    case system(SystemCallError)

    public var what: String {
        switch self {
        case let .workerDied(index, pid, status, phase):
            "worker \(index) (pid \(pid)) \(status) \(phase)"
        case let .workerFailed(index, pid, message):
            "worker \(index) (pid \(pid)) failed: \(message.split(whereSeparator: \.isNewline).joined(separator: " "))"
        case let .malformed(index, pid, detail):
            "worker \(index) (pid \(pid)) broke the pool protocol: \(detail)"
        case let .timedOut(seconds, done, tasks, unready):
            "did not finish within --timeout \(Self.format(seconds)) s ("
                + (unready > 0 ? "\(unready) workers never became ready" : "\(done) of \(tasks) tasks done") + "); every worker was stopped"
        case let .spawnFailed(path, index, code):
            "cannot start worker \(index) from \(path): \(SystemCallError.describe(code))"
        case let .forkServerDied(pid, status):
            "the fork server (pid \(pid)) " + (status.map { "\($0)" } ?? "stopped answering")
        case let .system(error):
            error.what
        }
    }

    public var fix: String {
        switch self {
        case let .workerDied(_, _, status, _):
            switch status {
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
        case .workerFailed:
            "the other workers were stopped"
        case .malformed:
            "the workers were stopped; check that \(HelperExecutable.environmentVariable), if set, is this build's bench-worker"
        case .timedOut:
            "raise --timeout, or look for a hung task"
        case .spawnFailed:
            "check that bench-worker is built (\(HelperExecutable.buildCommand)) and the process limit (ulimit -u)"
        case .forkServerDied:
            "the cells that needed it failed; the next cell starts a new one (or use --start-method spawn)"
        case let .system(error):
            error.fix
        }
    }

    public var exitCode: ExitCode { .runFailed }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
