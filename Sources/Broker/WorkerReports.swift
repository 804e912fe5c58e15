import Platform
import Workloads

/// A chunk's result, one entry of `bench:<id>:results`: the partial checksum
/// of the chunk's tasks (`Checksum` is additive), which worker ran it, and
/// whether it came to that worker by redelivery. The coordinator keeps the
/// first result of each chunk and drops any repeat, so every task counts
/// exactly once whatever was delivered twice.
public struct ChunkResult: Sendable, Equatable {
    public let chunk: Int
    public let checksum: Checksum
    public let worker: String
    public let redelivered: Bool

    public init(chunk: Int, checksum: Checksum, worker: String, redelivered: Bool) {
        self.chunk = chunk
        self.checksum = checksum
        self.worker = worker
        self.redelivered = redelivered
    }

    public var fields: [String] {
        [
            "c", String(chunk), "n", String(checksum.taskCount), "v", String(checksum.value), "w", worker,
            "r", redelivered ? "1" : "0",
        ]
    }

    public init?(_ entry: StreamEntry) {
        let fields = entry.fields
        guard let chunk = fields["c"].flatMap(Int.init), chunk >= 0, let count = fields["n"].flatMap(Int.init), count >= 0,
              let value = fields["v"].flatMap({ UInt64($0) }), let worker = fields["w"] else { return nil }
        self.init(chunk: chunk, checksum: Checksum(value: value, taskCount: count), worker: worker, redelivered: fields["r"] == "1")
    }
}

/// A worker's last report of a sample, one entry of `bench:<id>:final`:
/// either what it used (CPU time and switches over its part of the sample,
/// its own peak RSS, PSS and USS, which only it can read, and its threads'
/// run-queue wait and migrations) or why it could not go on.
public struct WorkerFinal: Sendable, Equatable {
    public let worker: String
    public let usage: ResourceUsage
    public let peakKilobytes: Int
    public let chunks: Int
    /// Its parts are nil where the worker's kernel does not give them (or an older worker sent none).
    public let account: ProcessAccount
    /// The worker's one-line error (a task threw, the workload cannot be
    /// made); nil for a worker that finished.
    public let failure: String?

    public init(
        worker: String, usage: ResourceUsage, peakKilobytes: Int, chunks: Int,
        account: ProcessAccount = ProcessAccount(memory: nil, scheduling: nil), failure: String? = nil
    ) {
        self.worker = worker
        self.usage = usage
        self.peakKilobytes = peakKilobytes
        self.chunks = chunks
        self.account = account
        self.failure = failure
    }

    public var fields: [String] {
        var fields = [
            "w", worker, "user_us", String(Int((usage.userSeconds * 1e6).rounded())),
            "sys_us", String(Int((usage.systemSeconds * 1e6).rounded())), "vcsw", String(usage.voluntarySwitches),
            "ivcsw", String(usage.involuntarySwitches), "peak_kb", String(peakKilobytes), "chunks", String(chunks),
        ]
        if let memory = account.memory { fields += ["pss_kb", String(memory.pssKilobytes), "uss_kb", String(memory.ussKilobytes)] }
        if let scheduling = account.scheduling {
            fields += ["runq_ns", String(scheduling.runQueueWaitNanoseconds)]
            if let migrations = scheduling.migrations { fields += ["migrations", String(migrations)] }
        }
        if let failure { fields += ["error", failure] }
        return fields
    }

    public init?(_ entry: StreamEntry) {
        let fields = entry.fields
        func number(_ name: String) -> Int? { fields[name].flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil } }
        guard let worker = fields["w"], let user = number("user_us"), let system = number("sys_us"),
              let voluntary = number("vcsw"), let involuntary = number("ivcsw"), let peak = number("peak_kb"),
              let chunks = number("chunks") else { return nil }
        self.init(
            worker: worker,
            usage: ResourceUsage(
                userSeconds: Double(user) / 1e6, systemSeconds: Double(system) / 1e6, voluntarySwitches: voluntary,
                involuntarySwitches: involuntary),
            peakKilobytes: peak, chunks: chunks,
            account: ProcessAccount(
                memory: number("pss_kb").flatMap { pss in number("uss_kb").map { ProportionalMemory(pssKilobytes: pss, ussKilobytes: $0) } },
                scheduling: number("runq_ns").map { SchedulerStatistics(runQueueWaitNanoseconds: $0, migrations: number("migrations")) }),
            failure: fields["error"])
    }
}
