import Glibc
import Platform
import Synchronization

/// Ctrl-C and SIGTERM handling: the first one asks the runner to stop after
/// the sample in progress, keeping and summarising what was measured; only a
/// later, deliberate one ends the process at once, with the children it started.
///
/// A sample (or reference run) that would keep a stop waiting is not waited
/// for: `patienceSeconds` after the first request, the phase's `StopAction`
/// ends it (the run folder closed as interrupted, the children killed, bench
/// gone), so the first request stops any phase within a second.
///
/// "Deliberate" because signals come in pairs that are one request: GNU
/// `timeout` sends SIGTERM to bench and then to its whole process group
/// within microseconds, and bench is in that group. So a second SIGINT (a
/// user pressing Ctrl-C again) aborts, and a second SIGTERM aborts only when
/// it comes at least a second after the first.
public enum Interruption {
    private static let requestedAt = Atomic<UInt64>(0)
    static let deliberateGapNanoseconds: UInt64 = 1_000_000_000
    /// How long a phase may go on after the first request before its stop action runs.
    static let patienceSeconds = 0.75
    /// The write end of the pipe the handler wakes the stopping thread through (-1 before `install`).
    private static let wakeup = Atomic<Int32>(-1)
    /// What ends the phase in progress now, when there is a phase that would not end soon on its own.
    private static let action = Mutex<StopAction?>(nil)

    public static var isRequested: Bool {
        requestedAt.load(ordering: .relaxed) != 0
    }

    /// How the phase in progress is ended when a stop request is not reached in time.
    public struct StopAction: Sendable {
        let run: @Sendable () -> Void

        public init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }

    /// Runs `body` with `stop` as the way to end it: called (on another
    /// thread) if a stop request is still not honoured `patienceSeconds` after
    /// it came, or at once if it came earlier. `stop` usually ends the process.
    public static func during<Value>(_ stop: StopAction, _ body: () throws -> Value) rethrows -> Value {
        let previous = action.withLock { current in
            defer { current = stop }
            return current
        }
        defer { action.withLock { $0 = previous } }
        return try body()
    }

    public static func install() {
        // Touched here so the signal handler never runs a lazy initializer.
        _ = isRequested
        ChildRegistry.prepare()
        startStopper()
        // A signal mask is inherited across exec: a parent that blocked these
        // (some test runners and launchers do) would leave Ctrl-C pending forever.
        Signals.unblock(Signals.stopSignals)
        for signalNumber in Signals.stopSignals {
            signal(signalNumber) { received in
                // Only async-signal-safe calls here: atomics, clock_gettime, write(2), kill(2), _exit(2).
                var time = timespec()
                clock_gettime(CLOCK_MONOTONIC, &time)
                let now = max(UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec), 1)
                let first = Interruption.requestedAt.compareExchange(expected: 0, desired: now, ordering: .relaxed)
                if first.exchanged {
                    let message = "\nbench: stopping after the current sample (within a second); press Ctrl-C again to abort now\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                    var byte: UInt8 = 1
                    _ = write(Interruption.wakeup.load(ordering: .relaxed), &byte, 1)
                    return
                }
                guard received == SIGINT || now &- first.original >= Interruption.deliberateGapNanoseconds else { return }
                // Stop the children that live in groups of their own, then go.
                ChildRegistry.killAll()
                _exit(128 + received)
            }
        }
    }

    /// The thread that, after the first request and `patienceSeconds`, runs
    /// the stop action of the phase still in progress. Started once.
    private static func startStopper() {
        guard wakeup.load(ordering: .relaxed) < 0, let ends = try? FileDescriptor.makePipe() else { return }
        wakeup.store(ends.write, ordering: .relaxed)
        let stopper = try? NativeThread.start(name: "stop", stackBytes: 128 * 1024) {
            var byte: UInt8 = 0
            while Glibc.read(ends.read, &byte, 1) < 0 && errno == EINTR {}
            usleep(UInt32(patienceSeconds * 1_000_000))
            // A phase that began after the request sees it before starting; one still running now is stopped.
            if let stop = action.withLock({ $0 }) { stop.run() }
        }
        stopper?.detach()
    }
}
