import Platform
import Workloads

/// One worker's part of one sample: join, take chunks from the task stream
/// through the consumer group (and, when the stream has nothing new, take
/// over chunks whose worker went silent), put each chunk's result on the
/// result stream and acknowledge it, until a `stop` entry comes; then the
/// final report.
///
/// Each chunk costs one round trip: its result, its acknowledgement and the
/// read of the next chunk go out together in one pipeline.
struct SampleWorker {
    let connection: RedisConnection
    let keys: BrokerKeys
    let setup: SampleSetup
    let identity: WorkerIdentity
    let heartbeat: WorkerHeartbeat
    /// A worker spawned for this sample counts its CPU time from its birth,
    /// as a pool worker does; a remote one from joining the sample.
    let usageSinceBirth: Bool

    /// How long one read waits for a new chunk before looking for abandoned
    /// ones: short, so a redelivery is not delayed much past its timeout.
    private var pollMilliseconds: Int {
        setup.redeliveryMilliseconds > 0 ? max(10, min(100, setup.redeliveryMilliseconds / 4)) : 100
    }

    /// Runs the sample; false when the worker could not (it said why in its
    /// final report). Throws when the broker is lost.
    func run() throws(BrokerError) -> Bool {
        let baseline = usageSinceBirth ? ResourceUsage.zero : ResourceUsage.currentProcess()
        let threadsBefore = usageSinceBirth ? [:] : SchedulerStatistics.threadsOfThisProcess()
        if !usageSinceBirth { PeakMemory.reset() }
        var chunks = 0
        // Sent with the next read (a result, its acknowledgement), or with the final report.
        var outgoing: [[String]] = []
        do {
            let workload = try WorkloadRegistry.make(setup.workload, parameters: setup.parameters)
            try workload.setUpProcess()
            let session = try workload.makeSession()
            try connection.call(["XADD", keys.joined, "*", "w", identity.id, "host", identity.host, "pid", String(identity.pid)])
            var masterCheckedAt = MonotonicClock.now()
            reading: while true {
                outgoing.append([
                    "XREADGROUP", "GROUP", BrokerKeys.group, identity.id, "COUNT", "1", "BLOCK", String(pollMilliseconds),
                    "STREAMS", keys.tasks, ">",
                ])
                let replies = try connection.pipeline(outgoing, blockMilliseconds: pollMilliseconds)
                outgoing = []
                var entries = StreamEntry.byStream(replies[replies.count - 1])[keys.tasks] ?? []
                let redelivered = entries.isEmpty && setup.redeliveryMilliseconds > 0
                if redelivered {
                    entries = StreamEntry.claimed(try connection.call([
                        "XAUTOCLAIM", keys.tasks, BrokerKeys.group, identity.id, String(setup.redeliveryMilliseconds), "0-0",
                        "COUNT", "1",
                    ]))
                }
                // Idle: once a second, make sure the master is still there (a bench that was
                // killed never sends `stop`; a remote worker must not wait for it forever).
                if entries.isEmpty && MonotonicClock.now() &- masterCheckedAt > 1_000_000_000 {
                    masterCheckedAt = MonotonicClock.now()
                    if try connection.call(["EXISTS", keys.master]).integer == 0 { return false }
                }
                for entry in entries {
                    let acknowledge = ["XACK", keys.tasks, BrokerKeys.group, entry.id]
                    if entry.fields["stop"] != nil {
                        outgoing.append(acknowledge)
                        break reading
                    }
                    guard let chunk = entry.fields["c"].flatMap(Int.init), chunk >= 0, chunk < setup.chunks else {
                        throw WorkloadError("the task stream holds an entry that is not a chunk: \(entry.fields)")
                    }
                    heartbeat.working(on: entry.id, of: keys.tasks)
                    var checksum = Checksum()
                    for task in setup.range(ofChunk: chunk) {
                        checksum.add(task: task, result: try session.run(task: task))
                    }
                    heartbeat.working(on: nil, of: keys.tasks)
                    let result = ChunkResult(chunk: chunk, checksum: checksum, worker: identity.id, redelivered: redelivered)
                    outgoing += [["XADD", keys.results, "*"] + result.fields, acknowledge]
                    chunks += 1
                }
            }
            // What the workload buffered (printed lines) is part of the work, before the report.
            try workload.finish()
        } catch let error as BrokerError {
            throw error
        } catch {
            let final = WorkerFinal(worker: identity.id, usage: .zero, peakKilobytes: 0, chunks: chunks, failure: oneLine(error))
            try connection.call(["XADD", keys.final, "*"] + final.fields)
            return false
        }
        let usage = ResourceUsage.currentProcess() - baseline
        // After the sample's last result (the coordinator's clock stopped there), while this worker's threads exist.
        let scheduling = SchedulerStatistics.isAvailable
            ? SchedulerStatistics.change(from: threadsBefore, to: SchedulerStatistics.threadsOfThisProcess()) : nil
        let final = WorkerFinal(
            worker: identity.id, usage: usage, peakKilobytes: PeakMemory.currentKilobytes(), chunks: chunks,
            account: ProcessAccount(memory: .ofThisProcess(), scheduling: scheduling))
        try connection.pipeline(outgoing + [["XADD", keys.final, "*"] + final.fields])
        return true
    }
}
