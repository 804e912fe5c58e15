/// P worker processes x T threads each. By default each process gets one
/// contiguous block of the tasks, as the classic "4 processes x N threads"
/// program does; `--dispatch dynamic` feeds them chunks from the parent's queue instead,
/// and `--dispatch lockstep` one task at a time.
public struct HybridModel: ConcurrencyModel {
    public init() {}

    public var usesWorkerProcesses: Bool { true }
    public var takesChunkSize: Bool { true }

    public var name: String { "hybrid" }
    public var inDefaultMatrix: Bool { true }
    public var summary: String { "--processes processes x --workers threads each" }

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        processes.flatMap { count in workers.map { .processes(count, threadsEach: $0) } }
    }

    public func execute(_ job: Job) throws -> Execution {
        let assignment: TaskAssignment = switch job.pool.dispatch {
        case .static: .blocks
        case .dynamic: .chunks(size: job.chunkSize)
        case .lockstep: .lockstep
        }
        return try job.runOnWorkerProcesses(.threads(job.shape.threads ?? 1), assignment: assignment)
    }
}
