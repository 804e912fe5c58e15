/// P worker processes x T threads each. By default each process gets one
/// contiguous block of the tasks, as the classic "4 processes x N threads"
/// program does; `--dispatch dynamic` feeds them chunks from the parent's queue instead.
struct HybridModel: ConcurrencyModel {
    var name: ModelName { .hybrid }

    func execute(_ job: Job) throws -> Execution {
        let assignment: TaskAssignment = switch job.pool.dispatch {
        case .static: .blocks
        case .dynamic: .chunks(size: job.chunkSize)
        }
        return try job.runOnWorkerProcesses(threadsEach: job.shape.threads ?? 1, assignment: assignment)
    }
}
