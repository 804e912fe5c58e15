import Platform
import Workloads

/// N OS threads, created for this sample, pulling tasks from one shared queue.
public struct ThreadModel: ConcurrencyModel {
    public init() {}

    public var runsTasksInThisProcess: Bool { true }

    public var name: String { "thread" }
    public var inDefaultMatrix: Bool { true }
    public var summary: String { "--workers OS threads pulling tasks from one shared queue" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        workers.map { .threads($0) }
    }

    public func execute(_ job: Job) throws -> Execution {
        var flush = (seconds: 0.0, usage: ResourceUsage.zero)
        var scheduling: [Int32: SchedulerStatistics] = [:]
        let result = try job.workload.finishing {
            try ThreadTeam.drain(
                RangeTaskQueue(0..<job.tasks), threads: job.shape.threads ?? job.shape.workers, workload: job.workload,
                timing: job.timesTasks ? .fromTeamStart : .off,
                // After the last task, while the team's threads still exist to be read.
                whileThreadsExist: { _ in scheduling = SchedulerStatistics.threadsOfThisProcess() })
        } finish: {
            // The flush is the last task's work, but joining the threads is not: time it on its own.
            let start = MonotonicClock.now()
            let before = ResourceUsage.currentProcess()
            try job.workload.finish()
            flush = (MonotonicClock.seconds(since: start), ResourceUsage.currentProcess() - before)
        }
        var execution = Execution(
            checksum: result.checksum, wallSeconds: result.timeline.wallSeconds + flush.seconds,
            setupSeconds: result.timeline.setupSeconds, ownUsage: .until(result.timeline.usageAtFinish + flush.usage))
        execution.ownSchedulingAtFinish = scheduling
        execution.record(result.taskTimes)
        return execution
    }
}
