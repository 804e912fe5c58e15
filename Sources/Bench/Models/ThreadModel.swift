/// N OS threads, created for this run, pulling tasks from one shared queue.
struct ThreadModel: ConcurrencyModel {
    var name: ModelName { .thread }

    func execute(_ job: Job) throws -> Execution {
        var finishing: UInt64 = 0
        let result = try job.workload.finishing {
            let result = try ThreadTeam.drain(
                RangeTaskQueue(0..<job.tasks), threads: job.shape.threads ?? job.shape.workers, workload: job.workload)
            // The flush is the last task's work, but joining the threads is not: time it on its own.
            finishing = MonotonicClock.now()
            return result
        }
        return Execution(
            checksum: result.checksum, wallSeconds: result.wallSeconds + MonotonicClock.seconds(since: finishing),
            setupSeconds: result.setupSeconds)
    }
}
