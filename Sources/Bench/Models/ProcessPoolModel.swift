/// N worker processes of one thread each (`bench` re-executed as `bench
/// worker`), fed chunks of `--chunksize` tasks from the parent's queue over
/// pipes, as Python's `multiprocessing.Pool.map` does, but pipelined.
struct ProcessPoolModel: ConcurrencyModel {
    var name: ModelName { .processPool }

    func execute(_ job: Job) throws -> Execution {
        try job.runOnWorkerProcesses(threadsEach: 1, assignment: .chunks(size: job.chunkSize))
    }
}
