import Platform
import Workloads

/// Messages from a worker to the parent, on the worker's output pipe (fd 4).
///
/// Order: one `ready`, then `done` reports (and `result`s) as tasks
/// complete, then one `final` and one `account` just before a clean exit; or
/// a `failure` and exit status 1.
enum WorkerMessage: WireMessage, Equatable {
    /// The workload is built and the worker's threads exist.
    case ready
    /// Tasks completed since the last report: how many and their partial
    /// checksum (`Checksum` is additive, so the parent just merges these).
    /// `starved` says the worker ran out of queued tasks before this report,
    /// so the parent should keep more in flight.
    case done(Checksum, starved: Bool)
    /// Last words: the team's own checksum over all its tasks (the parent
    /// checks it against the sum of the `done` reports), the worker's own
    /// peak RSS (`VmHWM`), which `wait4` cannot give (see NOTES-swift-linux.md),
    /// and its CPU time and context switches so far. Taken now rather than by
    /// `wait4` after exit, so they cover the same span as the wall time, which
    /// ends at the last final report (exit and teardown are not the work).
    case final(Checksum, peakKilobytes: Int, usage: ResourceUsage)
    /// The worker could not go on (bad setup, a task threw); it exits 1 after this.
    case failure(String)
    /// Its task times (duration and queueing delay histograms), just before
    /// `final`, when the setup asked for them.
    case times(TaskTimes)
    /// One task of a `PayloadWorkload` done, with its result bytes whole:
    /// the parent digests them (that, and the copies on the way, are the
    /// cost of a result crossing the process boundary). It counts as a
    /// report of that one task.
    case result(task: Int, bytes: [UInt8])
    /// After `final`: the worker's proportional memory and its threads'
    /// run-queue wait and migrations over its life, read while its threads
    /// still exist. Sent after `final`, where the parent stops the clock,
    /// because reading them takes longer than the work's last steps should.
    case account(ProcessAccount)

    static let readyKind: UInt8 = 16
    static let doneKind: UInt8 = 17
    static let finalKind: UInt8 = 18
    static let failureKind: UInt8 = 19
    static let timesKind: UInt8 = 20
    static let resultKind: UInt8 = 21
    static let accountKind: UInt8 = 22
    /// What `account` sends for a figure the worker's kernel did not give.
    static let unknown: Int64 = -1
    /// Longest failure text sent; the rest is cut (the parent prints one line).
    static let maxFailureBytes = 4096

    func encode(into bytes: inout [UInt8]) {
        switch self {
        case .ready:
            WireFormat.appendHeader(kind: Self.readyKind, length: 0, to: &bytes)
        case let .done(checksum, starved):
            WireFormat.appendHeader(kind: Self.doneKind, length: 24, to: &bytes)
            WireFormat.appendInt64(Int64(checksum.taskCount), to: &bytes)
            WireFormat.appendUInt64(checksum.value, to: &bytes)
            WireFormat.appendUInt64(starved ? 1 : 0, to: &bytes)
        case let .final(checksum, peakKilobytes, usage):
            WireFormat.appendHeader(kind: Self.finalKind, length: 56, to: &bytes)
            WireFormat.appendInt64(Int64(checksum.taskCount), to: &bytes)
            WireFormat.appendUInt64(checksum.value, to: &bytes)
            WireFormat.appendInt64(Int64(peakKilobytes), to: &bytes)
            WireFormat.appendInt64(Int64((usage.userSeconds * 1e6).rounded()), to: &bytes)
            WireFormat.appendInt64(Int64((usage.systemSeconds * 1e6).rounded()), to: &bytes)
            WireFormat.appendInt64(Int64(usage.voluntarySwitches), to: &bytes)
            WireFormat.appendInt64(Int64(usage.involuntarySwitches), to: &bytes)
        case let .failure(text):
            let utf8 = Array(text.utf8.prefix(Self.maxFailureBytes))
            WireFormat.appendHeader(kind: Self.failureKind, length: utf8.count, to: &bytes)
            bytes.append(contentsOf: utf8)
        case let .times(times):
            // Sparse: per histogram, the count of used buckets, then (bucket, count) pairs.
            var payload: [UInt8] = []
            for histogram in [times.latency, times.queueDelay] {
                let used = histogram.counts.indices.filter { histogram.counts[$0] != 0 }
                WireFormat.appendUInt32(UInt32(used.count), to: &payload)
                for index in used {
                    WireFormat.appendUInt32(UInt32(index), to: &payload)
                    WireFormat.appendUInt32(histogram.counts[index], to: &payload)
                }
            }
            WireFormat.appendHeader(kind: Self.timesKind, length: payload.count, to: &bytes)
            bytes.append(contentsOf: payload)
        case let .result(task, result):
            WireFormat.appendHeader(kind: Self.resultKind, length: 8 + result.count, to: &bytes)
            WireFormat.appendInt64(Int64(task), to: &bytes)
            bytes.append(contentsOf: result)
        case let .account(account):
            WireFormat.appendHeader(kind: Self.accountKind, length: 32, to: &bytes)
            for figure in [
                account.memory?.pssKilobytes, account.memory?.ussKilobytes,
                account.scheduling?.runQueueWaitNanoseconds, account.scheduling?.migrations,
            ] {
                WireFormat.appendInt64(figure.map(Int64.init) ?? Self.unknown, to: &bytes)
            }
        }
    }

