import Foundation
import Glibc
import Testing
import Workloads
@testable import Broker
@testable import Engine
@testable import Harness
import Platform
import TestSupport

/// The distributed model in this process, against the redis-server bench
/// starts for itself: the same checksums as serial, a killed worker's chunk
/// redelivered and counted once, and every fault (redelivery off, a killed
/// broker, a wrong password, nothing listening) one clear error within its
/// bound, with no worker left behind. Serialized: the checks for leftover
/// workers look at every `bench-worker --broker ... --sample` child of this process.
@Suite("Distributed model", .serialized)
struct DistributedModelTests {
    static func job(_ workload: String, _ parameters: String, tasks: Int, workers: Int, chunk: Int? = nil, timeout: Double = 60) throws -> Job {
        let declaration = try #require(WorkloadRegistry.declaration(named: workload))
        let values = try declaration.values(parsing: parameters)
        return Job(
            workload: try declaration.make(values), workloadName: workload, parameters: values, tasks: tasks,
            shape: .processes(workers, threadsEach: 1), pool: PoolOptions(chunkSize: chunk), timeoutSeconds: timeout)
    }

    static func runtime(redelivery: Double = 2) -> DistributedRuntime {
        useBuiltBenchForWorkers()
        var options = DistributedOptions()
        options.redeliverySeconds = redelivery
        return DistributedRuntime(options: options)
    }

    /// Workers a distributed sample of this process spawned (`--sample`), still running or unreaped.
    static var leftoverWorkers: [Int32] {
        ProcessTable.children(of: getpid()).filter { ProcessTable.commandLine($0).contains("\(DistributedWorker.flag) ") && ProcessTable.commandLine($0).contains(" --sample ") }
    }

    /// Runs `job` off the cooperative pool; its error line (nil if none) and the seconds it took.
    static func failure(of model: DistributedModel, _ job: Job) async throws -> (String?, Double) {
        try await offCooperativePool {
            let start = MonotonicClock.now()
            do {
                _ = try model.execute(job)
                return (nil, MonotonicClock.seconds(since: start))
            } catch {
                return (oneLine(error), MonotonicClock.seconds(since: start))
            }
        }
    }

    static func serialChecksum(_ job: Job) throws -> Checksum {
        try SerialModel().execute(job).checksum
    }

