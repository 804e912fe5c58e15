import Platform
import Synchronization

/// What the loops of one server share: the stop request and the counters.
final class ServerShared: Sendable {
    let stopRequested = Atomic<Bool>(false)
    let responsesWritten = Atomic<Int>(0)
    let connectionsAccepted = Atomic<Int>(0)
    /// Set once when accept runs out of descriptors, so the warning is printed once.
    let descriptorsExhausted = Atomic<Bool>(false)
}
