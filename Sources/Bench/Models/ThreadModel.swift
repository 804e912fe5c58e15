/// N OS threads, created for this run, pulling tasks from one shared queue.
struct ThreadModel: ConcurrencyModel {
    var name: ModelName { .thread }

    func execute(_ job: Job) throws -> Execution {
        let result = try ThreadTeam.drain(
            RangeTaskQueue(0..<job.tasks), threads: job.shape.threads ?? job.shape.workers, workload: job.workload)
        return Execution(checksum: result.checksum, wallSeconds: result.wallSeconds, setupSeconds: result.setupSeconds)
    }
}
