import Broker
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
    public let name: String
    let runtime: DistributedRuntime
    /// Fault injection for the experiment and the tests (no flag sets it):
    /// SIGKILL the sample's first local worker once this many tasks are done.
    let killWorkerAfterTasks: Int?

    /// `name` other than `distributed`: an experiment's variant of the model (one that kills a worker, say).
    public init(runtime: DistributedRuntime, name: String = DistributedModel.modelName, killWorkerAfterTasks: Int? = nil) {
        self.runtime = runtime
        self.name = name
        self.killWorkerAfterTasks = killWorkerAfterTasks
    }

    public var summary: String {
        "--workers bench-worker processes taking chunks from a Redis broker (bench's own redis-server, or --broker; --remote-workers)"
    }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        workers.map { .processes($0, threadsEach: 1) }
    }

    public func execute(_ job: Job) throws -> Execution {
        if runtime.options.remoteWorkers != nil, let local = WorkloadRegistry.declaration(named: job.workloadName)?.fixture?.thisMachineOnly {
            throw BenchError.usage("\(job.workloadName) cannot run on remote workers: \(local)", fix: "leave \(job.workloadName) out, or leave out --remote-workers")
        }
        let broker = try runtime.broker()
        let (execution, record) = try DistributedCoordinator(
            job: job, model: name, address: broker.address, options: runtime.options, killWorkerAfterTasks: killWorkerAfterTasks
        ).run()
        runtime.record(record)
        return execution
    }


    public func prepare() throws -> (key: String, note: JSONValue) {
        (Self.modelName, try runtime.prepare())
    }

    public func closingNote() -> (key: String, note: JSONValue)? {
        (Self.modelName, runtime.metadata)
    }
}
