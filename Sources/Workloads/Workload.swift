import Platform

/// Whether a workload spends its time computing or waiting.
public enum WorkloadKind: String, Sendable, Codable, CaseIterable {
    case cpu
    case io
}

/// The size of one task, as written to the `work` and `work_unit` CSV columns.
///
/// `amount` is nil when the size does not apply (e.g. `noop`), which the CSV
/// writes as empty fields.
public struct WorkSize: Sendable, Hashable, Codable, CustomStringConvertible {
    public var amount: Int?
    public var unit: String

    public init(amount: Int?, unit: String) {
        self.amount = amount
        self.unit = unit
    }

    public static let none = WorkSize(amount: nil, unit: "")

    public var description: String {
        guard let amount else { return "-" }
        return "\(amount) \(unit)"
    }
}

/// One kind of task that a concurrency model executes many times.
///
/// A workload knows nothing of timing, models, threads or files: given a task
/// index it does one task's work and returns a checksum of it, so that the
/// optimizer cannot delete the work and every model can be checked against
/// the serial (or analytic) answer.
public protocol Workload: Sendable {
    /// The registry name, e.g. `xor`.
    var name: String { get }
    var kind: WorkloadKind { get }
    /// The per-task size, e.g. `2000000 iterations` or `10 ms`.
    var work: WorkSize { get }

    /// Performs task `task`, blocking the calling thread while it waits.
    func run(task: Int) throws -> UInt64

    /// Performs task `task` from Swift concurrency. An IO workload must
    /// suspend here rather than block a cooperative-pool thread.
    func runAsync(task: Int) async throws -> UInt64

    /// The value `run(task:)` must return, when it is known without doing the
    /// work; nil when only a reference run can tell.
    func expectedResult(task: Int) -> UInt64?

    /// State one worker thread keeps across its tasks (a keep-alive
    /// connection, say). Each thread of a model makes its own session.
    func makeSession() throws -> any WorkloadSession

    /// Ends a run in this process: flushes what the workload buffered (a
    /// stdio stream, say). Models call it after the last task, inside the
    /// timed region, because the flush is part of the work.
    func finish() throws

    /// Builds what the workload holds once per process for all its tasks
    /// (profile's shared block), before any task and outside every measured
    /// span: the runner calls it before a sample whose tasks run in bench's
    /// own process, a worker process before it says ready. Making a workload
    /// stays cheap (a plan makes one per cell only to read its `work`);
    /// calling this again does nothing.
    func setUpProcess() throws
}

/// A worker thread's handle on a workload; not shared between threads.
public protocol WorkloadSession {
    /// Performs task `task`, blocking, like `Workload.run(task:)`.
    func run(task: Int) throws -> UInt64
}

extension Workload {
    public func runAsync(task: Int) async throws -> UInt64 {
        try run(task: task)
    }

    public func expectedResult(task: Int) -> UInt64? {
        nil
    }

    public func makeSession() throws -> any WorkloadSession {
        StatelessSession(workload: self)
    }

    public func finish() throws {}

    public func setUpProcess() throws {}
}

/// The session of a workload that keeps no per-thread state.
struct StatelessSession: WorkloadSession {
    let workload: any Workload

    func run(task: Int) throws -> UInt64 {
        try workload.run(task: task)
    }
}
