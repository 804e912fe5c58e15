import Foundation
import Testing
import Workloads
@testable import Bench

/// The runner's guarantees, checked with models that misbehave on purpose
/// and with the built binary under the flags that bound or stop a run.
@Suite("Runner", .serialized)
struct RunnerTests {
    /// Serial, but task 0 is never run: the checksum cannot match.
    struct LosingModel: ConcurrencyModel {
        var name: ModelName { .thread }

        func execute(_ job: Job) throws -> Execution {
            var checksum = Checksum()
            for task in 1..<job.tasks {
                checksum.add(task: task, result: try job.workload.run(task: task))
            }
            return Execution(checksum: checksum, wallSeconds: 0.001, setupSeconds: 0)
        }
    }

    @Test func aChecksumMismatchIsARowMarkedFalseAndAFailedCell() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var options = MatrixOptions()
        options.workloads = ["noop"]
        options.models = [.serial, .thread]
        options.workers = [2]
        options.tasks = 10
        options.runs = 2
        options.warmup = 0
        let plan = try MatrixPlan(options)
        let run = try RunFolder(root: folder.url.path, label: "mismatch", plan: plan, commandLine: ["test"])
        let outcome = try await offCooperativePool {
            try Runner(plan: plan, recorder: run, progress: ProgressLine(enabled: false)) { name in
                name == .thread ? LosingModel() : ModelRegistry.model(name)
            }.run()
        }
        try run.finish(outcome)
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.message.contains("checksum mismatch") == true)
        #expect(outcome.failures.first?.message.contains(" — ") == true)
        let raw = try String(contentsOf: run.url.appendingPathComponent("raw.csv"), encoding: .utf8)
        let threadRows = raw.split(separator: "\n").filter { $0.contains(",thread,") }
        // The bad run is kept, marked false; the cell takes no more runs after failing.
        #expect(threadRows.count == 1)
        #expect(threadRows.allSatisfy { $0.hasSuffix(",false") })
        let summary = try String(contentsOf: run.url.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(!summary.contains(",thread,"))
        #expect(summary.contains(",serial,"))
        // A run with a failed cell is kept, but latest points only at complete runs.
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest").path))
    }

    @Test func metaJSONHasEveryFieldWithItsType() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "noop", "--model", "serial", "--runs", "1", "--warmup", "0", "--tasks", "10",
            "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let data = try Data(contentsOf: folder.url.appendingPathComponent("latest/meta.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["status", "run_id", "started_at", "ended_at", "swift_version", "build_configuration", "harness_version"] {
            #expect(meta[key] is String, "\(key)")
        }
        #expect(meta["command_line"] is [String])
        #expect(meta["load_average_start"] is Double || meta["load_average_start"] is Int)
        #expect(meta["cells"] as? Int == 1)
        #expect(meta["measured_runs"] as? Int == 1)
        #expect((meta["failures"] as? [Any])?.isEmpty == true)
        let host = try #require(meta["host"] as? [String: Any])
        for key in ["host_name", "kernel", "cpu_model"] {
            #expect(host[key] is String, "host.\(key)")
        }
        #expect((host["logical_cores"] as? Int ?? 0) >= 1)
        let parameters = try #require(meta["parameters"] as? [String: Any])
        #expect(parameters["workloads"] as? [String] == ["noop"])
        #expect(parameters["runs"] as? Int == 1)
        #expect(parameters["timeout_s"] is Double || parameters["timeout_s"] is Int)
        #expect((parameters["workload"] as? [String: Any])?["iterations"] is Int)
        // The harness's own commit, read from the checkout the binary was built in (none from a tarball).
        let checkout = [".git/HEAD", ".git"].contains {
            PackageFile.locate($0, currentDirectory: nil, executable: BenchBinary.url.path) != nil
        }
        if checkout {
            #expect((meta["git_commit"] as? String)?.count == 40)
        } else {
            #expect(meta["git_commit"] == nil)
        }
    }

    @Test func maxTimeStopsACellEarly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "sleep", "--sleep-ms", "20", "--tasks", "2", "--model", "serial", "--runs", "40",
            "--warmup", "0", "--max-time", "0.1", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let raw = try String(contentsOf: folder.url.appendingPathComponent("latest/raw.csv"), encoding: .utf8)
        let rows = raw.split(separator: "\n").count - 1
        // Each run takes about 40 ms, so 0.1 s of measuring is a handful of runs, not 40.
        #expect(rows >= 1 && rows <= 5, "\(rows) rows")
    }

    @Test func ctrlCStopsAfterTheCurrentRunAndKeepsWhatWasMeasured() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let process = try Spawned(BenchBinary.url, [
            "run", "--workload", "sleep", "--sleep-ms", "50", "--tasks", "2", "--model", "serial,thread", "--workers", "2",
            "--runs", "200", "--warmup", "0", "--out", folder.url.path, "--label", "stopped", "--no-plot",
        ])
        // Wait for the first rows, then interrupt.
        let deadline = Date().addingTimeInterval(20)
        var raw: URL?
        while Date() < deadline {
            if let run = try? FileManager.default.contentsOfDirectory(atPath: folder.url.path).first(where: { $0.hasSuffix("-stopped") }) {
                let candidate = folder.url.appendingPathComponent(run).appendingPathComponent("raw.csv")
                if let text = try? String(contentsOf: candidate, encoding: .utf8), text.split(separator: "\n").count >= 3 {
                    raw = candidate
                    break
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let rawURL = try #require(raw, "no rows appeared")
        kill(process.pid, SIGINT)
        #expect(process.wait() == 1)
        let runFolder = rawURL.deletingLastPathComponent()
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runFolder.appendingPathComponent("meta.json"))) as? [String: Any])
        #expect(meta["status"] as? String == "interrupted")
        let rows = try String(contentsOf: rawURL, encoding: .utf8).split(separator: "\n").count - 1
        #expect(rows >= 2 && rows < 400)
        #expect(meta["measured_runs"] as? Int == rows)
        #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("summary.csv").path))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest").path))
    }
}
