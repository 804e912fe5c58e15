import Engine
import Foundation
import Glibc
import Harness
import Platform
import Workloads

/// What the seeds' Lock, Semaphore and Event cost, in Swift and CPython:
/// acquire + release uncontended and under 2 to 64 parties on this machine's
/// cores, the seed's Semaphore(2) program of five workers, and how long an
/// Event takes to wake its waiter.
public struct LocksExperiment: Experiment {
    public init() {}

    public var name: String { "locks" }
    public var summary: String { "acquire + release of locks, atomics, actors and semaphores under 1-64 parties; Semaphore(2) x 5; Event wake-ups (Swift and Python)" }
    public var claims: [SeedClaim] { LocksReport.claims }

    static let subjects: [ProbeSubject] = [
        ProbeSubject(name: "mutex", language: "swift", kind: "lock", parties: "threads", summary: "Synchronization's Mutex"),
        ProbeSubject(name: "pthread-mutex", language: "swift", kind: "lock", parties: "threads", summary: "a pthread_mutex_t (default attributes)"),
        ProbeSubject(name: "spinlock", language: "swift", kind: "lock", parties: "threads", summary: "a compare-and-swap loop on an Atomic<Bool> that never sleeps"),
        ProbeSubject(name: "atomic", language: "swift", kind: "lock", parties: "threads", summary: "no lock: one Atomic<Int> wrappingAdd"),
        ProbeSubject(name: "semaphore", language: "swift", kind: "lock", parties: "threads", summary: "a section limited by DispatchSemaphore(value: 1)"),
        ProbeSubject(name: "actor", language: "swift", kind: "lock", parties: "tasks", summary: "an actor's method, awaited by tasks"),
        ProbeSubject(name: "process-semaphore", language: "swift", kind: "lock", parties: "processes", summary: "a POSIX semaphore of 1 in MAP_SHARED memory, bench-worker processes"),
        ProbeSubject(name: "threading-lock", language: "python", kind: "lock", parties: "threads", summary: "threading.Lock"),
        ProbeSubject(name: "threading-rlock", language: "python", kind: "lock", parties: "threads", summary: "threading.RLock"),
        ProbeSubject(name: "mp-lock", language: "python", kind: "lock", parties: "processes", summary: "multiprocessing.Lock, the counter a RawValue"),
        ProbeSubject(name: "asyncio-lock", language: "python", kind: "lock", parties: "tasks", summary: "asyncio.Lock around a section that never awaits (its fast path)"),
        ProbeSubject(name: "asyncio-lock-await", language: "python", kind: "lock", parties: "tasks", summary: "asyncio.Lock around a section that awaits asyncio.sleep(0) once"),
        ProbeSubject(name: "dispatch-semaphore", language: "swift", kind: "hold", parties: "threads", summary: "DispatchSemaphore(value: 2), threads"),
        ProbeSubject(name: "async-semaphore", language: "swift", kind: "hold", parties: "tasks", summary: "a semaphore of continuations, tasks"),
        ProbeSubject(name: "process-semaphore", language: "swift", kind: "hold", parties: "processes", summary: "a POSIX semaphore of 2 in shared memory, processes"),
        ProbeSubject(name: "threading-semaphore", language: "python", kind: "hold", parties: "threads", summary: "threading.Semaphore(2), threads"),
        ProbeSubject(name: "asyncio-semaphore", language: "python", kind: "hold", parties: "tasks", summary: "asyncio.Semaphore(2), tasks"),
        ProbeSubject(name: "mp-semaphore", language: "python", kind: "hold", parties: "processes", summary: "multiprocessing.Semaphore(2), processes (the seed's program)"),
        ProbeSubject(name: "thread-event", language: "swift", kind: "event", parties: "threads", summary: "a flag, a mutex and a condition variable (threading.Event's shape)"),
        ProbeSubject(name: "async-event", language: "swift", kind: "event", parties: "tasks", summary: "a continuation resumed by the setter"),
        ProbeSubject(name: "process-event", language: "swift", kind: "event", parties: "processes", summary: "a POSIX semaphore in shared memory, a bench-worker process"),
        ProbeSubject(name: "threading-event", language: "python", kind: "event", parties: "threads", summary: "threading.Event"),
        ProbeSubject(name: "asyncio-event", language: "python", kind: "event", parties: "tasks", summary: "asyncio.Event"),
        ProbeSubject(name: "mp-event", language: "python", kind: "event", parties: "processes", summary: "multiprocessing.Event, a process"),
    ]

