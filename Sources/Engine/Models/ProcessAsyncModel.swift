/// P worker processes, each running its block of the tasks in a TaskGroup
/// with at most T in flight: the tutorial's "processes + coroutines"
/// (多进程+协程), Swift's counterpart of `python-process-async`.
public struct ProcessAsyncModel: ConcurrencyModel {
    public init() {}

    public var usesWorkerProcesses: Bool { true }

    public var name: String { "process-async" }
    public var summary: String { "--processes processes x a TaskGroup of --workers tasks in flight each" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        processes.flatMap { count in workers.map { .processes(count, inFlightEach: $0) } }
    }

    public func execute(_ job: Job) throws -> Execution {
        try job.runOnWorkerProcesses(.async(inFlight: job.shape.widthPerProcess), assignment: .blocks)
    }
}
