import Workloads

/// The workload a worker's thread team runs: the parent's workload, each of
/// whose results also goes to the outbox as it completes, so the parent gets
/// partial checksums (and can refill) while the team is still draining.
/// The team's own combined checksum is kept apart and sent in the final
/// report, where the parent checks the two agree.
///
/// A payload workload's result bytes go to the parent whole, each task's in
/// a message of its own; the team keeps their digest, which the parent
/// computes again from what arrived.
struct ReportingWorkload: Workload {
    let inner: any Workload
    let outbox: ResultOutbox
    let source: PipeTaskSource
    private let payloads: (any PayloadWorkload)?

    init(inner: any Workload, outbox: ResultOutbox, source: PipeTaskSource) {
        self.inner = inner
        self.outbox = outbox
        self.source = source
        payloads = inner as? any PayloadWorkload
    }

    var name: String { inner.name }
    var kind: WorkloadKind { inner.kind }
    var work: WorkSize { inner.work }

    func run(task: Int) throws -> UInt64 {
        if let payloads {
            return shipped(task: task, bytes: try payloads.payload(task: task))
        }
        let result = try inner.run(task: task)
        outbox.completed(task: task, result: result, queued: source.queuedTasks.load(ordering: .relaxed))
        return result
    }

    func runAsync(task: Int) async throws -> UInt64 {
        if let payloads {
            return shipped(task: task, bytes: try await payloads.payloadAsync(task: task))
        }
        let result = try await inner.runAsync(task: task)
        outbox.completed(task: task, result: result, queued: source.queuedTasks.load(ordering: .relaxed))
        return result
    }

    private func shipped(task: Int, bytes: [UInt8]) -> UInt64 {
        outbox.ship(task: task, bytes: bytes)
        return ResultBytes.digest(bytes)
    }

    func makeSession() throws -> any WorkloadSession {
        if payloads != nil { return PayloadSession(workload: self) }
        return ReportingSession(inner: try inner.makeSession(), outbox: outbox, source: source)
    }

    func finish() throws {
        try inner.finish()
    }

    func setUpProcess() throws {
        try inner.setUpProcess()
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

/// One thread's session of a `ReportingWorkload` over a payload workload,
/// which keeps no per-thread state: each task ships its own bytes.
private struct PayloadSession: WorkloadSession {
    let workload: ReportingWorkload

    func run(task: Int) throws -> UInt64 {
        try workload.run(task: task)
    }
}
