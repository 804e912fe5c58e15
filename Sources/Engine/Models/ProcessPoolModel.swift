/// N worker processes of one thread each (`bench-worker`), fed chunks of
/// `--chunksize` tasks from the parent's queue over pipes, as Python's
/// `multiprocessing.Pool.map` does, but pipelined; or, with `--dispatch
/// lockstep`, one task at a time, each result awaited, as `Pool.apply` in a loop.
public struct ProcessPoolModel: ConcurrencyModel {
    public init() {}

    public var usesWorkerProcesses: Bool { true }
    public var takesChunkSize: Bool { true }

    public var name: String { "process-pool" }
    public var inDefaultMatrix: Bool { true }
    public var summary: String { "--workers worker processes (bench-worker), tasks sent over pipes in chunks" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        workers.map { .processes($0, threadsEach: 1) }
    }

    public func execute(_ job: Job) throws -> Execution {
        try job.runOnWorkerProcesses(.threads(1), assignment: job.pool.dispatch == .lockstep ? .lockstep : .chunks(size: job.chunkSize))
    }
}
