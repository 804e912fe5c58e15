import Foundation
import Glibc
import Testing
import Broker
import Engine
import Harness
import Platform
import TestSupport

/// The distributed model through the built binaries, as a user runs it:
/// against a broker the user started (`--broker`), across two network
/// namespaces with workers started by hand, and as an experiment. Each test
/// starts its own redis-server on a free port; none uses a running one.
@Suite("Distributed end to end", .serialized)
struct DistributedEndToEndTests {
    static func password() -> String {
        "pw-" + String(UInt64.random(in: 0..<UInt64.max), radix: 36) + String(UInt64.random(in: 0..<UInt64.max), radix: 36)
    }

    @Test func aRunRecordsItsWorkersAndNeverThePassword() throws {
        let redis = try RedisServer(password: Self.password())
        defer { redis.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let python = PackageFile.onPath("python3") != nil
        let models = ["serial", "distributed"] + (python ? ["python-serial", "python-distributed"] : [])
        let bench = try Spawned(BenchBinary.url, [
            "run", "--workload", "sleep,noop,xor", "--model", models.joined(separator: ","), "--workers", "2", "--tasks", "12",
            "--sleep-ms", "30", "--iterations", "5000", "--runs", "1", "--warmup", "0",
            "--broker", "redis://:\(redis.password)@127.0.0.1:\(redis.port)", "--out", folder.url.path, "--no-plot",
        ], pipeOutput: true)
        // Every worker's command line while the run goes on: the password must be in none.
        let watcher = WorkerWatcher(parent: bench.pid)
        let output = FileDescriptor.readToEnd(bench.output!).bytes
        let status = bench.wait()
        let commandLines = watcher.finish()
        let standardError = bench.standardError()
        #expect(status == 0, "\(standardError)")
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        #expect(raw.rows.count == 3 * models.count)
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "\(raw.rows.filter { $0["ok"] != "true" })")
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("latest"))
        let note = try #require((meta["notes"] as? [String: Any])?["distributed"] as? [String: Any])
        #expect(note["broker"] as? String == redis.url)
        #expect(note["embedded"] is NSNull)
        let samples = try #require(note["samples"] as? [[String: Any]])
        #expect(samples.count == 3)
        for sample in samples {
            let workers = try #require(sample["workers"] as? [[String: Any]])
            #expect(workers.count == 2 && workers.allSatisfy { ($0["host"] as? String)?.isEmpty == false && ($0["pid"] as? Int ?? 0) > 0 })
        }
        // Nowhere: not in any file of the run (meta.json's command line included), not on
        // either stream, not on a worker's command line.
        // (plots/ included: the chart plan and its data files.)
        let files = FileManager.default.enumerator(atPath: folder.url.appendingPathComponent("latest").resolvingSymlinksInPath().path)?.compactMap { $0 as? String } ?? []
        #expect(files.contains("raw.csv") && files.contains("plots/plan.tsv"), "\(files)")
        for name in files {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest/\(name)").path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let text = try String(contentsOf: folder.url.appendingPathComponent("latest/\(name)"), encoding: .utf8)
            #expect(!text.contains(redis.password), "\(name) holds the password")
        }
        #expect(!String(decoding: output, as: UTF8.self).contains(redis.password) && !standardError.contains(redis.password))
        #expect(!commandLines.isEmpty, "the workers were seen")
        #expect(commandLines.allSatisfy { !$0.contains(redis.password) })
        // And no worker is left.
        #expect(ProcessTable.eventually(within: 3) { ProcessTable.descendants(of: bench.pid).isEmpty })
    }

    @Test func aWrongPasswordOrAClosedPortIsOneLineWithinTwoSeconds() throws {
        let redis = try RedisServer(password: Self.password())
        defer { redis.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wrong = "wrong-" + Self.password()
        let closed = RawSocket.unusedPort()
        for (url, expectedStatus, expected) in [
            (redis.url, Int32(64), "127.0.0.1:\(redis.port) refused to log in"),
            ("redis://127.0.0.1:\(closed)", 1, "cannot reach the Redis broker at 127.0.0.1:\(closed)"),
        ] {
            let result = try BenchBinary.run([
                "run", "--workload", "noop", "--model", "distributed", "--tasks", "4", "--runs", "1", "--broker", url,
                "--out", folder.url.path, "--no-plot",
            ], environment: [BrokerAddress.passwordVariable: wrong])
            #expect(result.status == expectedStatus, "\(result.standardError)")
            let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1 && errors[0].contains(expected), "\(errors)")
            #expect(!result.standardError.contains(wrong))
            #expect(result.seconds < 2, "took \(result.seconds) s")
        }
    }

    @Test(.disabled(if: NetworkNamespace.unavailableReason != nil, Comment(rawValue: NetworkNamespace.unavailableReason ?? "")))
    func workersInAnotherNetworkNamespaceTakeEveryTask() throws {
        let pair = try NamespacePair()
        defer { pair.remove() }
        let redis = try RedisServer(bind: pair.firstAddress, port: 6390, password: Self.password(), namespace: pair.first)
        defer { redis.stop() }
        let url = "redis://\(pair.firstAddress):6390"
        let environment = [BrokerAddress.passwordVariable: redis.password]
        // The workers, started by hand on "the other host", before bench: they register and wait.
        let workers = try (0..<2).map { _ in
            try Spawned(URL(fileURLWithPath: NetworkNamespace.ip), ["netns", "exec", pair.second, BenchBinary.workerURL.path, "--broker", url], environment: environment)
        }
        defer { workers.forEach { kill($0.pid, SIGKILL); _ = $0.wait(seconds: 5) } }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.runProgram(URL(fileURLWithPath: NetworkNamespace.ip), arguments: [
            "netns", "exec", pair.first, BenchBinary.url.path, "run", "--workload", "sleep,xor", "--model", "serial,distributed",
            "--workers", "1,2", "--tasks", "16", "--sleep-ms", "10", "--iterations", "20000", "--runs", "2", "--warmup", "0",
            "--broker", url, "--remote-workers", "--out", folder.url.path, "--no-plot",
        ], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("bench-worker --broker \(url)"), "the command for the other hosts is printed")
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        #expect(raw.rows.filter { $0["model"] == "distributed" }.count == 8)
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "every task came back once")
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("latest"))
        let samples = try #require(((meta["notes"] as? [String: Any])?["distributed"] as? [String: Any])?["samples"] as? [[String: Any]])
        let pids = Set(samples.flatMap { ($0["workers"] as? [[String: Any]] ?? []).compactMap { $0["pid"] as? Int } })
        #expect(pids == Set(workers.map { Int($0.pid) }), "the workers in the other namespace ran the samples")
        // The seeds' workers exit when the master is done.
        for worker in workers {
            #expect(worker.wait(seconds: 5) == 0, "\(worker.standardError())")
        }
    }

    @Test func theExperimentPrintsItsClaimsAndWritesExperimentCSV() throws {
        try #require(RedisServer.executable != nil, "redis-server is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["experiment", "distributed", "--quick", "--runs", "1", "--no-python", "--out", folder.url.path, "--no-plot"])
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["spread over several machines", "per-task cost on noop", "scaling", "chunks redelivered per sample"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        let experiment = try CSVTable(url: folder.url.appendingPathComponent("latest/experiment.csv"))
        #expect(Set(experiment.column("row")).isSuperset(of: ["overhead", "speedup", "lost_time", "redelivered_chunks", "claim"]))
        #expect(experiment.rows.filter { $0["row"] == "claim" }.allSatisfy { ["holds", "does-not-hold", "inconclusive"].contains($0["verdict"] ?? "") })
        let meta = try String(contentsOf: folder.url.appendingPathComponent("latest/meta.json"), encoding: .utf8)
        #expect(meta.contains("\"experiment\" : \"distributed\""))
    }
}

/// Samples the command lines of a process's distributed workers while it runs.
final class WorkerWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: Set<String> = []
    private var stopped = false

    init(parent: Int32) {
        Thread.detachNewThread { [self] in
            while !lock.withLock({ stopped }) {
                let seen = ProcessTable.descendants(of: parent).map(ProcessTable.commandLine).filter { $0.contains("--broker") }
                lock.withLock { lines.formUnion(seen) }
                usleep(5_000)
            }
        }
    }

    /// Stops sampling; every command line seen.
    func finish() -> Set<String> {
        lock.withLock {
            stopped = true
            return lines
        }
    }
}
