import Platform
import Workloads

/// Swift structured concurrency: a TaskGroup on the cooperative pool keeping
/// at most N tasks in flight. It starts no threads of its own, so its setup is 0.
public struct AsyncModel: ConcurrencyModel {
    public init() {}

    public var runsTasksInThisProcess: Bool { true }

    public var name: String { "async" }
    public var inDefaultMatrix: Bool { true }
    public var summary: String { "Swift TaskGroup keeping at most --workers tasks in flight" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        workers.map { .inFlight($0) }
    }

    public func execute(_ job: Job) throws -> Execution {
        let workload = job.workload
        let tasks = job.tasks
        let limit = job.shape.concurrency
        let start = MonotonicClock.now()
        let origin = job.timesTasks ? start : nil
        let result = try workload.finishing {
            try blockingAwait {
                try await AsyncWindow.run(tasks: 0..<tasks, limit: limit, workload: workload, timedFrom: origin)
            }
        }
        var execution = Execution(checksum: result.checksum, wallSeconds: MonotonicClock.seconds(since: start), setupSeconds: 0)
        execution.record(result.taskTimes)
        return execution
    }
}
