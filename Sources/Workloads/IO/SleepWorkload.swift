/// A task that waits: a blocking `nanosleep` on a thread, `Task.sleep` (which
/// suspends and frees its thread) under Swift concurrency.
public struct SleepWorkload: Workload {
    public let milliseconds: Int

    public init(milliseconds: Int) throws {
        guard milliseconds >= 0 else {
            throw WorkloadError("sleep needs a duration of 0 ms or more", exitCode: .usage)
        }
        self.milliseconds = milliseconds
    }

    public var name: String { "sleep" }
    public var kind: WorkloadKind { .io }
    public var work: WorkSize { WorkSize(amount: milliseconds, unit: "ms") }

    public func run(task: Int) throws -> UInt64 {
        BlockingSleep.milliseconds(milliseconds)
        return result(task: task)
    }

    public func runAsync(task: Int) async throws -> UInt64 {
        try await Task.sleep(for: .milliseconds(milliseconds))
        return result(task: task)
    }

    public func expectedResult(task: Int) -> UInt64? {
        result(task: task)
    }

    private func result(task: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: task) &* 31 &+ UInt64(milliseconds)
    }

    public static let declaration = WorkloadDeclaration(
        name: "sleep", kind: .io,
        summary: "waits --sleep-ms: blocking clock_nanosleep on threads, Task.sleep under async",
        parameters: [
            .milliseconds("sleep-ms", default: 5, quick: 2, range: 0...3_600_000, help: "sleep: milliseconds each task waits"),
        ],
        defaultTasks: 64, quickTasks: 16
    ) { values in
        try SleepWorkload(milliseconds: values.number("sleep-ms"))
    }
}
