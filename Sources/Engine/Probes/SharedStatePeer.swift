import Glibc
import Platform
import Synchronization
import Workloads

/// `bench-worker state-peer`: one party of the locks and sharing
/// experiments' process probes. Its fd 3 is a `SharedSegment` that bench
/// created (`SharedStateSlot` names its slots); every mode but `event` posts
/// `ready`, waits at the `start` gate, does its part, writes its CPU time and
/// end time into its own slots and posts `done`:
///
///     --mode lock      take the `lock` semaphore, add one to the plain
///                      `counter` word, give the lock back: --count K times,
///                      or with --millis M until M ms have passed, writing
///                      the acquisitions made into its `count` slot
///     --mode atomic    --count K: K atomic increments of `atomicCounter`
///     --mode racy      --count K: K increments of `counter` with no lock (RacyCounter)
///     --mode own-copy  --count K: K increments of this process's own global,
///                      whose final value goes to its `count` slot
///     --mode hold      take the `lock` semaphore (a limit of N), hold it
///                      --hold-ms ms, give it back; counts `holders` and the most at once
///     --mode event     --rounds R: R times post `ready`, wait on `event`,
///                      write the time it woke into `woke`, post `done`
///
/// It dies with bench (`ParentDeath`), and ignores SIGINT and SIGTERM.
public enum SharedStatePeer {
    public static let role = "state-peer"

    /// What the peer does; see the type's documentation.
    public enum Mode: String, Sendable, CaseIterable {
        case lock, atomic, racy, ownCopy = "own-copy", hold, event
    }

    /// The command line that starts one (after the executable).
    public static func arguments(
        mode: Mode, parties: Int, index: Int, count: Int = 0, milliseconds: Int = 0, holdMilliseconds: Int = 0, rounds: Int = 0
    ) -> [String] {
        [
            role, "--mode", mode.rawValue, "--parties", String(parties), "--index", String(index), "--count", String(count),
            "--millis", String(milliseconds), "--hold-ms", String(holdMilliseconds), "--rounds", String(rounds),
        ]
    }

    /// Acquisitions between two looks at the clock under `--millis`.
    static let batch = 64

    /// This process's own copy of "a global variable": bench's stays 0 however
    /// much its peers add to theirs (seed 003's claim about processes).
    nonisolated(unsafe) public private(set) static var ownCopy = 0

    public static func run(_ arguments: [String]) -> Int32 {
        Signals.ignore(Signals.stopSignals)
        ParentDeath.killWithParent()
        let parsed: PeerArguments
        switch PeerArguments.parse(arguments, numbers: ["parties": 0, "index": 0, "count": 0, "millis": 0, "hold-ms": 0, "rounds": 0]) {
        case let .success(arguments): parsed = arguments
        case let .failure(error): return usage(error.message)
        }
        let mode = parsed.mode.flatMap(Mode.init(rawValue:))
        let numbers = parsed.numbers
        let parties = numbers["parties"]!, index = numbers["index"]!
        guard let mode, parties >= 1, index < parties else { return usage("needs --mode and --index below --parties") }
        guard let segment = try? SharedSegment(attaching: 3, slots: SharedStateSlot.slots(parties: parties)) else {
            return usage("fd 3 is not the shared segment of \(parties) parties")
        }
        if mode == .event {
            return event(segment, rounds: numbers["rounds"]!)
        }
        segment.post(SharedStateSlot.ready)
        segment.wait(SharedStateSlot.start)
        let before = ResourceUsage.currentProcess()
        let count = numbers["count"]!
        switch mode {
        case .lock:
            let made = lock(segment, count: count, milliseconds: numbers["millis"]!)
            segment.word(SharedStateSlot.party(index, .count)).pointee = made
        case .atomic:
            let counter = segment.atomic(SharedStateSlot.atomicCounter)
            for _ in 0..<count { counter.pointee.wrappingAdd(1, ordering: .relaxed) }
        case .racy:
            RacyCounter.increment(segment.word(SharedStateSlot.counter), times: count)
        case .ownCopy:
            for _ in 0..<count { ownCopy = step(ownCopy) }
            segment.word(SharedStateSlot.party(index, .count)).pointee = ownCopy
        case .hold:
            hold(segment, milliseconds: numbers["hold-ms"]!)
        case .event:
            break
        }
        let used = ResourceUsage.currentProcess() - before
        segment.word(SharedStateSlot.party(index, .cpuMicroseconds)).pointee = Int((used.userSeconds + used.systemSeconds) * 1e6)
        segment.word(SharedStateSlot.party(index, .end)).pointee = Int(MonotonicClock.now())
        segment.post(SharedStateSlot.done)
        return 0
    }

