import Engine
import Harness
import Platform
import Workloads

/// Copied against shared memory, measured right: the profile workload's
/// `--shared-mib` block read by every task of a model at 1 to N workers,
/// each sample one run of that cell through the same runner as `bench run`,
/// and its PSS (proportional set size: a page shared by k processes counts
/// 1/k in each) beside the sum of its processes' peak RSS (which counts a
/// shared page once per process).
///
/// What each model shares: Swift's threads read the one block of bench's
/// process. Swift's pool workers are bench-worker processes that make the
/// workload themselves, so each builds a copy of its own, whether posix-spawned
/// or forked by the fork server (which forks before any workload exists).
/// CPython's threads share the driver's block; its pool processes forked
/// after the block was built share its pages until one writes them;
/// spawned ones are sent a pickled copy each.
enum SharedMemoryCells {
    /// A model and how its workers start.
    struct Subject: Sendable {
        let name: String
        let language: String
        let model: String
        let startMethod: StartMethod?
        let pythonStartMethod: String?
        let summary: String
    }

    static let subjects = [
        Subject(name: "thread", language: "swift", model: "thread", startMethod: nil, pythonStartMethod: nil,
                summary: "threads of bench: one block"),
        Subject(name: "process-pool-spawn", language: "swift", model: "process-pool", startMethod: .spawn, pythonStartMethod: nil,
                summary: "posix-spawned bench-worker processes: each builds its own copy"),
        Subject(name: "process-pool-forkserver", language: "swift", model: "process-pool", startMethod: .forkserver, pythonStartMethod: nil,
                summary: "bench-worker processes forked by the fork server before the block exists: each builds its own copy"),
        Subject(name: "python-thread", language: "python", model: "python-thread", startMethod: nil, pythonStartMethod: nil,
                summary: "threads of the driver: one block"),
        Subject(name: "python-process-pool-fork", language: "python", model: "python-process-pool", startMethod: nil, pythonStartMethod: "fork",
                summary: "processes forked after the driver built the block: its pages, shared until written"),
        Subject(name: "python-process-pool-spawn", language: "python", model: "python-process-pool", startMethod: nil, pythonStartMethod: "spawn",
                summary: "spawned processes, each sent a pickled copy"),
    ]

    /// `runs` samples of `subject` at `workers` with a block of `mebibytes`:
    /// PSS, USS and summed peak RSS, in MiB.
    static func measure(
        _ subject: Subject, workers: Int, mebibytes: Int, runs: Int, interpreter: String?, timeoutSeconds: Double
    ) throws -> [[String: Double]] {
        var options = MatrixOptions()
        options.workloads = ["profile"]
        options.models = [subject.model]
        options.workers = [workers]
        // Two tasks per worker of 20 ms each: every worker takes some before the first is done.
        options.tasks = 2 * workers
        options.parameterValues = [
            "shared-mib": [.number(mebibytes)], "cpu-us": [.number(20_000)], "wait-ms": [.number(0)], "memory-kib": [.number(0)],
            "result-bytes": [.number(8)],
        ]
        options.runs = .fixed(runs)
        options.warmup = 0
        // Below the configuration's own timeout: a model stops a hung sample itself, and
        // the cell fails with why, long before the runner's backstop would end bench.
        options.timeoutSeconds = max(10, timeoutSeconds / 4)
        if let method = subject.startMethod { options.pool.startMethod = method }
        options.python = PythonOptions(interpreter: interpreter, startMethod: subject.pythonStartMethod)
        let runner = Runner(plan: try MatrixPlan(options), progress: ProgressLine(enabled: false))
        let outcome = try runner.run(recordingInto: SampleList())
        if let failure = outcome.failures.first {
            throw BenchError.runFailed("\(subject.model) at \(workers) workers: \(failure.message)", fix: "run the cell alone with bench run to see why")
        }
        return try outcome.samples.map { sample in
            guard sample.ok, let memory = sample.account.memory else {
                throw BenchError.runFailed(
                    "\(subject.model) at \(workers) workers: \(sample.ok ? "no PSS was read" : "the checksum did not match")",
                    fix: "PSS needs /proc/PID/smaps_rollup (Linux 4.14 or later)")
            }
            return [
                "pss_mib": Double(memory.pssKilobytes) / 1024, "uss_mib": Double(memory.ussKilobytes) / 1024,
                "rss_sum_mib": Double(sample.maxRSSKilobytes) / 1024,
            ]
        }
    }
}

/// Where the nested runs' samples go: they come back in the runner's
/// outcome, so nothing is kept here (no run folder of their own).
private final class SampleList: SampleRecorder {
    func record(_ sample: Sample) throws {}

    /// The runner's backstop for a sample that hung past its model's own timeout: say so before it ends bench.
    func abandon(because reason: String, soFar: InvocationOutcome) {
        printError("the memory probe: \(reason) — raise --timeout, or look for a hung worker")
    }

    /// A stop request found a nested sample still running: bench ends after this.
    func interrupt(soFar: InvocationOutcome) {
        printError("the memory probe: interrupted while a sample ran")
    }
}
