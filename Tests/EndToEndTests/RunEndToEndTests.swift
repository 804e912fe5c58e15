import Foundation
import Glibc
import Testing
import Harness
import Platform
import TestSupport

/// The runner's guarantees through the built binary: what meta.json holds,
/// and the flags that bound or stop an invocation.
@Suite("Run end to end", .serialized)
struct RunEndToEndTests {
    @Test func metaJSONHasEveryFieldWithItsType() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "noop", "--model", "serial", "--runs", "1", "--warmup", "0", "--tasks", "10",
            "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("latest"))
        for key in ["status", "run_id", "started_at", "ended_at", "swift_version", "build_configuration", "harness_version"] {
            #expect(meta[key] is String, "\(key)")
        }
        #expect(meta["command_line"] is [String])
        #expect(meta["load_average_start"] is Double || meta["load_average_start"] is Int)
        #expect(meta["cells"] as? Int == 1)
        #expect(meta["measured_runs"] as? Int == 1)
        #expect((meta["failures"] as? [Any])?.isEmpty == true)
        // How busy the machine was, before and during: whatever it was, it is recorded.
        #expect(meta["disturbed"] is Bool)
        let load = try #require(meta["machine_load"] as? [String: Any])
        for window in ["before", "during"] {
            let values = try #require(load[window] as? [String: Any], "\(window)")
            for key in ["seconds", "other_cpu_cores", "other_runnable", "steal_percent"] {
                #expect(values[key] is Double || values[key] is Int, "\(window).\(key)")
            }
        }
        #expect((load["before"] as? [String: Any])?["seconds"] as? Double ?? 0 >= 0.2)
        let host = try #require(meta["host"] as? [String: Any])
        for key in ["host_name", "kernel", "cpu_model"] {
            #expect(host[key] is String, "host.\(key)")
        }
        #expect((host["logical_cores"] as? Int ?? 0) >= 1)
        let parameters = try #require(meta["parameters"] as? [String: Any])
        #expect(parameters["workloads"] as? [String] == ["noop"])
        #expect(parameters["runs"] as? Int == 1)
        #expect(parameters["timeout_s"] is Double || parameters["timeout_s"] is Int)
        #expect(parameters["task_timing"] as? Bool == true)
        // Each selected workload's declared parameters with the values used: noop declares none.
        #expect((parameters["workload"] as? [String: Any])?["noop"] as? [String: Any] != nil)
        // The harness's own commit, read from the checkout the binary was built in (none from a tarball).
        let checkout = [".git/HEAD", ".git"].contains {
            PackageFile.locate($0, executable: BenchBinary.url.path) != nil
        }
        if checkout {
            #expect((meta["git_commit"] as? String)?.count == 40)
        } else {
            #expect(meta["git_commit"] == nil)
        }
    }

    /// --no-task-timing is how its cost is measured: the latency columns stay
    /// empty; with timing every model fills them, the Python driver's too.
    @Test func noTaskTimingLeavesTheLatencyColumnsEmpty() throws {
        for timed in [true, false] {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let result = try BenchBinary.run([
                "run", "--workload", "sleep", "--sleep-ms", "1", "--model", "serial,thread,process-pool,python-thread", "--workers", "2",
                "--tasks", "8", "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot",
            ] + (timed ? [] : ["--no-task-timing"]))
            #expect(result.status == 0, "\(result.standardError)")
            let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
            #expect(raw.rows.count == 4)
            for column in ["task_p50_s", "task_p99_s", "queue_p99_s"] {
                #expect(raw.column(column).allSatisfy { timed ? (Double($0) ?? 0) > 0 : $0.isEmpty }, "timed \(timed): \(raw.column(column))")
            }
            // Serial's first task waits for nothing (p50 may be 0 there); the median wait is never empty when timed.
            #expect(raw.column("queue_p50_s").allSatisfy { timed ? Double($0) != nil : $0.isEmpty })
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
        let rows = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv")).rows.count
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
                if let table = try? CSVTable(url: candidate), table.rows.count >= 2 {
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
        let meta = try MetaJSON.read(runFolder: runFolder)
        #expect(meta["status"] as? String == "interrupted")
        let rows = try CSVTable(url: rawURL).rows.count
        #expect(rows >= 2 && rows < 400)
        #expect(meta["measured_runs"] as? Int == rows)
        #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("summary.csv").path))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest").path))
    }

    @Test func exportsGoToTheirFilesOrToStandardOutputWithTheTablesMovedToStandardError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let markdown = folder.url.appendingPathComponent("report.md").path
        let result = try BenchBinary.run([
            "run", "--workload", "sleep", "--model", "serial,thread,async", "--workers", "1,2,4", "--sleep-ms", "1", "--tasks", "8",
            "--runs", "3", "--warmup", "0", "--out", folder.url.path, "--no-plot", "--export-markdown", markdown, "--export-json", "-",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "stdout is the JSON alone")
        #expect((json["summary"] as? [Any])?.count == 7)
        #expect((json["verdicts"] as? [[String: Any]])?.allSatisfy { $0["sentence"] is String && $0["rounds"] as? Int == 3 } == true)
        #expect((json["fits"] as? [Any])?.isEmpty == false)
        #expect((json["meta"] as? [String: Any])?["status"] as? String == "complete")
        #expect(result.standardError.contains("fastest model by worker count"), "the tables went to stderr")
        let text = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(text.hasPrefix("# bench run ") && text.contains("| model | shape | workers |") && text.contains("Fastest by worker count"))
        let fits = try CSVTable(url: folder.url.appendingPathComponent("latest/fits.csv"))
        #expect(fits.header == InvocationReport.fitsHeader)
        // A folder that does not exist is found before measuring.
        let bad = try BenchBinary.run(["run", "--workload", "noop", "--export-json", "/nonexistent/folder/x.json"])
        #expect(bad.status == 64)
    }

    @Test func cpusPinsEverySampleAndSeveralSetsMakeCoresAnAxis() throws {
        let allowed = CPUAffinity.allowed()
        try #require(!allowed.isEmpty)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let one = String(allowed[0])
        let all = allowed.map(String.init).joined(separator: ",")
        let result = try BenchBinary.run([
            "run", "--workload", "xor", "--model", "serial,thread,process-pool", "--workers", "2", "--tasks", "8",
            "--iterations", "2000000", "--runs", "2", "--warmup", "0", "--cpus", one, "--cpus", all,
            "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        #expect(Set(raw.column("cpus")) == Set([one, allowed.map(String.init).joined(separator: "+")]))
        // Pinned to one CPU, two threads and two worker processes keep at most about one core busy.
        for row in raw.rows where row["cpus"] == one && row["model"] != "serial" {
            let busy = (Double(row["user_s"]!)! + Double(row["sys_s"]!)!) / Double(row["wall_s"]!)!
            #expect(busy < 1.2, "\(row["model"]!) on CPU \(one) kept \(busy) cores busy")
        }
        let summary = try CSVTable(url: folder.url.appendingPathComponent("latest/summary.csv"))
        #expect(summary.rows.filter { $0["model"] == "serial" }.count == 2, "a serial baseline per CPU set")
        // A CPU this invocation may not use is a usage error naming the ones it may.
        let bad = try BenchBinary.run(["run", "--workload", "noop", "--cpus", "4096"])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("CPU 4096 is not one this invocation may use — choose from \(all)"), "\(bad.standardError)")
    }
}
