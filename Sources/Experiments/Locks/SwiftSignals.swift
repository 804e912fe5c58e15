import Dispatch
import Engine
import Glibc
import Platform
import Synchronization
import Workloads

/// Swift's side of the seed's Semaphore(2) program and of its Event, for
/// threads, tasks and processes.
enum SwiftSignals {
    /// What a Semaphore(N) sample measured: the span from the parties' common
    /// start to the last one's release, and the most that were inside at once.
    struct Holds {
        var seconds: Double
        var mostInside: Int
    }

    /// `workers` parties each take a semaphore of `limit`, hold it for
    /// `holdMilliseconds` (sleeping) and give it back.
    static func holds(_ parties: String, workers: Int, limit: Int, holdMilliseconds: Int, timeoutSeconds: Double) throws -> Holds {
        switch parties {
        case "threads":
            let semaphore = DispatchSemaphore(value: limit)
            let inside = Inside()
            let span = try ThreadParties.run(workers, name: "holder") { _ in
                semaphore.wait()
                inside.enter()
                BlockingSleep.milliseconds(holdMilliseconds)
                inside.leave()
                semaphore.signal()
            }
            return Holds(seconds: span.seconds, mostInside: inside.most)
        case "tasks":
            return try blockingAwait {
                let semaphore = AsyncSemaphore(permits: limit)
                let inside = Inside()
                let start = MonotonicClock.now()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<workers {
                        group.addTask {
                            await semaphore.acquire()
                            inside.enter()
                            try await Task.sleep(for: .milliseconds(holdMilliseconds))
                            inside.leave()
                            semaphore.release()
                        }
                    }
                    try await group.waitForAll()
                }
                return Holds(seconds: MonotonicClock.seconds(since: start), mostInside: inside.most)
            }
        default:
            let group = try PeerParties(workers, role: "the semaphore's process", prepare: { LockMetrics.prepare($0, lock: limit) }) { index in
                SharedStatePeer.arguments(mode: .hold, parties: workers, index: index, holdMilliseconds: holdMilliseconds)
            }
            defer { group.stop() }
            let seconds = try group.runAll(seconds: timeoutSeconds, while: "while holding the semaphore")
            return Holds(
                seconds: seconds,
                mostInside: group.segment.atomic(SharedStateSlot.mostHolders).pointee.load(ordering: .relaxed))
        }
    }

    /// `rounds` times: once the waiter is parked on the event (and `pauseMicroseconds`
    /// more, so that it is asleep), set it; the time from the set to the
    /// waiter running again, in seconds, per round.
    static func wakeUps(_ parties: String, rounds: Int, pauseMicroseconds: Int, timeoutSeconds: Double) throws -> [Double] {
        switch parties {
        case "threads": return try threadWakeUps(rounds: rounds, pauseMicroseconds: pauseMicroseconds)
        case "tasks": return try taskWakeUps(rounds: rounds, pauseMicroseconds: pauseMicroseconds, timeoutSeconds: timeoutSeconds)
        default: return try processWakeUps(rounds: rounds, pauseMicroseconds: pauseMicroseconds, timeoutSeconds: timeoutSeconds)
        }
    }

    private static func threadWakeUps(rounds: Int, pauseMicroseconds: Int) throws -> [Double] {
        let event = ThreadEvent()
        let ready = DispatchSemaphore(value: 0)
        let woken = DispatchSemaphore(value: 0)
        let woke = WokeAt()
        let waiter = try NativeThread.start(name: "event-waiter") {
            for _ in 0..<rounds {
                ready.signal()
                event.wait()
                woke.record()
                event.clear()
                woken.signal()
            }
        }
        defer { waiter.join() }
        return setRounds(rounds, pauseMicroseconds: pauseMicroseconds, woke: woke, parked: { _ in ready.wait() }, set: event.set, woken: woken.wait)
    }

    /// The setter's side, `rounds` times: once `parked` returns (the waiter is
    /// parked) and the pause has passed, `set`; then `woken` (the waiter ran);
    /// the time from the set to when the waiter says it woke.
    private static func setRounds(
        _ rounds: Int, pauseMicroseconds: Int, woke: WokeAt, parked: (Int) throws -> Void, set: () -> Void, woken: () -> Void
    ) rethrows -> [Double] {
        var latencies: [Double] = []
        for round in 0..<rounds {
            try parked(round)
            usleep(UInt32(pauseMicroseconds))
            let setAt = MonotonicClock.now()
            set()
            woken()
            latencies.append(MonotonicClock.seconds(from: setAt, to: woke.latest))
        }
        return latencies
    }

    private static func taskWakeUps(rounds: Int, pauseMicroseconds: Int, timeoutSeconds: Double) throws -> [Double] {
        let event = AsyncEvent()
        let woken = DispatchSemaphore(value: 0)
        let woke = WokeAt()
        let waiter = Task {
            for _ in 0..<rounds {
                await event.wait()
                woke.record()
                event.clear()
                woken.signal()
            }
        }
        defer { waiter.cancel() }
        let deadline = MonotonicClock.deadline(afterSeconds: timeoutSeconds)
        return try setRounds(rounds, pauseMicroseconds: pauseMicroseconds, woke: woke, parked: { round in
            // The waiter's continuation is registered: it is suspended, not on its way.
            while !event.hasWaiter {
                guard MonotonicClock.now() < deadline else {
                    throw BenchError.runFailed("the waiting task did not reach the event in round \(round + 1)", fix: "this is a bug in the probe")
                }
                usleep(20)
            }
        }, set: event.set, woken: woken.wait)
    }

    private static func processWakeUps(rounds: Int, pauseMicroseconds: Int, timeoutSeconds: Double) throws -> [Double] {
        let group = try PeerParties(1, role: "the event's waiting process", prepare: { LockMetrics.prepare($0, lock: 1) }) { _ in
            SharedStatePeer.arguments(mode: .event, parties: 1, index: 0, rounds: rounds)
        }
        defer { group.stop() }
        var latencies: [Double] = []
        for round in 0..<rounds {
            try group.waitFor(SharedStateSlot.ready, seconds: timeoutSeconds, what: "before round \(round + 1)")
            usleep(UInt32(pauseMicroseconds))
            let set = MonotonicClock.now()
            group.segment.post(SharedStateSlot.event)
            try group.waitFor(SharedStateSlot.done, seconds: timeoutSeconds, what: "in round \(round + 1)")
            latencies.append(MonotonicClock.seconds(from: set, to: UInt64(group.segment.word(SharedStateSlot.woke).pointee)))
        }
        try group.finish()
        return latencies
    }
}

/// How many parties are inside a section, and the most at once.
private final class Inside: Sendable {
    private let now = Atomic<Int>(0)
    private let highest = Atomic<Int>(0)

    func enter() {
        highest.raise(to: now.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue)
    }

    func leave() {
        now.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    var most: Int { highest.load(ordering: .relaxed) }
}

/// When a waiter last woke (`MonotonicClock` ns), written by it and read by the setter.
private final class WokeAt: Sendable {
    private let value = Atomic<Int>(0)

    func record() {
        value.store(Int(MonotonicClock.now()), ordering: .releasing)
    }

    var latest: UInt64 { UInt64(value.load(ordering: .acquiring)) }
}

/// threading.Event's shape: a flag under a mutex and a condition variable.
final class ThreadEvent: @unchecked Sendable {
    private let state = LockedCondition()
    // Guarded by `state`.
    private var isSet = false

    func wait() {
        state.lock()
        while !isSet { state.wait() }
        state.unlock()
    }

    func set() {
        state.lock()
        isSet = true
        state.broadcast()
        state.unlock()
    }

    func clear() {
        state.lock()
        isSet = false
        state.unlock()
    }
}
