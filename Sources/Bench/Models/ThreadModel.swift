/// N OS threads, created for this run, pulling tasks from one shared queue.
struct ThreadModel: ConcurrencyModel {
    var name: ModelName { .thread }

    func execute(_ job: Job) throws -> Execution {
        var flush = (seconds: 0.0, usage: ResourceUsage.zero)
        let result = try job.workload.finishing {
            try ThreadTeam.drain(
                RangeTaskQueue(0..<job.tasks), threads: job.shape.threads ?? job.shape.workers, workload: job.workload)
        } finish: {
            // The flush is the last task's work, but joining the threads is not: time it on its own.
            let start = MonotonicClock.now()
            let before = ResourceUsage.currentProcess()
            try job.workload.finish()
            flush = (MonotonicClock.seconds(since: start), ResourceUsage.currentProcess() - before)
        }
        return Execution(
            checksum: result.checksum, wallSeconds: result.timeline.wallSeconds + flush.seconds,
            setupSeconds: result.timeline.setupSeconds, ownUsage: .until(result.timeline.usageAtFinish + flush.usage))
    }
}