    static func decode(kind: UInt8, payload: UnsafeRawBufferPointer) throws -> WorkerMessage {
        switch kind {
        case readyKind:
            try WireFormat.expectSize(payload, 0, for: "ready")
            return .ready
        case doneKind:
            try WireFormat.expectSize(payload, 24, for: "done")
            let count = WireFormat.int64(payload, at: 0)
            let flags = WireFormat.uint64(payload, at: 16)
            guard count >= 0, flags <= 1 else {
                throw ProtocolError("done message has task count \(count) and flags \(flags)")
            }
            return .done(Checksum(value: WireFormat.uint64(payload, at: 8), taskCount: Int(count)), starved: flags == 1)
        case finalKind:
            try WireFormat.expectSize(payload, 56, for: "final")
            let count = WireFormat.int64(payload, at: 0)
            let peak = WireFormat.int64(payload, at: 16)
            let usage = stride(from: 24, to: 56, by: 8).map { WireFormat.int64(payload, at: $0) }
            guard count >= 0, peak >= 0, usage.allSatisfy({ $0 >= 0 }) else {
                throw ProtocolError("final message has task count \(count), peak \(peak) KiB and usage \(usage)")
            }
            return .final(
                Checksum(value: WireFormat.uint64(payload, at: 8), taskCount: Int(count)), peakKilobytes: Int(peak),
                usage: ResourceUsage(
                    userSeconds: Double(usage[0]) / 1e6, systemSeconds: Double(usage[1]) / 1e6,
                    voluntarySwitches: Int(usage[2]), involuntarySwitches: Int(usage[3])))
        case failureKind:
            guard payload.count <= maxFailureBytes else {
                throw ProtocolError("failure message of \(payload.count) bytes exceeds \(maxFailureBytes)")
            }
            return .failure(String(decoding: payload, as: UTF8.self))
        case timesKind:
            var offset = 0
            func uint32() throws(ProtocolError) -> UInt32 {
                guard offset + 4 <= payload.count else { throw ProtocolError("times message is cut short") }
                defer { offset += 4 }
                return UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
            var histograms: [LatencyHistogram] = []
            for _ in 0..<2 {
                var histogram = LatencyHistogram()
                let used = Int(try uint32())
                guard used <= LatencyHistogram.bucketCount else { throw ProtocolError("times message has \(used) buckets") }
                for _ in 0..<used {
                    let index = Int(try uint32())
                    guard index < LatencyHistogram.bucketCount else { throw ProtocolError("times message has bucket \(index)") }
                    histogram.add(count: try uint32(), toBucket: index)
                }
                histograms.append(histogram)
            }
            guard offset == payload.count else { throw ProtocolError("times message has \(payload.count - offset) extra bytes") }
            var times = TaskTimes()
            times.latency = histograms[0]
            times.queueDelay = histograms[1]
            return .times(times)
        case resultKind:
            guard payload.count >= 8, WireFormat.int64(payload, at: 0) >= 0 else {
                throw ProtocolError("result message of \(payload.count) bytes has no valid task index")
            }
            return .result(task: Int(WireFormat.int64(payload, at: 0)), bytes: Array(payload[8...]))
        case accountKind:
            try WireFormat.expectSize(payload, 32, for: "account")
            let figures = stride(from: 0, to: 32, by: 8).map { WireFormat.int64(payload, at: $0) }
            guard figures.allSatisfy({ $0 >= unknown }) else { throw ProtocolError("account message has figures \(figures)") }
            let known = figures.map { $0 == unknown ? nil : Int($0) }
            let memory = known[0].flatMap { pss in known[1].map { ProportionalMemory(pssKilobytes: pss, ussKilobytes: $0) } }
            let scheduling = known[2].map { SchedulerStatistics(runQueueWaitNanoseconds: $0, migrations: known[3]) }
            return .account(ProcessAccount(memory: memory, scheduling: scheduling))
        default:
            throw ProtocolError("unknown message kind \(kind) from a worker")
        }
    }
}
