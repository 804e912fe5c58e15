import Workloads

/// The workload a worker's thread team runs: the parent's workload, each of
/// whose results also goes to the outbox as it completes, so the parent gets
/// partial checksums (and can refill) while the team is still draining.
/// The team's own combined checksum is kept apart and sent in the final
/// report, where the parent checks the two agree.
struct ReportingWorkload: Workload {
    let inner: any Workload
    let outbox: ResultOutbox
    let source: PipeTaskSource

    var name: String { inner.name }
    var kind: WorkloadKind { inner.kind }
    var work: WorkSize { inner.work }

    func run(task: Int) throws -> UInt64 {
        let result = try inner.run(task: task)
        outbox.completed(task: task, result: result, queued: source.queuedTasks.load(ordering: .relaxed))
        return result
    }

    func runAsync(task: Int) async throws -> UInt64 {
        let result = try await inner.runAsync(task: task)
        outbox.completed(task: task, result: result, queued: source.queuedTasks.load(ordering: .relaxed))
        return result
    }

    func makeSession() throws -> any WorkloadSession {
        ReportingSession(inner: try inner.makeSession(), outbox: outbox, source: source)
    }

    func finish() throws {
        try inner.finish()
    }
}

/// One thread's session of a `ReportingWorkload`.
private struct ReportingSession: WorkloadSession {
    let inner: any WorkloadSession
    let outbox: ResultOutbox
    let source: PipeTaskSource

    func run(task: Int) throws -> UInt64 {
        let result = try inner.run(task: task)
        outbox.completed(task: task, result: result, queued: source.queuedTasks.load(ordering: .relaxed))
        return result
    }
}
