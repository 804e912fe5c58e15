import Engine
import Platform
import Workloads

/// The seeds' master/worker, for real: tasks go in chunks through a Redis
/// broker to `--workers` `bench-worker` processes, on this machine or
/// (with `--remote-workers`) on others, and results come back the same way.
/// Its parent side lives here, in the harness; the workers run Engine's
/// `DistributedWorker`, the same workload code as every other model.
public struct DistributedModel: ConcurrencyModel, PreparingModel {
    public static let modelName = "distributed"
    let runtime: DistributedRuntime

    public init(runtime: DistributedRuntime) {
        self.runtime = runtime
    }

    public var name: String { Self.modelName }
    public var summary: String {
        "--workers bench-worker processes taking chunks from a Redis broker (bench's own redis-server, or --broker; --remote-workers)"
    }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        workers.map { .processes($0, threadsEach: 1) }
    }

    public func execute(_ job: Job) throws -> Execution {
        if runtime.options.remoteWorkers != nil, let local = Self.needsLocalWorkers[job.workloadName] {
            throw BenchError.usage("\(job.workloadName) cannot run on remote workers: \(local)", fix: "leave \(job.workloadName) out, or leave out --remote-workers")
        }
        let broker = try runtime.broker()
        let (execution, record) = try DistributedCoordinator(job: job, address: broker.address, options: runtime.options).run()
        runtime.record(record)
        return execution
    }

    /// Workloads whose tasks need this machine: the reason, for the error.
    static let needsLocalWorkers = [
        "print": "its lines must reach this bench's sink, where they are checked",
        "http": "its server is bench's own, on 127.0.0.1",
    ]

    public func prepare() throws -> (key: String, note: JSONValue) {
        (Self.modelName, try runtime.prepare())
    }

    public func closingNote() -> (key: String, note: JSONValue)? {
        (Self.modelName, runtime.metadata)
    }
}
