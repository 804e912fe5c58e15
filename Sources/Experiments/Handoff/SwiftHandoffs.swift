import Engine
import Glibc
import Harness
import Platform
import Synchronization

/// Swift's hand-offs: control passed to another party and back, `count`
/// round trips (two hand-offs each), every value passed checked.
enum SwiftHandoffs {
    /// The span of the timed round trips and the CPU time of both parties over it.
    struct Span {
        var seconds: Double
        var cpuSeconds: Double
    }

    /// The baseline: a call through a closure the optimizer cannot see into, and its return.
    static func call(count: Int) throws -> Span {
        let step = opaqueStep()
        var value = 0
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        for _ in 0..<count { value = step(value) }
        let seconds = MonotonicClock.seconds(since: start)
        let cpu = SwiftChannels.cpu(ResourceUsage.currentProcess() - before)
        guard value == count else {
            throw BenchError.runFailed("the calls returned \(value), expected \(count)", fix: "this is a bug in the probe")
        }
        return Span(seconds: seconds, cpuSeconds: cpu)
    }

    @inline(never)
    static func opaqueStep() -> @Sendable (Int) -> Int {
        { $0 &+ 1 }
    }

    /// Two tasks on the cooperative pool, each suspended on a continuation the other resumes.
    static func asyncTasks(count: Int) throws -> Span {
        try blockingAwait {
            let toB = Mailbox()
            let toA = Mailbox()
            let other = Task {
                for _ in 0...count { toA.send(await toB.receive() &+ 1) }
            }
            // One untimed round trip: the other task is running.
            toB.send(-1)
            _ = await toA.receive()
            let before = ResourceUsage.currentProcess()
            let start = MonotonicClock.now()
            for index in 0..<count {
                toB.send(index)
                guard await toA.receive() == index &+ 1 else {
                    throw BenchError.runFailed("the other task answered wrongly to \(index)", fix: "this is a bug in the probe")
                }
            }
            let seconds = MonotonicClock.seconds(since: start)
            let cpu = SwiftChannels.cpu(ResourceUsage.currentProcess() - before)
            await other.value
            return Span(seconds: seconds, cpuSeconds: cpu)
        }
    }

    /// Two threads taking turns on one mutex and condition variable.
    static func threadCondition(count: Int) throws -> Span {
        let turns = Turns()
        let other = try NativeThread.start(name: "handoff") {
            for _ in 0..<count { turns.answer() }
        }
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        var wrong: Int?
        for index in 0..<count where turns.ask(index) != index &+ 1 && wrong == nil {
            wrong = index
        }
        let seconds = MonotonicClock.seconds(since: start)
        let cpu = SwiftChannels.cpu(ResourceUsage.currentProcess() - before)
        other.join()
        if let wrong {
            throw BenchError.runFailed("the other thread answered wrongly to \(wrong)", fix: "this is a bug in the probe")
        }
        return Span(seconds: seconds, cpuSeconds: cpu)
    }

    /// Two processes on a pipe pair: 8-byte round trips through a bench-worker echo process.
    static func processPipe(count: Int) throws -> Span {
        let span = try SwiftChannels.processRoundTrips(socket: false, size: ProbeMessage.minimumSize, count: count, warmup: 1)
        return Span(seconds: span.seconds, cpuSeconds: span.cpuSeconds)
    }
}

/// One value handed from one task to another: the receiver suspends until
/// it is sent, the sender resumes it (or leaves the value for it to take).
private final class Mailbox: Sendable {
    private struct State {
        var value: Int?
        var waiter: CheckedContinuation<Int, Never>?
    }

    private let state = Mutex(State())

    func send(_ value: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, Never>? in
            guard let waiter = state.waiter else {
                state.value = value
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: value)
    }

    func receive() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int? in
                guard let value = state.value else {
                    state.waiter = continuation
                    return nil
                }
                state.value = nil
                return value
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Two threads taking turns: one asks with a value, the other answers it plus one.
private final class Turns: @unchecked Sendable {
    private let state = LockedCondition()
    // Guarded by `state`.
    private var askerTurn = true
    private var value = 0

    func ask(_ question: Int) -> Int {
        state.lock()
        value = question
        askerTurn = false
        state.signal()
        while !askerTurn { state.wait() }
        let answer = value
        state.unlock()
        return answer
    }

    func answer() {
        state.lock()
        while askerTurn { state.wait() }
        value &+= 1
        askerTurn = true
        state.signal()
        state.unlock()
    }
}
