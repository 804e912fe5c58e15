import Engine
import Foundation
import Harness
import Platform
import Workloads

/// Seed 003's claim, measured: processes each have their own copy of a
/// variable, threads share every one. A counter incremented by several
/// threads, tasks or processes, with and without a lock, in Swift and
/// CPython (lost updates counted); seed 002's threading.local against
/// passing the value down; and the memory it takes to share or copy a
/// block: PSS against workers for threads, forked and spawned processes.
public struct SharingExperiment: Experiment {
    public init() {}

    public var name: String { "sharing" }
    public var summary: String { "a shared counter with and without locks (lost updates), thread-locals, and PSS of shared vs copied memory (Swift and Python)" }
    public var claims: [SeedClaim] { SharingReport.claims }

    static let subjects: [ProbeSubject] = [
        ProbeSubject(name: "threads-unsafe-pointer", language: "swift", kind: "counter", parties: "threads", summary: "no lock: `pointee += 1` through an unsafe pointer (RacyCounter.swift)", factor: 100),
        ProbeSubject(name: "tasks-unsafe-pointer", language: "swift", kind: "counter", parties: "tasks", summary: "no lock, from tasks of one TaskGroup (the cooperative pool's threads)", factor: 100),
        ProbeSubject(name: "threads-mutex", language: "swift", kind: "counter", parties: "threads", summary: "the increment under a Mutex", factor: 1),
        ProbeSubject(name: "atomic", language: "swift", kind: "counter", parties: "threads", summary: "an Atomic<Int> wrappingAdd", factor: 10),
        ProbeSubject(name: "processes-own-copy", language: "swift", kind: "counter", parties: "processes", summary: "bench-worker processes, each its own copy of a global", factor: 10),
        ProbeSubject(name: "shared-memory-no-lock", language: "swift", kind: "counter", parties: "processes", summary: "processes, one word of MAP_SHARED memory, no lock", factor: 100),
        ProbeSubject(name: "shared-memory-semaphore", language: "swift", kind: "counter", parties: "processes", summary: "processes, the word under a process-shared POSIX semaphore", factor: 0.5),
        ProbeSubject(name: "shared-memory-atomic", language: "swift", kind: "counter", parties: "processes", summary: "processes, an atomic in MAP_SHARED memory", factor: 10),
        ProbeSubject(name: "threads-plus-equals", language: "python", kind: "counter", parties: "threads", summary: "no lock: `COUNTER += 1` on a global", factor: 1),
        ProbeSubject(name: "threads-read-call-write", language: "python", kind: "counter", parties: "threads", summary: "no lock: `COUNTER = bump(COUNTER)`, a call between read and write", factor: 1),
        ProbeSubject(name: "threads-lock", language: "python", kind: "counter", parties: "threads", summary: "the += under a threading.Lock", factor: 0.25),
        ProbeSubject(name: "itertools-count", language: "python", kind: "counter", parties: "threads", summary: "next() on one itertools.count (atomic under the GIL)", factor: 1),
        ProbeSubject(name: "asyncio-no-lock", language: "python", kind: "counter", parties: "tasks", summary: "tasks, `COUNTER += 1`, no await between read and write", factor: 1),
        ProbeSubject(name: "asyncio-await-no-lock", language: "python", kind: "counter", parties: "tasks", summary: "tasks, read, `await asyncio.sleep(0)`, write", factor: 0.05),
        ProbeSubject(name: "processes-own-copy", language: "python", kind: "counter", parties: "processes", summary: "processes, each its own copy of a global (the seed's claim)", factor: 1),
        ProbeSubject(name: "mp-value-no-lock", language: "python", kind: "counter", parties: "processes", summary: "processes, `value.value += 1` on a multiprocessing.Value without get_lock()", factor: 0.1),
        ProbeSubject(name: "mp-value-lock", language: "python", kind: "counter", parties: "processes", summary: "processes, the same under value.get_lock()", factor: 0.1),
        ProbeSubject(name: "manager-value", language: "python", kind: "counter", parties: "processes", summary: "processes, a Manager().Value under a Manager().Lock()", factor: 0.0005),
        ProbeSubject(name: "shared-memory", language: "python", kind: "counter", parties: "processes", summary: "processes, shared_memory.SharedMemory under a multiprocessing.Lock", factor: 0.1),
        ProbeSubject(name: "argument", language: "swift", kind: "local", parties: "threads", summary: "the value passed down as an argument", factor: 10),
        ProbeSubject(name: "pthread-key", language: "swift", kind: "local", parties: "threads", summary: "thread-specific storage (pthread_getspecific)", factor: 10),
        ProbeSubject(name: "task-local", language: "swift", kind: "local", parties: "tasks", summary: "a @TaskLocal bound with withValue", factor: 10),
        ProbeSubject(name: "locked-dictionary", language: "swift", kind: "local", parties: "threads", summary: "a global [thread: value] under a Mutex", factor: 1),
        ProbeSubject(name: "argument", language: "python", kind: "local", parties: "threads", summary: "the value passed down as an argument", factor: 1),
        ProbeSubject(name: "threading-local", language: "python", kind: "local", parties: "threads", summary: "the seed's local_variable = threading.local()", factor: 1),
        ProbeSubject(name: "locked-dict", language: "python", kind: "local", parties: "threads", summary: "a global {thread ident: value} under a threading.Lock", factor: 1),
    ] + SharedMemoryCells.subjects.map {
        ProbeSubject(name: $0.name, language: $0.language, kind: "memory", parties: $0.model, summary: $0.summary, factor: 1)
    }

