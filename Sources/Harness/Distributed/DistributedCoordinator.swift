import Broker
import Engine
import Foundation
import Glibc
import Platform
import Workloads

/// The master's side of one sample of the distributed model, the seeds'
/// master/worker with Redis streams for its queues: it writes what to run,
/// starts (or summons) the workers, puts the chunks on the task stream once
/// every worker has joined, counts each chunk's first result and drops any
/// repeat, and when every chunk is in, tells the workers to stop and
/// collects their final reports.
///
/// A worker that dies is noticed (its process ended, or its heartbeat
/// expired); its chunk goes to another worker once the redelivery timeout
/// passes. With redelivery off, a dead worker that held a chunk fails the
/// sample. Whatever fails, every worker bench spawned is killed and reaped,
/// and the sample's keys are deleted when the broker is still there.
final class DistributedCoordinator {
    private let job: Job
    private let model: String
    private let killWorkerAfterTasks: Int?
    private let address: BrokerAddress
    private let options: DistributedOptions
    private let keys: BrokerKeys
    private let setup: SampleSetup
    private let connection: RedisConnection
    private var local: LocalWorkers?

    /// A worker that joined, by consumer id.
    private struct Member {
        let host: String
        let pid: Int
        var final: WorkerFinal?
        var dead = false
        /// For a local worker, its index among the spawned processes.
        var index: Int?
    }

    private var members: [String: Member] = [:]
    private var joinOrder: [String] = []
    private var done: [Bool]
    private var chunksDone = 0
    private var tasksDone = 0
    private var checksum = Checksum()
    private var redelivered = 0
    private var duplicates = 0
    private var lost: [String] = []
    private var killedForTest = false
    private var deadline: UInt64 = 0

    /// How long one read of the result stream waits: also how soon a dead
    /// local worker is noticed.
    private static let pollMilliseconds = 20
    /// A live worker's final report must come within this after `stop`.
    private static let finalGraceSeconds = 5.0

    init(job: Job, model: String, address: BrokerAddress, options: DistributedOptions, killWorkerAfterTasks: Int? = nil) throws {
        self.job = job
        self.model = model
        self.killWorkerAfterTasks = killWorkerAfterTasks
        self.address = address
        self.options = options
        keys = BrokerKeys(sample: Self.randomID())
        setup = SampleSetup(
            workload: job.workloadName, parameters: job.parameters.description, tasks: job.tasks,
            chunkSize: job.pool.chunkSize ?? TaskAssignment.defaultChunkSize(tasks: job.tasks, processes: job.shape.processes),
            slots: job.shape.processes, redeliveryMilliseconds: Int((options.redeliverySeconds * 1000).rounded()))
        done = [Bool](repeating: false, count: setup.chunks)
        // Before the clock, as a pool resolves its launcher: connecting is not the model's work.
        connection = try RedisConnection(address)
    }

    /// Runs the sample; its timings and what it saw.
    func run() throws -> (Execution, DistributedSampleRecord) {
        // One --timeout for all of it, a wait for remote workers included: past it
        // (and a grace) the runner's watchdog ends bench.
        deadline = MonotonicClock.deadline(afterSeconds: job.timeoutSeconds)
        if options.remoteWorkers != nil {
            try waitForRemoteWorkers()
        }
        do {
            return try execute()
        } catch {
            local?.stopAll()
            abandon()
            throw error
        }
    }

