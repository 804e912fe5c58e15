import Foundation
import Glibc
import Testing
@testable import Harness
import Platform
import TestSupport

/// The experiments that measure with probes (channels, handoff, pool-calls),
/// end to end with small counts: their files, their claims, a party killed
/// mid-sample, bad input.
@Suite("Probe experiments", .serialized)
struct ProbeExperimentTests {
    static func run(_ arguments: [String]) throws -> (BenchBinary.Result, URL, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let result = try BenchBinary.run(["experiment"] + arguments + ["--out", folder.url.path, "--no-plot"])
        return (result, folder.url.appendingPathComponent("latest"), folder)
    }

    /// Checks the files every probe experiment writes; returns experiment.csv.
    static func checkFolder(_ run: URL, experiment: String) throws -> CSVTable {
        let csv = try CSVTable(url: run.appendingPathComponent("experiment.csv"))
        #expect(csv.header == ProbeCSV.header)
        #expect(Set(csv.column("record")) == ["sample", "median", "claim"])
        #expect(csv.rows.filter { $0["record"] == "claim" }.allSatisfy { ["holds", "does-not-hold", "inconclusive"].contains($0["verdict"] ?? "") })
        // No cells: raw.csv and summary.csv are a header alone.
        for name in ["raw.csv", "summary.csv"] {
            let table = try CSVTable(url: run.appendingPathComponent(name))
            #expect(!table.header.isEmpty && table.rows.isEmpty, "\(name)")
        }
        let meta = try String(contentsOf: run.appendingPathComponent("meta.json"), encoding: .utf8)
        #expect(meta.contains("\"experiment\" : \"\(experiment)\"") && meta.contains("\"status\" : \"complete\""))
        return csv
    }

    static func claim(_ csv: CSVTable, _ id: String) -> String? {
        csv.rows.first { $0["record"] == "claim" && $0["claim_id"] == id }?["verdict"]
    }

    @Test func channelsMeasuresEveryChannelAndProvesExactlyOnce() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let (result, run, folder) = try Self.run([
            "channels", "--quick", "--runs", "1", "--messages", "200", "--size", "8,1024",
            "--channel", "pipe,socketpair,thread-queue,asyncstream,mp-pipe,mp-queue,queue-queue,asyncio-queue",
        ])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["one-way msg/s", "round trip p50 µs", "2 writers and 2 readers", "queue.Queue is thread-safe"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        let csv = try Self.checkFolder(run, experiment: "channels")
        let medians = csv.rows.filter { $0["record"] == "median" }
        for channel in ["pipe", "socketpair", "thread-queue", "asyncstream", "mp-pipe", "mp-queue", "queue-queue", "asyncio-queue"] {
            for metric in ["msgs_per_s", "rtt_p50_us", "cpu_us_per_msg"] {
                #expect(medians.contains { $0["subject"] == channel && $0["metric"] == metric && Double($0["value"] ?? "") ?? 0 > 0 }, "\(channel) \(metric)")
            }
        }
        // Two writers and two readers: every message received exactly once, in both languages.
        for id in ["thread-queue-exactly-once", "process-queue-exactly-once-mp-queue", "process-queue-exactly-once-pipe"] {
            #expect(csv.rows.contains { $0["claim_id"] == id && $0["verdict"] == "holds" }, "\(id)")
        }
    }

