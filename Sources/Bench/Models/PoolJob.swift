/// How a `Job` becomes a run of worker processes, shared by the two models
/// that use them; each model only says how many threads and how tasks are handed out.
extension Job {
    /// `--chunksize`, or Python Pool's default for this many processes.
    var chunkSize: Int {
        pool.chunkSize ?? TaskAssignment.defaultChunkSize(tasks: tasks, processes: shape.processes)
    }

    func runOnWorkerProcesses(threadsEach threads: Int, assignment: TaskAssignment) throws -> Execution {
        let run = try WorkerPool.run(PoolConfiguration(
            workloadName: workloadName, parameters: parameters, tasks: tasks, processes: shape.processes,
            threadsPerProcess: threads, assignment: assignment, timeoutSeconds: timeoutSeconds))
        return Execution(
            checksum: run.checksum, wallSeconds: run.timeline.wallSeconds, setupSeconds: run.timeline.setupSeconds,
            workerUsage: run.workerUsage, workerPeakKilobytes: run.workerPeakKilobytes,
            ownUsage: .until(run.timeline.usageAtFinish))
    }
}