    private func execute() throws -> (Execution, DistributedSampleRecord) {
        let startedAt = MonotonicClock.now()
        try connection.pipeline([
            ["DEL"] + keys.all,
            ["SET", keys.master, "1", "PX", String(BrokerKeys.masterTTLMilliseconds)],
            ["HSET", keys.setup] + setup.fields,
            ["XGROUP", "CREATE", keys.tasks, BrokerKeys.group, "$", "MKSTREAM"],
        ])
        masterRenewedAt = MonotonicClock.now()
        if options.remoteWorkers != nil {
            try connection.call(["XADD", BrokerKeys.announcements, "MAXLEN", "~", "1000", "*", "sample", keys.sample])
        } else {
            local = try LocalWorkers(count: job.shape.processes, broker: address, sample: keys.sample)
        }
        try waitForJoins()
        let readyAt = MonotonicClock.now()
        try publishChunks()
        try collectResults()
        let finishedAt = MonotonicClock.now()
        let usageAtFinish = ResourceUsage.currentProcess()

        try connection.pipeline(members.keys.map { _ in ["XADD", keys.tasks, "*", "stop", "1"] })
        try collectFinals()
        local?.reap(until: MonotonicClock.deadline(afterSeconds: 2))
        _ = try? connection.call(["DEL"] + keys.all + localAliveKeys)

        var workerUsage = ResourceUsage.zero
        var peak = 0
        var account = ProcessAccount.zero
        for member in members.values {
            workerUsage = workerUsage + (member.final?.usage ?? .zero)
            peak += member.final?.peakKilobytes ?? 0
            // A worker lost before its final report leaves the sums unknown rather than smaller.
            account = account + (member.final?.account ?? ProcessAccount(memory: nil, scheduling: nil))
        }
        let wall = MonotonicClock.seconds(from: startedAt, to: finishedAt)
        var execution = Execution(
            checksum: checksum, wallSeconds: wall, setupSeconds: MonotonicClock.seconds(from: startedAt, to: readyAt),
            workerUsage: workerUsage, workerPeakKilobytes: peak, ownUsage: .until(usageAtFinish))
        execution.workerAccount = account
        let record = DistributedSampleRecord(
            model: model, workload: job.workloadName, parameters: job.parameters.description, tasks: job.tasks, chunkSize: setup.chunkSize,
            workers: joinOrder.map { id in
                let member = members[id]!
                return DistributedSampleRecord.Worker(host: member.host, pid: member.pid, chunks: member.final?.chunks)
            },
            redeliveredChunks: redelivered, duplicatesDropped: duplicates, lostWorkers: lost, wallSeconds: wall)
        return (execution, record)
    }

    // MARK: - Workers

    /// Remote workers must be registered before the clock starts (DESIGN:
    /// for remote workers, timing starts when they are registered).
    private func waitForRemoteWorkers() throws {
        let wanted = job.shape.processes
        let until = min(deadline, MonotonicClock.deadline(afterSeconds: 30))
        while try RemoteWorkers.live(connection).count < wanted {
            guard MonotonicClock.now() < until else {
                throw BenchError.runFailed(
                    "fewer than \(wanted) remote workers are registered at \(address.endpoint)",
                    fix: "start more with: \(RemoteWorkers.command(for: address))")
            }
            usleep(100_000)
        }
    }

    /// Until every worker has joined: the end of setup.
    private func waitForJoins() throws {
        var last = "0-0"
        while members.count < job.shape.processes {
            let reply = try connection.call(
                ["XREAD", "COUNT", "100", "BLOCK", String(Self.pollMilliseconds), "STREAMS", keys.joined, keys.final, last, "0-0"],
                blockMilliseconds: Self.pollMilliseconds)
            let streams = StreamEntry.byStream(reply)
            if let failed = streams[keys.final]?.compactMap(WorkerFinal.init).first(where: { $0.failure != nil }) {
                throw workerFailed(failed)
            }
            for entry in streams[keys.joined] ?? [] {
                last = entry.id
                guard let id = entry.fields["w"], members[id] == nil else { continue }
                let pid = entry.fields["pid"].flatMap(Int.init) ?? 0
                members[id] = Member(host: entry.fields["host"] ?? "?", pid: pid, index: local?.pids.firstIndex(of: Int32(pid)))
                joinOrder.append(id)
            }
            if let local {
                // Before it joined, any end is a failure: its own error line is above (stderr is bench's).
                if let ended = local.newlyEnded().first {
                    throw BenchError.runFailed(
                        "distributed worker \(ended.index) (pid \(ended.pid)) \(ended.status) before it joined the sample",
                        fix: "its own error, if any, is printed above; check that \(HelperExecutable.environmentVariable), if set, is this build's bench-worker")
                }
            }
            try checkDeadline("waiting for \(job.shape.processes - members.count) of \(job.shape.processes) workers to join")
        }
    }

