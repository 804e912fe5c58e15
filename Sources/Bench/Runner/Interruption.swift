import Glibc
import Synchronization

/// Ctrl-C handling: the first SIGINT (or SIGTERM) asks the runner to stop after
/// the run in progress, keeping and summarising what was measured; a second
/// one ends the process at once (the default action).
enum Interruption {
    private static let flag = Atomic<Bool>(false)

    static var isRequested: Bool {
        flag.load(ordering: .relaxed)
    }

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { received in
                // Only async-signal-safe calls here: an atomic store, write(2), signal(2).
                Interruption.flag.store(true, ordering: .relaxed)
                let message = "\nbench: stopping after the current run; press Ctrl-C again to abort now\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                signal(received, SIG_DFL)
            }
        }
    }
}
