import Dispatch
import Glibc
import Platform

/// Fires a handler if a run outlives its deadline. In-process models cannot be
/// stopped from outside (a thread cannot be killed), so for them the handler
/// ends the whole process once the files are closed; process models stop
/// their own workers first and the watchdog is only a backstop.
final class Watchdog: @unchecked Sendable {
    private let item: DispatchWorkItem

    init(seconds: Double, onExpiry: @escaping @Sendable () -> Void) {
        item = DispatchWorkItem(block: onExpiry)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
    }

    func cancel() {
        item.cancel()
    }

    /// How long past `--timeout` a phase may go on before the watchdog ends
    /// the run: process models stop their workers at the timeout itself and
    /// need a moment to say so; 0.8 s keeps every stop within timeout + 1 s.
    static let graceSeconds = 0.8

    /// Runs one phase of a cell (its reference run, a warmup or sample) under
    /// a bound: past `timeout` + `graceSeconds`, or when a stop request finds
    /// it still running, the recorder closes the run folder with the rows that
    /// are whole and bench exits, its children killed (and exec's programs,
    /// which die with the thread that started them, with it).
    static func bounding<Value>(
        _ what: String, timeout: Double, recorder: any SampleRecorder, soFar: InvocationOutcome, _ body: () throws -> Value
    ) throws -> Value {
        let watchdog = Watchdog(seconds: timeout + graceSeconds) {
            recorder.abandon(because: "\(what) did not finish within --timeout \(timeout) s", soFar: soFar)
            ChildRegistry.killAll()
            // _exit, not exit: a hung task may hold a stdio lock that exit's flush would wait on forever.
            _exit(ExitCode.runFailed.rawValue)
        }
        defer { watchdog.cancel() }
        return try Interruption.during(Interruption.StopAction {
            recorder.interrupt(soFar: soFar)
            ChildRegistry.killAll()
            _exit(ExitCode.runFailed.rawValue)
        }, body)
    }
}
