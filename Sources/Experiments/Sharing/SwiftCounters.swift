import Engine
import Platform
import Synchronization

/// Swift's side of the sharing experiment's counter: `workers` parties each
/// add one `count` times, through a variable they share (or do not). The
/// final count is compared with what it must be; the updates a variant
/// loses are counted, never hidden.
enum SwiftCounters {
    /// What one sample measured: its span, the count the parent reads at
    /// the end, and (own copies) what each party counted in its own.
    struct Outcome {
        var seconds: Double
        var finalCount: Int
        var partyCounts: [Int] = []
    }

    static func measure(_ subject: String, workers: Int, count: Int, timeoutSeconds: Double) throws -> [String: Double] {
        let outcome: Outcome
        switch subject {
        case "threads-unsafe-pointer":
            let word = RacyWord()
            let span = try ThreadParties.run(workers, name: "racy-party") { _ in RacyCounter.increment(word.pointer, times: count) }
            outcome = Outcome(seconds: span.seconds, finalCount: word.value)
        case "tasks-unsafe-pointer":
            outcome = try tasks(workers: workers, count: count)
        case "threads-mutex":
            outcome = try threads(MutexCounter(), workers: workers, count: count)
        case "atomic":
            outcome = try threads(AtomicCounter(), workers: workers, count: count)
        default:
            outcome = try processes(subject, workers: workers, count: count, timeoutSeconds: timeoutSeconds)
        }
        return CounterMetrics.values(outcome, workers: workers, count: count, ownCopies: subject == "processes-own-copy")
    }

    static func threads(_ counter: some GuardedCounter, workers: Int, count: Int) throws -> Outcome {
        let span = try ThreadParties.run(workers, name: "counting-party") { _ in
            for _ in 0..<count { counter.increment() }
        }
        return Outcome(seconds: span.seconds, finalCount: counter.value)
    }

    /// Tasks are not a single thread: the cooperative pool runs them on as
    /// many threads as there are cores, so their unguarded increments race too.
    static func tasks(workers: Int, count: Int) throws -> Outcome {
        try blockingAwait {
            let word = RacyWord()
            let start = MonotonicClock.now()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<workers {
                    group.addTask { RacyCounter.increment(word.pointer, times: count) }
                }
            }
            return Outcome(seconds: MonotonicClock.seconds(since: start), finalCount: word.value)
        }
    }

    /// bench-worker processes: each with its own copy of a global, or on one
    /// word of shared memory (an atomic, a semaphore as its lock, or nothing).
    static func processes(_ subject: String, workers: Int, count: Int, timeoutSeconds: Double) throws -> Outcome {
        let mode: SharedStatePeer.Mode = switch subject {
        case "processes-own-copy": .ownCopy
        case "shared-memory-atomic": .atomic
        case "shared-memory-semaphore": .lock
        default: .racy
        }
        let group = try PeerParties(workers, role: "the counting process", prepare: { LockMetrics.prepare($0, lock: 1) }) { index in
            SharedStatePeer.arguments(mode: mode, parties: workers, index: index, count: count)
        }
        defer { group.stop() }
        let seconds = try group.runAll(seconds: timeoutSeconds, while: "while counting")
        switch mode {
        case .ownCopy:
            // This process's copy of the same global the parties added to theirs.
            return Outcome(seconds: seconds, finalCount: SharedStatePeer.ownCopy, partyCounts: group.counts)
        case .atomic:
            return Outcome(seconds: seconds, finalCount: group.segment.atomic(SharedStateSlot.atomicCounter).pointee.load(ordering: .relaxed))
        default:
            return Outcome(seconds: seconds, finalCount: group.segment.word(SharedStateSlot.counter).pointee)
        }
    }
}

/// The metrics of a counter sample, the same in both languages (python/seed_sharing.py).
enum CounterMetrics {
    static func values(_ outcome: SwiftCounters.Outcome, workers: Int, count: Int, ownCopies: Bool) -> [String: Double] {
        let expected = workers * count
        var values = [
            "wall_ms": outcome.seconds * 1e3, "ns_per_increment": outcome.seconds * 1e9 / Double(expected),
            "final_count": Double(outcome.finalCount), "expected_count": Double(expected),
        ]
        if ownCopies {
            values["parent_count"] = Double(outcome.finalCount)
            values["copies_exact"] = outcome.partyCounts.count == workers && outcome.partyCounts.allSatisfy { $0 == count } ? 1 : 0
        } else {
            values["lost_updates"] = Double(expected - outcome.finalCount)
            values["lost_fraction"] = Double(expected - outcome.finalCount) / Double(expected)
        }
        return values
    }
}
