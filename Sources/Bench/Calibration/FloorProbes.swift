import Glibc
import Workloads

/// The probes of `bench calibrate`: the smallest costs a cell's differences
/// must exceed before they mean anything.
struct FloorProbes {
    /// Repetitions of the cheap probes; expensive ones take a fraction.
    let repetitions: Int

    /// Every probe, in the order of the table.
    func measureAll(progress: (String) -> Void) throws -> [FloorMeasurement] {
        var measurements: [FloorMeasurement] = []
        func run(_ name: String, _ probe: () throws -> FloorMeasurement) rethrows {
            progress(name)
            measurements.append(try probe())
        }
        try run("thread create + join") { try threadCreateAndJoin() }
        for model in ModelRegistry.available {
            try run("dispatch per task: \(model.rawValue)") { try dispatchPerTask(model) }
        }
        for milliseconds in [1, 50] {
            try run("oversleep of \(milliseconds) ms") { try oversleep(milliseconds: milliseconds, suspending: false) }
            try run("oversleep of \(milliseconds) ms, Task.sleep") { try oversleep(milliseconds: milliseconds, suspending: true) }
        }
        try run("xor loop") { try xorIteration() }
        return measurements
    }

    /// pthread_create + pthread_join of a thread that does nothing, through the
    /// same team code the thread model uses (one thread per team).
    func threadCreateAndJoin() throws -> FloorMeasurement {
        let workload = NoopWorkload()
        let samples = try (0..<repetitions * 10).map { _ in
            let start = MonotonicClock.now()
            _ = try ThreadTeam.drain(RangeTaskQueue(0..<0), threads: 1, workload: workload)
            return MonotonicClock.seconds(since: start)
        }
        return FloorMeasurement(name: "thread create + join", unit: .seconds, samples: samples)
    }

    /// What a model adds per task: `noop` at as many workers as cores, wall / tasks.
    func dispatchPerTask(_ name: ModelName) throws -> FloorMeasurement {
        guard let model = ModelRegistry.model(name) else {
            throw BenchError.usage("model \(name.rawValue) is not available", fix: "see bench list")
        }
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let shape = ModelRegistry.shapes(of: name, workers: [cores], processes: cores)[0]
        let tasks = 20_000
        let job = Job(
            workload: NoopWorkload(), workloadName: "noop", parameters: WorkloadParameters(), tasks: tasks,
            shape: shape, pool: PoolOptions(), timeoutSeconds: 60)
        let samples = try (0..<repetitions).map { _ in
            let execution = try model.execute(job)
            return execution.wallSeconds / Double(tasks)
        }
        return FloorMeasurement(name: "dispatch per task: \(name.rawValue) (\(shape))", unit: .seconds, samples: samples)
    }

    /// How much longer than asked a sleep takes: the resolution of every IO cell.
    func oversleep(milliseconds: Int, suspending: Bool) throws -> FloorMeasurement {
        let workload = try SleepWorkload(milliseconds: milliseconds)
        let count = milliseconds >= 50 ? max(3, repetitions / 4) : repetitions * 2
        let requested = Double(milliseconds) / 1000
        let samples = try (0..<count).map { _ in
            let start = MonotonicClock.now()
            if suspending {
                _ = try blockingAwait { try await workload.runAsync(task: 0) }
            } else {
                _ = try workload.run(task: 0)
            }
            return MonotonicClock.seconds(since: start) - requested
        }
        let how = suspending ? "Task.sleep" : "blocking"
        return FloorMeasurement(name: "oversleep of \(milliseconds) ms (\(how))", unit: .seconds, samples: samples)
    }

    /// The xor loop's cost per iteration, the unit of every xor cell.
    func xorIteration() throws -> FloorMeasurement {
        let iterations = 10_000_000
        let workload = try XorWorkload(iterations: iterations)
        let samples = try (0..<max(3, repetitions / 2)).map { task in
            let start = MonotonicClock.now()
            _ = try workload.run(task: task)
            return MonotonicClock.seconds(since: start) * 1e9 / Double(iterations)
        }
        return FloorMeasurement(name: "xor loop", unit: .nanosecondsPerIteration, samples: samples)
    }
}
