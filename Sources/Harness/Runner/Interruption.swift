import Glibc
import Platform
import Synchronization

/// Ctrl-C and SIGTERM handling: the first one asks the runner to stop after
/// the sample in progress, keeping and summarising what was measured; only a
/// later, deliberate one ends the process at once, with the children it started.
///
/// "Deliberate" because signals come in pairs that are one request: GNU
/// `timeout` sends SIGTERM to bench and then to its whole process group
/// within microseconds, and bench is in that group. So a second SIGINT (a
/// user pressing Ctrl-C again) aborts, and a second SIGTERM aborts only when
/// it comes at least a second after the first.
public enum Interruption {
    private static let requestedAt = Atomic<UInt64>(0)
    static let deliberateGapNanoseconds: UInt64 = 1_000_000_000

    public static var isRequested: Bool {
        requestedAt.load(ordering: .relaxed) != 0
    }

    public static func install() {
        // Touched here so the signal handler never runs a lazy initializer.
        _ = isRequested
        ChildRegistry.prepare()
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
                    let message = "\nbench: stopping after the current sample; press Ctrl-C again to abort now\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                    return
                }
                guard received == SIGINT || now &- first.original >= Interruption.deliberateGapNanoseconds else { return }
                // Stop the children that live in groups of their own, then go.
                ChildRegistry.killAll()
                _exit(128 + received)
            }
        }
    }
}