    static let kinds = ["counter", "local", "memory"]
    static let defaultMemoryWorkers = [1, 2, 4, 8]
    static let quickMemoryWorkers = [1, 2]

    static let incrementsParameter = ParameterDeclaration.count(
        "increments", default: 2_000_000, quick: 20_000, range: 1_000...1_000_000_000,
        help: "increments per counter sample, shared among its workers; x10 for Swift's cheap variants and x100 for its racy ones (each worker must overlap the others for long, or a race loses nothing), fewer for the slow ones (x0.0005 through a Manager)")
    static let accessesParameter = ParameterDeclaration.count(
        "accesses", default: 200_000, quick: 2_000, range: 100...1_000_000_000,
        help: "reads of its value per thread-local sample and worker; x10 in Swift but for the locked dictionary")
    static let sharedParameter = ParameterDeclaration.count(
        "shared-mib", default: 32, quick: 4, range: 1...max(1, (SystemMemory.totalBytes ?? 1 << 30) >> 20),
        help: "MiB of the block every task of the memory variants reads (profile's --shared-mib)")

    /// The claims table's checks that need an interval: the default samples decide them all.
    static let intervalChecks = 10

    public var options: [OptionSpec] {
        ProbeSubject.options(kinds: "counter, local (thread-locals), memory (PSS against workers)", noun: "variants") + [
            OptionSpec("--workers", value: "N", help: "threads, tasks or processes of the counter and thread-local variants, from 1 to \(PartyLimit.maximum) (default 4)"),
            OptionSpec("--memory-workers", value: "LIST", help: "worker counts of the memory variants, from 1 to \(PartyLimit.maximum) (default \(Self.defaultMemoryWorkers.map(String.init).joined(separator: ",")); --quick \(Self.quickMemoryWorkers.map(String.init).joined(separator: ",")))"),
            ProbeOptions.spec(Self.incrementsParameter), ProbeOptions.spec(Self.accessesParameter), ProbeOptions.spec(Self.sharedParameter),
        ] + ProbeOptions.specs(forClaims: Self.intervalChecks)
    }

    public var notes: [String] {
        [
            ProbeSubject.listing(Self.subjects, title: "Variants"),
            "counter: lost updates = workers x increments each - the final count; processes-own-copy reports the\nparent's count instead (the seed: 0) and whether every process counted all of its own.",
            "memory: each sample is one run of profile (--shared-mib, 2 tasks of 20 ms per worker) through the runner;\nPSS counts a page shared by k processes 1/k in each, the summed peak RSS once per process.",
            "Writes experiment.csv: every sample, the medians with 95% intervals, and the claim checks.",
        ]
    }