    /// Workers that died since the last look: a process that ended (local),
    /// or a heartbeat that expired (remote).
    private var lastHeartbeatCheck: UInt64 = 0

    private func noticeDeaths() throws {
        var died: [String] = []
        if let local {
            // A worker exits 0 only after its final report, which the stream still holds for us.
            for ended in local.newlyEnded() where !ended.status.isSuccess {
                if let id = members.first(where: { $0.value.index == ended.index })?.key, members[id]?.final == nil {
                    died.append(id)
                    lost.append("\(members[id]!.host):\(ended.pid) (\(ended.status))")
                }
            }
        } else if MonotonicClock.now() &- lastHeartbeatCheck > 500_000_000 {
            lastHeartbeatCheck = MonotonicClock.now()
            let watched = members.filter { !$0.value.dead && $0.value.final == nil }.map(\.key).sorted()
            if !watched.isEmpty {
                let alive = try connection.pipeline(watched.map { ["EXISTS", BrokerKeys.alive($0)] })
                for (id, reply) in zip(watched, alive) where reply.integer != 1 {
                    died.append(id)
                    lost.append("\(id) (heartbeat stopped)")
                }
            }
        }
        for id in died {
            members[id]?.dead = true
            if options.redeliverySeconds == 0 {
                // Lost only if it held a chunk it had not acknowledged.
                let pending = try connection.call(["XPENDING", keys.tasks, BrokerKeys.group, "-", "+", "1", id])
                if !(pending.elements ?? []).isEmpty {
                    throw BenchError.runFailed(
                        "distributed worker \(id) died holding a chunk (\(tasksDone) of \(job.tasks) tasks done), and redelivery is off (--redelivery-timeout 0), so its tasks are lost; the other workers were stopped",
                        fix: "leave --redelivery-timeout at its default (2 s) to let another worker take the chunk over")
                }
            }
        }
        if members.values.allSatisfy(\.dead) {
            throw BenchError.runFailed(
                "every distributed worker died (\(lost.joined(separator: ", "))) with \(job.tasks - tasksDone) of \(job.tasks) tasks not done",
                fix: "if nobody killed them, look for the OOM killer (dmesg) or an error above")
        }
    }

    // MARK: - Chunks and results