    /// Takes the lock and adds one to the counter, `count` times or until
    /// `milliseconds` have passed; returns the acquisitions made.
    private static func lock(_ segment: SharedSegment, count: Int, milliseconds: Int) -> Int {
        let lock = segment.semaphore(SharedStateSlot.lock)
        let counter = segment.word(SharedStateSlot.counter)
        func acquireAndAdd(_ times: Int) {
            for _ in 0..<times {
                while sem_wait(lock) != 0 && errno == EINTR {}
                counter.pointee &+= 1
                sem_post(lock)
            }
        }
        guard milliseconds > 0 else {
            acquireAndAdd(count)
            return count
        }
        let deadline = MonotonicClock.now() + UInt64(milliseconds) * 1_000_000
        var made = 0
        repeat {
            acquireAndAdd(batch)
            made += batch
        } while MonotonicClock.now() < deadline
        return made
    }

    /// One increment the optimizer cannot fold into the loop: the parties'
    /// own copies count one by one, as the threads' shared counter does.
    @inline(never)
    static func step(_ value: Int) -> Int {
        value &+ 1
    }

    /// Inside the semaphore's section for `milliseconds`, counting who else is.
    private static func hold(_ segment: SharedSegment, milliseconds: Int) {
        segment.wait(SharedStateSlot.lock)
        let inside = segment.atomic(SharedStateSlot.holders).pointee.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        segment.atomic(SharedStateSlot.mostHolders).pointee.raise(to: inside)
        BlockingSleep.milliseconds(milliseconds)
        segment.atomic(SharedStateSlot.holders).pointee.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        segment.post(SharedStateSlot.lock)
    }

    /// The waiter of the event probe: `rounds` times ready, woken, done.
    private static func event(_ segment: SharedSegment, rounds: Int) -> Int32 {
        let woke = segment.word(SharedStateSlot.woke)
        for _ in 0..<rounds {
            segment.post(SharedStateSlot.ready)
            segment.wait(SharedStateSlot.event)
            woke.pointee = Int(MonotonicClock.now())
            segment.post(SharedStateSlot.done)
        }
        return 0
    }

    private static func usage(_ message: String) -> Int32 {
        FileDescriptor.writeAll(2, "bench-worker state-peer: \(message) — it is started by bench experiment locks and sharing, not by hand\n")
        return ExitCode.usage.rawValue
    }
}

/// The slots of the segment the locks and sharing probes share with their
/// `state-peer` processes.
public enum SharedStateSlot {
    /// The lock (a semaphore of 1), or the limit of the Semaphore(N) section.
    public static let lock = 0
    /// The start gate: bench posts it once per party when every party is ready.
    public static let start = 1
    /// Each party posts it when ready (the event's waiter: before each wait).
    public static let ready = 2
    /// Each party posts it when done (the event's waiter: after each wake-up).
    public static let done = 3
    /// The plain word the lock guards, or that racy increments hit.
    public static let counter = 4
    public static let atomicCounter = 5
    /// How many parties are inside the Semaphore(N) section now, and the most at once.
    public static let holders = 6
    public static let mostHolders = 7
    /// The semaphore the event's waiter waits on, and when it woke (`MonotonicClock` ns).
    public static let event = 8
    public static let woke = 9

    /// A party's own slots.
    public enum PartySlot: Int, Sendable, CaseIterable {
        /// Its own copy's final count (own-copy).
        case count
        /// Its user + system CPU over its part, in µs.
        case cpuMicroseconds
        /// When it finished (`MonotonicClock` ns).
        case end
    }

    static let firstParty = 16

    public static func party(_ index: Int, _ slot: PartySlot) -> Int {
        firstParty + index * PartySlot.allCases.count + slot.rawValue
    }

    /// The segment's size for `parties` parties.
    public static func slots(parties: Int) -> Int {
        party(parties, .count)
    }
}