    static let metrics = [
        ProbeMetric("wall_ms", unit: "ms"), ProbeMetric("ns_per_increment", unit: "ns"), ProbeMetric("final_count", unit: "count"),
        ProbeMetric("expected_count", unit: "count"), ProbeMetric("lost_updates", unit: "updates"), ProbeMetric("lost_fraction", unit: "fraction"),
        ProbeMetric("parent_count", unit: "count"), ProbeMetric("copies_exact", unit: "yes"), ProbeMetric("ns_per_access", unit: "ns"),
        ProbeMetric("foreign_reads", unit: "reads"), ProbeMetric("pss_mib", unit: "MiB"), ProbeMetric("uss_mib", unit: "MiB"),
        ProbeMetric("rss_sum_mib", unit: "MiB"),
    ]

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let (kinds, names) = try ProbeSubject.parse(arguments, kinds: Self.kinds, subjects: Self.subjects, noun: "variant")
        let probe = try ProbeOptions(arguments, script: "python/seed_sharing.py", claimChecks: Self.intervalChecks)
        let workers = try arguments.integer("--workers", in: 1...PartyLimit.maximum, example: 4) ?? 4
        let memoryWorkers = try (arguments.integerList("--memory-workers", in: 1...PartyLimit.maximum, example: "1,8")
            ?? (probe.quick ? Self.quickMemoryWorkers : Self.defaultMemoryWorkers)).sorted()
        let increments = try ProbeOptions.number(arguments, Self.incrementsParameter, quick: probe.quick)
        let accesses = try ProbeOptions.number(arguments, Self.accessesParameter, quick: probe.quick)
        let mebibytes = try ProbeOptions.number(arguments, Self.sharedParameter, quick: probe.quick)
        let selected = ProbeSubject.select(Self.subjects, kinds: kinds, names: names, python: probe.python != nil, noun: "variants")
        if let most = memoryWorkers.last, selected.contains(where: { $0.kind == "memory" }) {
            try Self.checkMemory(mebibytes: mebibytes, workers: most)
        }
        let runs = probe.runs
        let timeout = probe.timeoutSeconds
        let interpreter = probe.python?.interpreter.path
        var configurations: [ProbeConfiguration] = []
        for subject in selected {
            if subject.kind == "memory" {
                guard let cells = SharedMemoryCells.subjects.first(where: { $0.name == subject.name }) else { continue }
                for count in memoryWorkers {
                    let key = ProbeKey(subject.language, subject.name, variant: "memory", size: count, sizeUnit: "workers")
                    configurations.append(ProbeConfiguration(key) {
                        try SharedMemoryCells.measure(
                            cells, workers: count, mebibytes: mebibytes, runs: runs, interpreter: interpreter, timeoutSeconds: timeout
                        ).map { ProbeSample(key, $0) }
                    })
                }
                continue
            }
            let key = ProbeKey(subject.language, subject.name, variant: subject.kind, size: workers, sizeUnit: "workers")
            let base = subject.kind == "counter" ? increments / workers : accesses
            let count = max(1, Int((Double(base) * subject.factor).rounded()))
            configurations.append(ProbeConfiguration(key) {
                if subject.language == "python", let python = probe.python {
                    let spec: [String: JSONValue] = [
                        "kind": .string(subject.kind), "subject": .string(subject.name), "workers": .integer(workers), "count": .integer(count),
                        "samples": .integer(runs),
                    ]
                    return try python.run(spec, timeoutSeconds: timeout).map { ProbeSample(key, $0) }
                }
                return try (0..<runs).map { _ in
                    ProbeSample(key, subject.kind == "counter"
                        ? try SwiftCounters.measure(subject.name, workers: workers, count: count, timeoutSeconds: timeout)
                        : try SwiftThreadLocals.measure(subject.name, workers: workers, count: count))
                }
            })
        }
        let notes: [String: JSONValue] = [
            "workers": .integer(workers), "increments": .integer(increments), "accesses": .integer(accesses),
            "shared_mib": .integer(mebibytes), "memory_workers": .array(memoryWorkers.map { .integer($0) }),
        ]
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output, notes: probe.notes.merging(notes) { $1 },
            metrics: Self.metrics, configurations: probe.shuffled(configurations)
        ) { results in
            let report = SharingReport(results: results, workers: workers, memoryWorkers: memoryWorkers, mebibytes: mebibytes)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }

    /// Refuses, before anything runs, a block whose copies at the most
    /// workers do not fit in the memory available now (one copy per worker
    /// and one more, as a spawned Python pool holds).
    static func checkMemory(mebibytes: Int, workers: Int) throws {
        guard let available = SystemMemory.availableBytes else { return }
        let copies = workers + 1
        guard mebibytes << 20 > available / copies else { return }
        throw BenchError.usage(
            "--shared-mib \(mebibytes) at \(workers) workers needs \(copies) copies (\(SystemMemory.describe(copies * (mebibytes << 20)))), more than the \(SystemMemory.describe(available)) of RAM available now",
            fix: "give --shared-mib from 1 to \(max(1, (available / copies) >> 20)), or fewer --memory-workers")
    }
}
