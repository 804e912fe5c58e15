import Platform
import Workloads

/// A way of mapping N tasks onto threads, processes or async tasks.
///
/// A model declares itself (name, summary, the shapes a matrix gives it) and
/// says how one sample's tasks map onto the execution primitives; it reports
/// what it measured about itself. Models know nothing of CSV, statistics or
/// the matrix. Adding a model = its file + one line in its registry.
public protocol ConcurrencyModel: Sendable {
    /// The `--model` name, e.g. `process-pool`.
    var name: String { get }
    /// One line for `bench list`.
    var summary: String { get }
    /// The model whose median wall time is this one's speedup baseline: the
    /// serial model of the same language (`serial`, `python-serial`).
    var baseline: String { get }
    /// The shapes a matrix gives it for the `--workers` and `--processes` lists.
    func shapes(workers: [Int], processes: [Int]) -> [Shape]
    /// Why it cannot run `workload`, or nil when it can.
    func unsupported(_ workload: WorkloadDeclaration) -> String?
    /// Whether it starts bench-worker processes (which may come from the fork server).
    var usesWorkerProcesses: Bool { get }
    /// Whether the default matrix runs it (the five models of the original card).
    var inDefaultMatrix: Bool { get }
    /// Whether `--chunksize` decides how bench's own pool sends it tasks
    /// (process-pool; hybrid with `--dispatch dynamic`): what calibrate's
    /// chunk-1 dispatch probe measures. (The Python pools and the distributed
    /// model take `--chunksize` too, through their own drivers.)
    var takesChunkSize: Bool { get }
    /// Whether its tasks run in the calling process (serial, thread, async),
    /// whose workload the runner then sets up before the sample (`Workload.setUpProcess`).
    var runsTasksInThisProcess: Bool { get }
    /// Runs every task of `job` once and returns their combined checksum.
    func execute(_ job: Job) throws -> Execution
}

extension ConcurrencyModel {
    public var baseline: String { "serial" }

    /// Swift models run every workload but those that only Python can run.
    public func unsupported(_ workload: WorkloadDeclaration) -> String? {
        workload.runsOnlyInPython ? "\(workload.name) is Python code, which only the python-* models run" : nil
    }

    public var usesWorkerProcesses: Bool { false }

    public var takesChunkSize: Bool { false }

    public var inDefaultMatrix: Bool { false }

    public var runsTasksInThisProcess: Bool { false }

    /// Whether this model is the speedup baseline of its language.
    public var isBaseline: Bool { baseline == name }

    /// Whether its cells differ by more than the worker count (hybrid's
    /// processes × threads: 4x1 and 2x2 both have 4 workers), so that tables
    /// and verdicts name the shape beside the model.
    public var shapeHasTwoAxes: Bool { shapes(workers: [2], processes: [1, 2]).count > 1 }
}

extension Workload {
    /// Runs `body`, then `finish()`, also when `body` throws: a failed sample
    /// must not leave a stream of this sample open for the next one.
    func finishing<Value>(_ body: () throws -> Value) throws -> Value {
        try finishing(body, finish: finish)
    }

    /// The same, with the caller's own way of finishing (one that times it, say).
    func finishing<Value>(_ body: () throws -> Value, finish: () throws -> Void) throws -> Value {
        let value: Value
        do {
            value = try body()
        } catch {
            try? self.finish()
            throw error
        }
        try finish()
        return value
    }
}