    @Test func handoffAndPoolCallsRunInBothLanguages() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let (handoff, handoffRun, first) = try Self.run(["handoff", "--quick", "--runs", "2", "--rounds", "200"])
        defer { first.remove() }
        #expect(handoff.status == 0, "\(handoff.standardError)")
        let handoffCSV = try Self.checkFolder(handoffRun, experiment: "handoff")
        #expect(Set(handoffCSV.rows.filter { $0["record"] == "median" }.compactMap { $0["subject"] })
            == ["call", "generator-send", "asyncio-tasks", "async-tasks", "thread-condition", "process-pipe"])
        #expect(Self.claim(handoffCSV, "threads-pay-generator-send") != nil)

        // 10 samples: a ratio claim needs them to survive Holm's correction over the experiment's checks.
        let (pool, poolRun, second) = try Self.run(["pool-calls", "--quick", "--runs", "10", "--task-us", "100", "--chunksize", "1,16"])
        defer { second.remove() }
        #expect(pool.status == 0, "\(pool.standardError)")
        let poolCSV = try Self.checkFolder(poolRun, experiment: "pool-calls")
        let styles = Set(poolCSV.rows.filter { $0["record"] == "median" }.compactMap { $0["subject"] })
        #expect(styles == ["apply", "apply_async", "map", "imap", "imap_unordered", "map-lazy", "imap-lazy", "pool-queue", "process-pool", "lockstep"])
        // The seed's rule, as behaviour: a Queue to a Pool raises, a Manager().Queue() works.
        #expect(Self.claim(poolCSV, "mp-queue-raises") == "holds")
        #expect(Self.claim(poolCSV, "manager-queue-works") == "holds")
        #expect(Self.claim(poolCSV, "map-waits-for-the-iterable") == "holds")
    }

    /// Starts a long channels run, kills the party `pick` chooses, and checks the
    /// configuration fails with one line naming it and nothing is left behind.
    func killAParty(_ arguments: [String], pick: ([Int32], Int32) -> Int32?) throws -> String {
        try Self.killAParty(of: "channels", arguments + [
            "--variant", "round-trip", "--size", "8", "--runs", "1", "--messages", "10000000", "--timeout", "60",
        ], pick: pick)
    }

    /// The same for any probe experiment, whose `arguments` make it run long.
    static func killAParty(of experiment: String, _ arguments: [String], pick: ([Int32], Int32) -> Int32?) throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let process = try Spawned(BenchBinary.url, ["experiment", experiment] + arguments + [
            "--out", folder.url.path, "--no-plot",
        ], pipeOutput: true)
        let bench = process.pid
        var victim: Int32?
        var descendants: [Int32] = []
        let found = ProcessTable.eventually(within: 20) {
            descendants = ProcessTable.descendants(of: bench)
            victim = pick(descendants, bench)
            return victim != nil
        }
        #expect(found, "no party appeared: \(descendants.map(ProcessTable.commandLine))")
        guard let victim else { _ = process.wait(seconds: 1); return "" }
        usleep(300_000)
        kill(victim, SIGKILL)
        let status = process.wait(seconds: 30)
        #expect(status == 1, "the configuration fails and the run says so")
        let errors = process.standardError().split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 2, "one line for the configuration, one for the run: \(errors)")
        #expect(ProcessTable.eventually(within: 5) { (descendants + [victim]).allSatisfy(ProcessTable.hasExited) }, "no orphans")
        let meta = try String(contentsOf: try #require(
            FileManager.default.contentsOfDirectory(at: folder.url, includingPropertiesForKeys: nil).first { $0.lastPathComponent.hasSuffix(experiment) })
            .appendingPathComponent("meta.json"), encoding: .utf8)
        #expect(meta.contains("\"status\" : \"failed\""))
        return errors.first.map(String.init) ?? ""
    }

    @Test func aKilledSwiftPeerFailsItsConfigurationInOneLine() throws {
        let line = try killAParty(["--channel", "pipe", "--no-python"]) { descendants, _ in
            descendants.first { ProcessTable.commandLine($0).contains("channel-peer") }
        }
        #expect(line.contains("swift pipe round-trip 8 B: the pipe's echo process (pid") && line.contains("was killed by SIGKILL"), "\(line)")
    }

    @Test func aKilledPythonPartyFailsItsConfigurationInOneLine() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let line = try killAParty(["--channel", "mp-queue"]) { descendants, bench in
            // The probe is bench's child; the echo process is the probe's fork (same command line).
            let probe = ProcessTable.children(of: bench).first { ProcessTable.commandLine($0).contains("seed_channels.py") }
            return descendants.first { $0 != probe && ProcessTable.commandLine($0).contains("seed_channels.py") }
        }
        #expect(line.contains("python mp-queue round-trip 8 B: the Queue's echo process (pid") && line.contains("SIGKILL"), "\(line)")
    }

    @Test func badInputIsAUsageError() throws {
        for arguments in [
            ["channels", "--size", "4"], ["channels", "--size", "8,x"], ["channels", "--messages", "0"], ["channels", "--channel", "carrier-pigeon"],
            ["channels", "--variant", "sideways"], ["handoff", "--rounds", "5"], ["handoff", "--mechanism", "telepathy"],
            ["pool-calls", "--chunksize", "0"], ["pool-calls", "--task-us", "1,-2"], ["pool-calls", "--runs", "0"],
        ] {
            let result = try BenchBinary.run(["experiment"] + arguments + ["--no-python"])
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }.count == 1, "\(arguments)")
        }
        let list = try BenchBinary.run(["experiment", "list"])
        for name in ["channels", "handoff", "pool-calls"] {
            #expect(list.standardOutput.contains("\(name): ") && list.standardOutput.contains("plot/experiment-\(name).gp"))
        }
    }
}