    private func publishChunks() throws {
        var batch: [[String]] = []
        for chunk in 0..<setup.chunks {
            batch.append(["XADD", keys.tasks, "*", "c", String(chunk)])
            if batch.count == 1_024 || chunk == setup.chunks - 1 {
                try connection.pipeline(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Until every chunk's result is in: the end of the sample's wall time.
    private func collectResults() throws {
        var lastResult = "0-0"
        var lastFinal = "0-0"
        while chunksDone < setup.chunks {
            let reply = try connection.call(
                ["XREAD", "COUNT", "4096", "BLOCK", String(Self.pollMilliseconds), "STREAMS", keys.results, keys.final, lastResult, lastFinal],
                blockMilliseconds: Self.pollMilliseconds)
            let streams = StreamEntry.byStream(reply)
            for entry in streams[keys.results] ?? [] {
                lastResult = entry.id
                guard let result = ChunkResult(entry), result.chunk < setup.chunks,
                      result.checksum.taskCount == setup.range(ofChunk: result.chunk).count else {
                    throw BenchError.runFailed(
                        "a distributed worker put a malformed result on the broker: \(entry.fields)",
                        fix: "check that every worker runs this build's bench-worker")
                }
                if result.redelivered { redelivered += 1 }
                if done[result.chunk] {
                    duplicates += 1
                    continue
                }
                done[result.chunk] = true
                chunksDone += 1
                tasksDone += result.checksum.taskCount
                checksum.merge(result.checksum)
            }
            for entry in streams[keys.final] ?? [] {
                lastFinal = entry.id
                if let final = WorkerFinal(entry), final.failure != nil { throw workerFailed(final) }
            }
            injectFault()
            try noticeDeaths()
            try checkDeadline("\(tasksDone) of \(job.tasks) tasks done")
        }
    }

    /// Every live worker's final report, with its CPU time and peak memory.
    private func collectFinals() throws {
        var last = "0-0"
        let until = min(deadline, MonotonicClock.deadline(afterSeconds: Self.finalGraceSeconds))
        while members.values.contains(where: { !$0.dead && $0.final == nil }) {
            let reply = try connection.call(
                ["XREAD", "COUNT", "100", "BLOCK", String(Self.pollMilliseconds), "STREAMS", keys.final, last],
                blockMilliseconds: Self.pollMilliseconds)
            for entry in StreamEntry.byStream(reply)[keys.final] ?? [] {
                last = entry.id
                guard let final = WorkerFinal(entry) else { continue }
                if final.failure != nil { throw workerFailed(final) }
                members[final.worker]?.final = final
            }
            try keepMasterAlive()
            try noticeDeaths()
            guard MonotonicClock.now() < until else {
                let missing = members.filter { !$0.value.dead && $0.value.final == nil }.map(\.key).sorted()
                throw BenchError.runFailed(
                    "distributed workers \(missing.joined(separator: ", ")) sent no final report within \(Int(Self.finalGraceSeconds)) s of the last result",
                    fix: "look for a hung worker; with remote workers, check the network between the hosts and the broker")
            }
        }
    }

    // MARK: - Faults, time limit, clean-up

    /// The experiment's and the tests' worker killer (`killWorkerAfterTasks`).
    private func injectFault() {
        guard let after = killWorkerAfterTasks, !killedForTest, tasksDone >= after, let local else { return }
        killedForTest = true
        local.kill(0)
    }

    /// Renews the master's heartbeat once a second (called from every waiting loop).
    private var masterRenewedAt: UInt64 = 0

    private func keepMasterAlive() throws {
        guard MonotonicClock.now() &- masterRenewedAt > 1_000_000_000 else { return }
        masterRenewedAt = MonotonicClock.now()
        try connection.call(["SET", keys.master, "1", "PX", String(BrokerKeys.masterTTLMilliseconds)])
    }

    private func checkDeadline(_ progress: String) throws {
        try keepMasterAlive()
        guard MonotonicClock.now() < deadline else {
            throw BenchError.runFailed(
                "the distributed sample did not finish within --timeout \(job.timeoutSeconds) s (\(progress)); every worker was stopped",
                fix: "raise --timeout, or look for a hung task or a worker that cannot reach the broker")
        }
    }

    private func workerFailed(_ final: WorkerFinal) -> BenchError {
        .runFailed("distributed worker \(final.worker) failed: \(final.failure ?? "")", fix: "the other workers were stopped")
    }

    /// The heartbeat keys of the workers bench spawned (they expire anyway; this is tidier).
    private var localAliveKeys: [String] {
        local == nil ? [] : members.keys.map(BrokerKeys.alive)
    }

    /// After a failure: stop remote workers' part in the sample (one `stop`
    /// each), and delete the sample's keys, when the broker still answers.
    private func abandon() {
        guard let cleanup = try? RedisConnection(address, connectSeconds: 0.5) else { return }
        var commands = members.keys.map { _ in ["XADD", keys.tasks, "*", "stop", "1"] }
        if options.remoteWorkers == nil { commands = [] }
        // Remote workers need a moment to read their stop before the stream goes.
        if !commands.isEmpty {
            _ = try? cleanup.pipeline(commands)
            usleep(300_000)
        }
        _ = try? cleanup.call(["DEL"] + keys.all + localAliveKeys)
    }

    /// 8 random bytes in hex: a sample's keys never meet another's.
    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