    static let kinds = ["lock", "hold", "event"]
    /// The seed's program: five workers, a semaphore of two.
    static let holdWorkers = 5
    static let holdLimit = 2
    /// How long the setter waits once the event's waiter is parked, so that it is asleep when set.
    static let pauseMicroseconds = 500
    static let defaultParties = [1, 2, 4, 16, 64]
    static let quickParties = [1, 2, 4]

    static let sampleParameter = ParameterDeclaration.milliseconds(
        "sample-ms", default: 100, quick: 10, range: 1...60_000,
        help: "how long each party of a lock sample takes and releases the lock (it looks at the clock every 64 acquisitions), so that a lock that convoys makes few acquisitions rather than a long sample")
    static let holdParameter = ParameterDeclaration.milliseconds(
        "hold-ms", default: 50, quick: 5, range: 1...10_000,
        help: "how long each of the 5 workers holds the Semaphore(2) (the seed's program: the wall is about 3 x this)")
    static let roundsParameter = ParameterDeclaration.count(
        "rounds", default: 200, quick: 20, range: 1...1_000_000, help: "Event wake-ups per sample")

    /// The claims table's checks that need an interval: the default samples decide them all.
    static let intervalChecks = 10

    public var options: [OptionSpec] {
        ProbeSubject.options(kinds: "lock (acquire + release), hold (Semaphore(2) x 5 workers), event (wake-ups)", noun: "mechanisms") + [
            OptionSpec("--parties", value: "LIST", help: "parties contending for each lock, comma-separated, from 1 to \(PartyLimit.maximum) (default \(Self.defaultParties.map(String.init).joined(separator: ",")); --quick \(Self.quickParties.map(String.init).joined(separator: ",")))"),
            ProbeOptions.spec(Self.sampleParameter), ProbeOptions.spec(Self.holdParameter), ProbeOptions.spec(Self.roundsParameter),
        ] + ProbeOptions.specs(forClaims: Self.intervalChecks)
    }

    public var notes: [String] {
        [
            ProbeSubject.listing(Self.subjects, title: "Mechanisms"),
            "lock: each party takes the lock, adds one to the word it guards and releases it, for --sample-ms;\nns per acquire = the span / the acquisitions; lost updates = what the final count misses (0 when the lock excluded).",
            "hold: the seed's Semaphore(2) program, 5 workers each holding it --hold-ms; the seed's arithmetic says\nceil(5/2) x hold. event: the setter sets the event \(Self.pauseMicroseconds) µs after the waiter is parked; the time\nfrom set to the waiter running again.",
            "Writes experiment.csv: every sample, the medians with 95% intervals, and the claim checks.",
        ]
    }

