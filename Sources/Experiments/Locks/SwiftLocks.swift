import Engine
import Glibc
import Platform
import Synchronization

/// Swift's locks under 1 to N parties: each party takes the lock, adds one
/// to the word it guards and gives it back, over and over until the sample's
/// time is up (a lock that convoys makes few acquisitions, never a long
/// sample); the span runs from the parties' common start to the last one's
/// end. The final count against the acquisitions made says whether the lock
/// excluded (lost updates are reported, not hidden).
enum SwiftLocks {
    /// What one sample measured.
    struct Outcome {
        var seconds: Double
        var cpuSeconds: Double
        /// The acquisitions every party made, and the count they left.
        var acquisitions: Int
        var counted: Int
    }

    /// Acquisitions between two looks at the clock.
    static let batch = 64

    /// The sample's metrics: ns and CPU ns per acquire + release, and the updates lost.
    static func measure(_ subject: String, parties: Int, milliseconds: Int, timeoutSeconds: Double) throws -> [String: Double] {
        let outcome: Outcome = switch subject {
        case "mutex": try threads(MutexCounter(), parties: parties, milliseconds: milliseconds)
        case "pthread-mutex": try threads(PthreadMutexCounter(), parties: parties, milliseconds: milliseconds)
        case "spinlock": try threads(SpinLockCounter(), parties: parties, milliseconds: milliseconds)
        case "atomic": try threads(AtomicCounter(), parties: parties, milliseconds: milliseconds)
        case "semaphore": try threads(SemaphoreCounter(), parties: parties, milliseconds: milliseconds)
        case "actor": try actor(parties: parties, milliseconds: milliseconds)
        default: try processes(parties: parties, milliseconds: milliseconds, timeoutSeconds: timeoutSeconds)
        }
        return LockMetrics.values(outcome)
    }

    /// `parties` threads on one counter.
    static func threads(_ counter: some GuardedCounter, parties: Int, milliseconds: Int) throws -> Outcome {
        let acquisitions = Atomic<Int>(0)
        let span = try ThreadParties.run(parties, name: "lock-party") { _ in
            let deadline = MonotonicClock.now() + UInt64(milliseconds) * 1_000_000
            var made = 0
            repeat {
                for _ in 0..<batch { counter.increment() }
                made += batch
            } while MonotonicClock.now() < deadline
            acquisitions.wrappingAdd(made, ordering: .relaxed)
        }
        return Outcome(
            seconds: span.seconds, cpuSeconds: span.cpuSeconds, acquisitions: acquisitions.load(ordering: .relaxed), counted: counter.value)
    }

    /// `parties` tasks calling one actor.
    static func actor(parties: Int, milliseconds: Int) throws -> Outcome {
        try blockingAwait {
            let counter = ActorCounter()
            let before = ResourceUsage.currentProcess()
            let start = MonotonicClock.now()
            let deadline = start + UInt64(milliseconds) * 1_000_000
            let acquisitions = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<parties {
                    group.addTask {
                        var made = 0
                        repeat {
                            for _ in 0..<batch { await counter.increment() }
                            made += batch
                        } while MonotonicClock.now() < deadline
                        return made
                    }
                }
                var total = 0
                for await made in group { total += made }
                return total
            }
            let seconds = MonotonicClock.seconds(since: start)
            let used = ResourceUsage.currentProcess() - before
            return Outcome(
                seconds: seconds, cpuSeconds: used.userSeconds + used.systemSeconds, acquisitions: acquisitions, counted: await counter.count)
        }
    }

    /// `parties` bench-worker processes on a POSIX semaphore of one in shared memory.
    static func processes(parties: Int, milliseconds: Int, timeoutSeconds: Double) throws -> Outcome {
        let group = try PeerParties(parties, role: "the lock's process", prepare: { LockMetrics.prepare($0, lock: 1) }) { index in
            SharedStatePeer.arguments(mode: .lock, parties: parties, index: index, milliseconds: milliseconds)
        }
        defer { group.stop() }
        let seconds = try group.runAll(seconds: timeoutSeconds, while: "while taking the lock")
        return Outcome(
            seconds: seconds, cpuSeconds: group.cpuSeconds,
            acquisitions: group.counts.reduce(0, +), counted: group.segment.word(SharedStateSlot.counter).pointee)
    }
}

/// The metrics of a lock sample, the same in both languages (python/seed_locks.py).
enum LockMetrics {
    static func values(_ outcome: SwiftLocks.Outcome) -> [String: Double] {
        let operations = Double(max(1, outcome.acquisitions))
        return [
            "ns_per_acquire": outcome.seconds * 1e9 / operations, "cpu_ns_per_acquire": outcome.cpuSeconds * 1e9 / operations,
            "lost_updates": Double(outcome.acquisitions - outcome.counted), "acquisitions": Double(outcome.acquisitions),
        ]
    }

    /// A new segment's semaphores: the lock (or limit) of `lock`, every other at 0.
    static func prepare(_ segment: SharedSegment, lock: Int) {
        segment.initializeSemaphore(SharedStateSlot.lock, value: lock)
        for slot in [SharedStateSlot.start, SharedStateSlot.ready, SharedStateSlot.done, SharedStateSlot.event] {
            segment.initializeSemaphore(slot, value: 0)
        }
    }
}
