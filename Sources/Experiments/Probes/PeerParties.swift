import Engine
import Glibc
import Platform

/// The `bench-worker state-peer` processes of one sample and the shared
/// segment they work on: started together, released together at the start
/// gate, waited for on the segment's semaphores in short slices between which
/// each party's liveness is checked, so that a party that dies is one error
/// naming it, never a hang. Every party is reaped however the sample ends.
final class PeerParties {
    let segment: SharedSegment
    private(set) var peers: [PeerProcess] = []

    /// `prepare` initializes the segment's semaphores and words before any party starts.
    init(
        _ count: Int, role: String, prepare: (SharedSegment) -> Void = { _ in },
        arguments: (Int) -> [String]
    ) throws {
        segment = try SharedSegment(slots: SharedStateSlot.slots(parties: count))
        prepare(segment)
        do {
            for index in 0..<count {
                let descriptor = fcntl(segment.descriptor, F_DUPFD_CLOEXEC, 10)
                guard descriptor >= 0 else { throw SystemCallError("cannot duplicate the shared segment's descriptor", errno: errno) }
                peers.append(try PeerProcess(arguments(index), descriptors: [descriptor], role: count == 1 ? role : "\(role) \(index + 1)"))
            }
        } catch {
            stop()
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Kills and reaps every party still there.
    func stop() {
        peers.forEach { $0.stop() }
    }

    /// Takes `times` posts of semaphore `slot`, within `seconds` in all: a
    /// party that ends badly meanwhile, or the time running out, is an error.
    func waitFor(_ slot: Int, times: Int = 1, seconds: Double, what: String) throws {
        let deadline = MonotonicClock.deadline(afterSeconds: seconds)
        var taken = 0
        while taken < times {
            if segment.wait(slot, seconds: 0.05) {
                taken += 1
                continue
            }
            if let broken = peers.first(where: { $0.child.hasEnded() && !($0.child.wait().status.isSuccess) }) {
                throw broken.failure(what)
            }
            if MonotonicClock.now() > deadline {
                let ended = peers.filter { $0.child.hasEnded() }.count
                stop()
                throw BenchError.runFailed(
                    "\(taken) of \(times) parties were through \(what) after \(String(format: "%.0f", seconds)) s (\(ended) of \(peers.count) had ended)",
                    fix: "raise --timeout, or lower the counts; a machine this busy may need both")
            }
        }
    }

    /// Runs a sample of parties that each post `ready`, wait at the start gate,
    /// do their part and post `done`: when all are ready, opens the gate to
    /// all at once and waits for them to be done and ended well; the span
    /// from the opening to the last party's end, in seconds.
    func runAll(seconds: Double, while doing: String) throws -> Double {
        try waitFor(SharedStateSlot.ready, times: peers.count, seconds: seconds, what: "before it was ready")
        let start = MonotonicClock.now()
        segment.post(SharedStateSlot.start, times: peers.count)
        try waitFor(SharedStateSlot.done, times: peers.count, seconds: seconds, what: doing)
        try finish()
        return MonotonicClock.seconds(from: start, to: lastEnd)
    }

    /// Waits for every party to end well (they have posted `done` by then).
    func finish() throws {
        for peer in peers { try peer.finish() }
    }

    /// The latest end time the parties wrote (`MonotonicClock` ns).
    var lastEnd: UInt64 {
        UInt64(peers.indices.map { segment.word(SharedStateSlot.party($0, .end)).pointee }.max() ?? 0)
    }

    /// What each party wrote into its `count` slot.
    var counts: [Int] {
        peers.indices.map { segment.word(SharedStateSlot.party($0, .count)).pointee }
    }

    /// Their CPU seconds over their parts, summed.
    var cpuSeconds: Double {
        Double(peers.indices.map { segment.word(SharedStateSlot.party($0, .cpuMicroseconds)).pointee }.reduce(0, +)) / 1e6
    }
}
