import Engine
import Glibc
import Platform
import Workloads

/// The probes of `bench calibrate`: the smallest costs a cell's differences
/// must exceed before they mean anything.
public struct FloorProbes {
    public init(repetitions: Int) {
        self.repetitions = repetitions
    }

    /// Repetitions of the cheap probes; expensive ones take a fraction.
    let repetitions: Int

    /// Every probe, in the order of the table.
    /// Runs every probe in turn; `progress` gets how many are done, of how many, and the next one's name.
    public func measureAll(progress: (_ done: Int, _ total: Int, _ name: String) -> Void) throws -> [FloorMeasurement] {
        // Listed first, run after: the progress line can say "3 of 19".
        var probes: [(name: String, probe: () throws -> FloorMeasurement)] = []
        func run(_ name: String, _ probe: @escaping () throws -> FloorMeasurement) {
            probes.append((name, probe))
        }
        run("thread create + join") { try threadCreateAndJoin() }
        for method in StartMethod.allCases {
            run("worker start (\(method.rawValue))") { try workerStart(method) }
        }
        if let trueProgram = PackageFile.onPath("true") {
            run("process spawn + exit: true") { try spawnAndExit(trueProgram.path, arguments: [], name: "true") }
        }
        // The Python models' floors, when an interpreter is there: its own start, and what one
        // sample costs bench end to end (the driver's start and report; outside every measured span).
        if let python = try? PythonRuntime(options: PythonOptions()).resolve() {
            run("process spawn + exit: python3 -S") {
                try spawnAndExit(python.interpreter.path, arguments: ["-S", "-c", "pass"], name: "python3 -S -c pass")
            }
            run("python driver: one sample") { try pythonDriverSample() }
        }
        if let cat = PackageFile.onPath("cat") {
            run("pipe round trip") { try pipeRoundTrip(through: cat.path) }
        }
        for model in ModelRegistry.all {
            run("dispatch per task: \(model.name)") { try dispatchPerTask(model, chunkSize: nil) }
            if model.takesChunkSize {
                run("dispatch per task: \(model.name), chunk 1") { try dispatchPerTask(model, chunkSize: 1) }
            }
        }
        for milliseconds in [1, 50] {
            run("oversleep of \(milliseconds) ms") { try oversleep(milliseconds: milliseconds, suspending: false) }
            run("oversleep of \(milliseconds) ms, Task.sleep") { try oversleep(milliseconds: milliseconds, suspending: true) }
        }
        run("xor loop") { try xorIteration() }
        var measurements: [FloorMeasurement] = []
        for (index, entry) in probes.enumerated() {
            progress(index, probes.count, entry.name)
            measurements.append(try entry.probe())
        }
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

    /// A one-worker pool from its start until the worker has said ready: what
    /// each pool worker costs before it runs a task, under each start method
    /// (a bench-worker spawned, or forked by the fork server, started once
    /// before the probe). Checked with one noop task.
    func workerStart(_ method: StartMethod) throws -> FloorMeasurement {
        let samples = try (0..<repetitions).map { _ in
            let run = try WorkerPool.run(PoolConfiguration(
                workloadName: NoopWorkload.declaration.name, parameters: "", tasks: 1, processes: 1, mode: .threads(1), assignment: .chunks(size: 1),
                timeoutSeconds: 60, startMethod: method))
            guard run.checksum.taskCount == 1 else {
                throw BenchError.runFailed("a one-worker pool lost its task", fix: "this is a bug in the pool")
            }
            return run.timeline.setupSeconds
        }
        let what = method == .spawn ? "spawn + ready of bench-worker" : "fork server fork + ready"
        return FloorMeasurement(name: "worker start: \(what)", unit: .seconds, samples: samples)
    }

    /// posix_spawn of a program until `wait4` collects it: the floor under a
    /// process pool's setup (bench itself is what pool workers run).
    func spawnAndExit(_ executable: String, arguments: [String], name: String) throws -> FloorMeasurement {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null) }
        let samples = try (0..<repetitions).map { _ in
            let start = MonotonicClock.now()
            let child = try ChildProcess(
                executable: executable, arguments: arguments, standardOutput: null, captureStandardError: false, ownGroup: false)
            let exit = child.wait()
            let seconds = MonotonicClock.seconds(since: start)
            guard exit.status.isSuccess else {
                throw BenchError.runFailed("\(name) \(exit.status)", fix: "check that \(executable) runs")
            }
            return seconds
        }
        return FloorMeasurement(name: "process spawn + exit (\(name))", unit: .seconds, samples: samples)
    }

    /// A python-serial sample of one noop task from bench's side: the driver's
    /// interpreter start, its imports and its JSON report. None of it is in a
    /// Python cell's wall time (the driver times the model itself); this is
    /// what bench pays per Python sample, and what a cell must dwarf to be
    /// worth its samples.
    func pythonDriverSample() throws -> FloorMeasurement {
        guard let model = PythonModels.baseline.flatMap(ModelCatalog.model(named:)) else {
            throw PythonModels.problem ?? BenchError.runFailed("python-serial is not in this build", fix: "this is a bug in bench")
        }
        if let preparing = model as? any PreparingModel { _ = try preparing.prepare() }
        let workload = NoopWorkload()
        let job = Job(workload: workload, workloadName: NoopWorkload.declaration.name, parameters: ParameterValues(), tasks: 1, shape: .serial, timeoutSeconds: 60)
        let samples = try (0..<max(3, repetitions / 2)).map { _ in
            let start = MonotonicClock.now()
            let execution = try model.execute(job)
            let seconds = MonotonicClock.seconds(since: start)
            guard execution.checksum.taskCount == 1 else {
                throw BenchError.runFailed("the Python driver lost its one task", fix: "run the Python tests: cd python && python3 -m unittest")
            }
            return seconds
        }
        return FloorMeasurement(name: "python driver: spawn to report (1 noop task)", unit: .seconds, samples: samples)
    }

    /// One byte to another process and back (through `cat`): the unit cost of
    /// every message a pool exchanges with its workers.
    func pipeRoundTrip(through cat: String) throws -> FloorMeasurement {
        let toChild = try FileDescriptor.makePipe()
        let fromChild = try FileDescriptor.makePipe()
        let child = try ChildProcess(
            executable: cat, arguments: [], standardInput: toChild.read, standardOutput: fromChild.write,
            captureStandardError: false)
        FileDescriptor.close(toChild.read)
        FileDescriptor.close(fromChild.write)
        defer {
            FileDescriptor.close(toChild.write)
            _ = child.wait()
            FileDescriptor.close(fromChild.read)
        }
        var byte: UInt8 = 0x2A
        var samples: [Double] = []
        for _ in 0..<repetitions * 50 {
            let start = MonotonicClock.now()
            guard write(toChild.write, &byte, 1) == 1, read(fromChild.read, &byte, 1) == 1, byte == 0x2A else {
                throw BenchError.runFailed("the pipe round trip through \(cat) failed", fix: "check that \(cat) echoes its input")
            }
            samples.append(MonotonicClock.seconds(since: start))
        }
        return FloorMeasurement(name: "pipe round trip (1 byte, via cat)", unit: .seconds, samples: samples)
    }

    /// What a model adds per task once it is running: `noop` at as many
    /// workers as cores, (wall - setup) / tasks, its checksum verified.
    func dispatchPerTask(_ model: any ConcurrencyModel, chunkSize: Int?) throws -> FloorMeasurement {
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        // As many workers as cores, in as many processes as possible: 2x1 for the
        // process models on 2 cores, 1x2 threads, 2 tasks in flight; serial is 1x1.
        let shapes = model.shapes(workers: [1, cores], processes: [1, cores])
        let shape = shapes.filter { $0.concurrency == cores }.max { $0.processes < $1.processes } ?? shapes[0]
        let tasks = 20_000
        let workload = NoopWorkload()
        var expected = Checksum()
        for task in 0..<tasks { expected.add(task: task, result: workload.expectedResult(task: task)!) }
        let job = Job(
            workload: workload, workloadName: NoopWorkload.declaration.name, parameters: ParameterValues(), tasks: tasks,
            shape: shape, pool: PoolOptions(chunkSize: chunkSize, dispatch: chunkSize == nil ? .static : .dynamic),
            timeoutSeconds: 60)
        let samples = try (0..<repetitions).map { _ in
            let execution = try model.execute(job)
            guard execution.checksum == expected else {
                throw BenchError.runFailed("\(model.name) returned a wrong checksum for noop", fix: "this is a bug in the model")
            }
            return (execution.wallSeconds - execution.setupSeconds) / Double(tasks)
        }
        let chunk = chunkSize.map { ", chunk \($0)" } ?? ""
        return FloorMeasurement(name: "dispatch per task: \(model.name) (\(shape)\(chunk))", unit: .seconds, samples: samples)
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

    /// The xor loop's cost per iteration, the unit of every xor cell. Each
    /// result is checked against a second, untimed run, so none can be dropped.
    func xorIteration() throws -> FloorMeasurement {
        let iterations = 10_000_000
        let workload = try XorWorkload(iterations: iterations)
        var samples: [Double] = []
        for task in 0..<max(3, repetitions / 2) {
            let start = MonotonicClock.now()
            let result = try workload.run(task: task)
            samples.append(MonotonicClock.seconds(since: start) * 1e9 / Double(iterations))
            guard try workload.run(task: task) == result else {
                throw BenchError.runFailed("the xor loop gave two results for one task", fix: "this is a bug in the workload")
            }
        }
        return FloorMeasurement(name: "xor loop", unit: .nanosecondsPerIteration, samples: samples)
    }
}
