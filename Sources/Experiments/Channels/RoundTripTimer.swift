import Harness
import Platform

/// The clock of one sample's round trips, for the blocking exchanges and the
/// awaited one alike (a closure cannot be both): the first `warmup` round
/// trips untimed, then each one's time, and the span and this process's CPU
/// from the first timed one to the end.
struct RoundTripTimer {
    private let warmup: Int
    private var roundTrips: [Double] = []
    private var before = ResourceUsage.currentProcess()
    private var start = MonotonicClock.now()

    init(count: Int, warmup: Int) {
        self.warmup = warmup
        roundTrips.reserveCapacity(count)
    }

    /// Before round trip `index`: the span starts with the first one after the warmup.
    mutating func begin(_ index: Int) {
        if index == warmup {
            before = ResourceUsage.currentProcess()
            start = MonotonicClock.now()
        }
    }

    /// After round trip `index`, its reply checked: its time, kept unless it was a warmup one.
    mutating func end(_ index: Int, seconds: Double) {
        if index >= warmup { roundTrips.append(seconds) }
    }

    /// The span from the first timed round trip to now, with this process's CPU over it.
    func span() -> SwiftChannels.Span {
        let seconds = MonotonicClock.seconds(since: start)
        return SwiftChannels.Span(
            seconds: seconds, cpuSeconds: SwiftChannels.cpu(ResourceUsage.currentProcess() - before), roundTrips: roundTrips)
    }
}
