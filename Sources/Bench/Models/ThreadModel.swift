/// N OS threads, created for this run, pulling tasks from one shared queue.
struct ThreadModel: ConcurrencyModel {
    var name: ModelName { .thread }

    func execute(_ job: Job) throws -> Execution {
        let result = try ThreadTeam.drain(
            RangeTaskQueue(0..<job.tasks), threads: job.shape.threads ?? job.shape.workers, workload: job.workload)
        // The flush is the last task's work, but joining the threads is not: time it on its own.
        let finishing = MonotonicClock.now()
        try job.workload.finish()
        return Execution(
            checksum: result.checksum, wallSeconds: result.wallSeconds + MonotonicClock.seconds(since: finishing),
            setupSeconds: result.setupSeconds)
    }
}
