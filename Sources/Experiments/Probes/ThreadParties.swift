import Engine
import Glibc
import Platform
import Synchronization

/// The threads of one sample of an in-process probe: started first, each
/// parked at a gate until all are, then released at once, so that the span
/// (from the gate's opening to the last party's end) holds their work and
/// none of their starting.
enum ThreadParties {
    /// What the parties' span was: its length, and this process's CPU time over it.
    struct Span {
        var seconds: Double
        var cpuSeconds: Double
    }

    /// Runs `body(index)` on `count` new threads at once and waits for them all.
    static func run(_ count: Int, name: String, _ body: @escaping @Sendable (Int) -> Void) throws -> Span {
        let gate = StartGate()
        var threads: [NativeThread] = []
        defer { threads.forEach { $0.join() } }
        let ends = EndTime()
        for index in 0..<count {
            threads.append(try NativeThread.start(name: name) {
                gate.pass()
                body(index)
                ends.record()
            })
        }
        gate.awaitWaiting(count)
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        gate.open()
        threads.forEach { $0.join() }
        threads = []
        let used = ResourceUsage.currentProcess() - before
        return Span(seconds: MonotonicClock.seconds(from: start, to: ends.latest), cpuSeconds: used.userSeconds + used.systemSeconds)
    }
}

/// The latest of several parties' end times (`MonotonicClock` ns).
final class EndTime: Sendable {
    private let value = Atomic<Int>(0)

    func record() {
        value.raise(to: Int(MonotonicClock.now()))
    }

    var latest: UInt64 { UInt64(value.load(ordering: .relaxed)) }
}

/// A gate threads wait at until it opens; it opens once every one expected is waiting.
final class StartGate: @unchecked Sendable {
    private let state = LockedCondition()
    // Guarded by `state`.
    private var isOpen = false
    private var waiting = 0

    func pass() {
        state.lock()
        waiting += 1
        state.broadcast()
        while !isOpen { state.wait() }
        state.unlock()
    }

    /// Returns once `count` threads wait at the gate.
    func awaitWaiting(_ count: Int) {
        state.lock()
        while waiting < count { state.wait() }
        state.unlock()
    }

    func open() {
        state.lock()
        isOpen = true
        state.broadcast()
        state.unlock()
    }
}