    @Test(arguments: [
        ("xor", "iterations=20000", 37, 3, nil as Int?),
        ("sleep", "sleep-ms=2", 20, 4, 1),
        ("noop", "", 500, 2, 7),
    ])
    func givesSerialsChecksum(workload: String, parameters: String, tasks: Int, workers: Int, chunk: Int?) async throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let job = try Self.job(workload, parameters, tasks: tasks, workers: workers, chunk: chunk)
        let runtime = Self.runtime()
        let model = DistributedModel(runtime: runtime)
        let execution = try await offCooperativePool { try model.execute(job) }
        #expect(execution.checksum == (try Self.serialChecksum(job)))
        #expect(execution.setupSeconds > 0 && execution.setupSeconds < execution.wallSeconds)
        #expect(execution.workerPeakKilobytes > 1_000, "each worker's own VmHWM")
        let record = try #require(runtime.records.last)
        #expect(record.workers.count == workers && Set(record.workers.map(\.pid)).count == workers)
        #expect(record.workers.allSatisfy { $0.host == ProcessInfo.processInfo.hostName || !$0.host.isEmpty })
        #expect(record.workers.compactMap(\.chunks).reduce(0, +) == (tasks + (chunk ?? 1) - 1) / (chunk ?? 1) || chunk == nil)
        #expect(record.redeliveredChunks == 0 && record.duplicatesDropped == 0 && record.lostWorkers.isEmpty)
        #expect(ProcessTable.eventually(within: 2) { Self.leftoverWorkers.isEmpty })
    }

    @Test func aKilledWorkersChunkIsRedeliveredAndEveryTaskCountedOnce() async throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let job = try Self.job("sleep", "sleep-ms=40", tasks: 24, workers: 3, chunk: 2)
        let runtime = Self.runtime(redelivery: 1)
        let model = DistributedModel(runtime: runtime, name: "distributed-kill", killWorkerAfterTasks: 4)
        let execution = try await offCooperativePool { try model.execute(job) }
        #expect(execution.checksum == (try Self.serialChecksum(job)), "every task exactly once")
        let record = try #require(runtime.records.last)
        #expect(record.lostWorkers.count == 1 && record.lostWorkers[0].contains("SIGKILL"), "\(record.lostWorkers)")
        #expect(record.redeliveredChunks >= 1, "the dead worker's chunk came back")
        // Past the redelivery timeout, but not by much.
        #expect(execution.wallSeconds > 1 && execution.wallSeconds < 6, "\(execution.wallSeconds)")
        let samples = try #require(runtime.metadata["samples"])
        guard case let .array(entries) = samples, case let .integer(count)? = entries.last?["redelivered_chunks"] else {
            Issue.record("meta.json's note has no redelivery count: \(samples)")
            return
        }
        #expect(count == record.redeliveredChunks)
        #expect(ProcessTable.eventually(within: 2) { Self.leftoverWorkers.isEmpty })
    }

    @Test func withRedeliveryOffAKilledWorkerFailsTheSampleClearly() async throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let job = try Self.job("sleep", "sleep-ms=100", tasks: 20, workers: 2, chunk: 2)
        let model = DistributedModel(runtime: Self.runtime(redelivery: 0), name: "distributed-kill", killWorkerAfterTasks: 2)
        let (error, seconds) = try await Self.failure(of: model, job)
        let line = try #require(error)
        #expect(line.contains("died holding a chunk") && line.contains("redelivery is off"), "\(line)")
        #expect(seconds < 3, "fails when the death is noticed, took \(seconds) s")
        #expect(ProcessTable.eventually(within: 2) { Self.leftoverWorkers.isEmpty }, "every worker killed and reaped")
    }

    @Test func aKilledBrokerFailsTheSampleWithoutAHangAndLeavesNoWorker() async throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let runtime = Self.runtime()
        let model = DistributedModel(runtime: runtime)
        _ = try runtime.prepare()
        let server = try #require(runtime.embeddedServerPID)
        let job = try Self.job("sleep", "sleep-ms=200", tasks: 40, workers: 2)
        let killer = try NativeThread.start(name: "broker-killer") { usleep(600_000); kill(server, SIGKILL) }
        let (error, seconds) = try await Self.failure(of: model, job)
        killer.join()
        let line = try #require(error)
        #expect(line.contains("lost the Redis broker at 127.0.0.1:"), "\(line)")
        #expect(seconds < 3, "took \(seconds) s")
        #expect(ProcessTable.eventually(within: 2) { Self.leftoverWorkers.isEmpty })
        // The next sample gets a new broker.
        let next = try Self.job("noop", "", tasks: 10, workers: 1)
        #expect(try await offCooperativePool { try model.execute(next) }.checksum == (try Self.serialChecksum(next)))
        #expect(runtime.embeddedServerPID != server)
    }

    @Test func aWrongPasswordOrNothingListeningIsOneErrorWithinTwoSeconds() async throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let runtime = Self.runtime()
        _ = try runtime.prepare()
        let good = try runtime.broker().address
        let secret = "not-the-password-4242"
        let wrong = BrokerAddress(host: good.host, port: good.port, password: secret)
        let closed = BrokerAddress(host: "127.0.0.1", port: RawSocket.unusedPort(), password: secret)
        // A server that accepts and never answers.
        let silent = try RawListener()
        defer { withExtendedLifetime(silent) {} }
        let mute = BrokerAddress(host: "127.0.0.1", port: silent.port, password: secret)
        for (address, expected) in [(wrong, "refused to log in"), (closed, "Connection refused"), (mute, "did not answer a login")] {
            let start = MonotonicClock.now()
            do {
                _ = try RedisConnection(address)
                Issue.record("\(address) let us in")
            } catch {
                let line = oneLine(error)
                #expect(MonotonicClock.seconds(since: start) < 2)
                #expect(line.contains(expected) && line.contains(address.endpoint) && !line.contains(secret), "\(line)")
                #expect(!line.contains("\n"))
            }
        }
    }
}

extension DistributedRuntime {
    /// The pid of the redis-server bench started, if it did.
    var embeddedServerPID: Int32? {
        guard case let .object(fields)? = metadata["embedded"], case let .integer(pid)? = fields["pid"] else { return nil }
        return Int32(pid)
    }
}
