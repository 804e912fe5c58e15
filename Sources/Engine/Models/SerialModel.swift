import Platform
import Workloads

/// One thread, tasks in order: the baseline every speedup is measured against.
public struct SerialModel: ConcurrencyModel {
    public init() {}

    public var runsTasksInThisProcess: Bool { true }

    public var name: String { "serial" }
    public var inDefaultMatrix: Bool { true }
    public var summary: String { "one thread, tasks in order (the baseline of every Swift speedup)" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        [.serial]
    }

    public func execute(_ job: Job) throws -> Execution {
        let start = MonotonicClock.now()
        var checksum = Checksum()
        var times = job.timesTasks ? TaskTimes() : nil
        try job.workload.finishing {
            let session = try job.workload.makeSession()
            for task in 0..<job.tasks {
                let taskStart = times == nil ? 0 : MonotonicClock.now()
                checksum.add(task: task, result: try session.run(task: task))
                times?.record(origin: start, start: taskStart, end: MonotonicClock.now())
            }
        }
        var execution = Execution(checksum: checksum, wallSeconds: MonotonicClock.seconds(since: start), setupSeconds: 0)
        execution.record(times)
        return execution
    }
}
