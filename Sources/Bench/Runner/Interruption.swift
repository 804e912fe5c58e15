import Glibc
import Synchronization

/// Ctrl-C handling: the first SIGINT (or SIGTERM) asks the runner to stop after
/// the run in progress, keeping and summarising what was measured; a second
/// one ends the process at once, with the children it started.
enum Interruption {
    private static let flag = Atomic<Bool>(false)

    static var isRequested: Bool {
        flag.load(ordering: .relaxed)
    }

    static func install() {
        // Touched here so the signal handler never runs a lazy initializer.
        _ = isRequested
        ChildRegistry.prepare()
        // A signal mask is inherited across exec: a parent that blocked these
        // (some test runners and launchers do) would leave Ctrl-C pending forever.
        var handled = sigset_t()
        sigemptyset(&handled)
        sigaddset(&handled, SIGINT)
        sigaddset(&handled, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { received in
                // Only async-signal-safe calls here: atomics, write(2), kill(2), _exit(2).
                if Interruption.flag.exchange(true, ordering: .relaxed) {
                    // The second one: stop the children that live in groups of their own, then go.
                    ChildRegistry.killAll()
                    _exit(128 + received)
                }
                let message = "\nbench: stopping after the current run; press Ctrl-C again to abort now\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
            }
        }
    }
}
