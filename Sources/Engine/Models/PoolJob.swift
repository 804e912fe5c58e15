/// How a `Job` becomes a run of worker processes, shared by the models that
/// use them; each model only says how its workers run tasks and how tasks are handed out.
extension Job {
    /// `--chunksize`, or Python Pool's default for this many processes.
    var chunkSize: Int {
        pool.chunkSize ?? TaskAssignment.defaultChunkSize(tasks: tasks, processes: shape.processes)
    }

    func runOnWorkerProcesses(_ mode: WorkerMode, assignment: TaskAssignment) throws -> Execution {
        let run = try WorkerPool.run(PoolConfiguration(
            workloadName: workloadName, parameters: parameters.description, tasks: tasks, processes: shape.processes,
            mode: mode, assignment: assignment, timeoutSeconds: timeoutSeconds, startMethod: pool.startMethod,
            timesTasks: timesTasks))
        var execution = Execution(
            checksum: run.checksum, wallSeconds: run.timeline.wallSeconds, setupSeconds: run.timeline.setupSeconds,
            workerUsage: run.workerUsage, workerPeakKilobytes: run.workerPeakKilobytes,
            ownUsage: .until(run.timeline.usageAtFinish))
        execution.workerAccount = run.workerAccount
        execution.record(run.taskTimes)
        return execution
    }
}
