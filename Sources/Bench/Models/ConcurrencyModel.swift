import Workloads

/// Everything a model needs to execute one sample of a cell.
struct Job: Sendable {
    /// The workload, already made, for models that run it in this process.
    let workload: any Workload
    /// Name and parameters, for models that rebuild the workload elsewhere (worker processes).
    let workloadName: String
    let parameters: WorkloadParameters
    let tasks: Int
    let shape: Shape
    let pool: PoolOptions
    /// Seconds after which the model should give up on this sample.
    let timeoutSeconds: Double
}

/// Pool tuning for the models that send tasks to worker processes.
struct PoolOptions: Sendable, Hashable, Codable {
    /// Tasks per message; nil means Python Pool's default, ceil(tasks / (4 x processes)).
    var chunkSize: Int?
    var dispatch: Dispatch = .static

    /// How hybrid hands tasks to its processes.
    enum Dispatch: String, Sendable, Hashable, Codable, CaseIterable {
        /// One contiguous block per process, as the classic program does.
        case `static`
        /// Processes fed chunks from the parent's queue as they ask.
        case dynamic
    }

    init(chunkSize: Int? = nil, dispatch: Dispatch = .static) {
        self.chunkSize = chunkSize
        self.dispatch = dispatch
    }
}

/// What a model measured about one execution, beside the parent's own rusage
/// delta (which the runner takes).
struct Execution: Sendable {
    var checksum: Checksum
    /// From the model's start (before creating any thread or process) to its last task done.
    var wallSeconds: Double
    /// The part of `wallSeconds` spent starting threads or processes.
    var setupSeconds: Double
    /// CPU and switches of worker processes (zero for in-process models).
    var workerUsage: ResourceUsage = .zero
    /// Sum of the peak RSS of each worker process, KiB (zero for in-process models).
    var workerPeakKilobytes: Int = 0
}

/// A way of mapping N tasks onto threads, processes or async tasks.
///
/// Models are thin: each says how tasks map onto the primitives in
/// `Execution/` (and `Pool/`), and reports what it measured about itself.
/// They know nothing of CSV, statistics or the matrix.
protocol ConcurrencyModel: Sendable {
    var name: ModelName { get }
    /// Runs every task of `job` once and returns their combined checksum.
    func execute(_ job: Job) throws -> Execution
}

extension Workload {
    /// Runs `body`, then `finish()`, also when `body` throws: a failed run
    /// must not leave a stream of this run open for the next one.
    func finishing<Value>(_ body: () throws -> Value) throws -> Value {
        let value: Value
        do {
            value = try body()
        } catch {
            try? finish()
            throw error
        }
        try finish()
        return value
    }
}
