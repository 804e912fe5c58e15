/// A task that does nothing but return its index: its cost per task is the
/// model's own dispatch overhead.
public struct NoopWorkload: Workload {
    public init() {}

    public var name: String { "noop" }
    public var kind: WorkloadKind { .cpu }
    public var work: WorkSize { .none }

    public func run(task: Int) throws -> UInt64 {
        UInt64(truncatingIfNeeded: task)
    }

    public func expectedResult(task: Int) -> UInt64? {
        UInt64(truncatingIfNeeded: task)
    }

    public static let declaration = WorkloadDeclaration(
        name: "noop", kind: .cpu,
        summary: "returns its task index: pure dispatch overhead of a model",
        defaultTasks: 20_000, quickTasks: 5_000,
        // Two clock reads would cost more than the task itself.
        timesTasks: false
    ) { _ in
        NoopWorkload()
    }
}