    static let metrics = [
        ProbeMetric("ns_per_acquire", unit: "ns"), ProbeMetric("cpu_ns_per_acquire", unit: "ns"), ProbeMetric("lost_updates", unit: "updates"),
        ProbeMetric("acquisitions", unit: "acquisitions"),
        ProbeMetric("wall_ms", unit: "ms"), ProbeMetric("seed_ratio", unit: "x"), ProbeMetric("most_inside", unit: "parties"),
        ProbeMetric("wake_p50_us", unit: "us"), ProbeMetric("wake_p99_us", unit: "us"),
    ]

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let (kinds, names) = try ProbeSubject.parse(arguments, kinds: Self.kinds, subjects: Self.subjects, noun: "subject")
        let probe = try ProbeOptions(arguments, script: "python/seed_locks.py", claimChecks: Self.intervalChecks)
        let parties = try (arguments.integerList("--parties", in: 1...PartyLimit.maximum, example: "1,2,64")
            ?? (probe.quick ? Self.quickParties : Self.defaultParties)).sorted()
        let milliseconds = try ProbeOptions.number(arguments, Self.sampleParameter, quick: probe.quick)
        let hold = try ProbeOptions.number(arguments, Self.holdParameter, quick: probe.quick)
        let rounds = try ProbeOptions.number(arguments, Self.roundsParameter, quick: probe.quick)
        let selected = ProbeSubject.select(Self.subjects, kinds: kinds, names: names, python: probe.python != nil, noun: "mechanisms")
        let runs = probe.runs
        let timeout = probe.timeoutSeconds
        var configurations: [ProbeConfiguration] = []
        for subject in selected {
            let counts: [Int?] = subject.kind == "lock" ? parties.map { $0 } : [nil]
            for count in counts {
                let key = ProbeKey(
                    subject.language, subject.name, variant: subject.kind, size: count ?? (subject.kind == "hold" ? Self.holdWorkers : nil),
                    sizeUnit: subject.kind == "event" ? "" : "parties")
                configurations.append(ProbeConfiguration(key) {
                    if subject.language == "python", let python = probe.python {
                        let spec: [String: JSONValue] = [
                            "kind": .string(subject.kind), "subject": .string(subject.name), "parties": .integer(count ?? 1),
                            "millis": .integer(milliseconds), "workers": .integer(Self.holdWorkers), "limit": .integer(Self.holdLimit),
                            "hold_ms": .integer(hold), "rounds": .integer(rounds), "pause_us": .integer(Self.pauseMicroseconds),
                            "samples": .integer(runs),
                        ]
                        return try python.run(spec, timeoutSeconds: timeout).map { ProbeSample(key, $0) }
                    }
                    return try (0..<runs).map { _ in
                        ProbeSample(key, try Self.measureSwift(
                            subject, parties: count ?? 1, milliseconds: milliseconds, hold: hold, rounds: rounds, timeout: timeout))
                    }
                })
            }
        }
        let notes: [String: JSONValue] = [
            "sample_ms": .integer(milliseconds), "hold_ms": .integer(hold), "rounds": .integer(rounds),
            "parties": .array(parties.map { .integer($0) }), "cores": .integer(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
        ]
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output, notes: probe.notes.merging(notes) { $1 },
            metrics: Self.metrics, configurations: probe.shuffled(configurations)
        ) { results in
            let report = LocksReport(results: results, parties: parties, holdMilliseconds: hold)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }

    /// One sample of a Swift mechanism: its metrics.
    static func measureSwift(
        _ subject: ProbeSubject, parties: Int, milliseconds: Int, hold: Int, rounds: Int, timeout: Double
    ) throws -> [String: Double] {
        switch subject.kind {
        case "lock":
            return try SwiftLocks.measure(subject.name, parties: parties, milliseconds: milliseconds, timeoutSeconds: timeout)
        case "hold":
            let holds = try SwiftSignals.holds(subject.parties, workers: holdWorkers, limit: holdLimit, holdMilliseconds: hold, timeoutSeconds: timeout)
            let batches = (holdWorkers + holdLimit - 1) / holdLimit
            return [
                "wall_ms": holds.seconds * 1000, "seed_ratio": holds.seconds * 1000 / Double(batches * hold),
                "most_inside": Double(holds.mostInside),
            ]
        default:
            let latencies = try SwiftSignals.wakeUps(subject.parties, rounds: rounds, pauseMicroseconds: pauseMicroseconds, timeoutSeconds: timeout)
                .sorted()
            return ["wake_p50_us": Statistics.quantile(latencies, 0.5) * 1e6, "wake_p99_us": Statistics.quantile(latencies, 0.99) * 1e6]
        }
    }
}
