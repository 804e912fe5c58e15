import Foundation
import Glibc
import Testing
import Harness
import Platform
import TestSupport
import Workloads

/// The python-* models through the built binary: the same checksums as
/// Swift, the same accounting, and the same faults as a Swift worker's.
@Suite("Python models end to end", .serialized)
struct PythonModelTests {
    static let pythonModels = ModelCatalog.all.map(\.name).filter { $0.hasPrefix("python-") }

    @Test func everyPythonModelGivesSwiftsChecksumOnEveryWorkloadWithAPythonVersion() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        // python-function has no Swift twin: PythonFunctionTests checks it against python-serial.
        let workloads = WorkloadRegistry.all.filter { $0.hasPythonVersion && !$0.runsOnlyInPython }.map(\.name)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", workloads.joined(separator: ","), "--model", (["serial"] + Self.pythonModels).joined(separator: ","),
            "--workers", "3", "--processes", "2", "--tasks", "9", "--iterations", "3000", "--sleep-ms", "1",
            "--http-latency-ms", "1", "--cpu-us", "100", "--wait-ms", "1", "--result-bytes", "5000", "--command", "printf %s {task}",
            "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        // Every row verified against the Swift reference: the same work, bit for bit.
        #expect(raw.rows.count == workloads.count * (1 + Self.pythonModels.count))
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "\(raw.rows.filter { $0["ok"] != "true" })")
        for row in raw.rows where row["model"] == "python-process-pool" {
            #expect(Double(row["setup_s"] ?? "") ?? 0 > 0, "the pool starts inside the span")
            #expect(Int(row["max_rss_kb"] ?? "") ?? 0 > 10_000, "the driver and its pool processes' peaks")
        }
        // Speedups of Python models are against python-serial, of Swift's against serial.
        let summary = try CSVTable(url: folder.url.appendingPathComponent("latest/summary.csv"))
        for workload in workloads {
            let rows = summary.rows.filter { $0["workload"] == workload }
            func median(_ model: String) -> Double? { rows.first { $0["model"] == model }.flatMap { Double($0["wall_median_s"] ?? "") } }
            let thread = try #require(rows.first { $0["model"] == "python-thread" })
            let expected = try #require(median("python-serial")) / (try #require(median("python-thread")))
            #expect(abs((Double(thread["speedup"] ?? "") ?? 0) - expected) < 1e-3, "\(workload): \(thread)")
        }
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("latest"))
        let python = try #require((meta["notes"] as? [String: Any])?["python"] as? [String: Any])
        #expect((python["path"] as? String)?.hasPrefix("/") == true, "the real interpreter, not a shim")
        #expect(python["gil_enabled"] is Bool)
        #expect(python["version"] is String && python["start_method"] is String && python["switch_interval_s"] is Double)
    }

    @Test func thePythonModelsAreTheLinesOfTheRegistryBothLanguagesRead() throws {
        let registry = try #require(PackageFile.locate(PythonModels.registryFile, executable: CommandLine.arguments[0]))
        let lines = try String(contentsOf: registry, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(Self.pythonModels == lines.map { String($0.split(separator: "\t")[0]) })
        #expect(PythonModels.baseline == "python-serial")
        // A layout word gives the shapes: python-hybrid's are processes x threads, as hybrid's.
        let hybrid = try #require(ModelCatalog.model(named: "python-hybrid"))
        #expect(hybrid.shapes(workers: [1, 2], processes: [2]) == [.processes(2, threadsEach: 1), .processes(2, threadsEach: 2)])
    }

    @Test func aBenchAwayFromItsPackageSaysItHasNoPythonModels() throws {
        // bench copied out of its checkout finds no python/ above it: a usage error that says so, not "unknown model".
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let copy = folder.url.appendingPathComponent("bench")
        try FileManager.default.copyItem(at: BenchBinary.url, to: copy)
        let result = try BenchBinary.runProgram(copy, arguments: [
            "run", "--workload", "noop", "--model", "python-thread", "--runs", "1", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("python/bench/models/registry.tsv is not beside this build"), "\(result.standardError)")
        let list = try BenchBinary.runProgram(copy, arguments: ["list"])
        #expect(list.status == 0 && list.standardOutput.contains("process-pool") && !list.standardOutput.contains("python-thread"))
    }

    @Test func aMissingOrUnusableInterpreterIsOneLineBeforeAnythingRuns() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for interpreter in ["/bin/false", "/nonexistent/python3"] {
            let result = try BenchBinary.run([
                "run", "--workload", "noop", "--model", "python-serial", "--tasks", "3", "--runs", "1", "--warmup", "0",
                "--python", interpreter, "--out", folder.url.path, "--no-plot",
            ])
            #expect(result.status == 64, "\(interpreter): \(result.standardError)")
            let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1 && errors[0].contains(interpreter) && errors[0].contains("--python"), "\(errors)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty, "no run folder for a run that never started")
        // An interpreter too old for the driver says which version it is.
        if FileManager.default.isExecutableFile(atPath: "/root/.pyenv/versions/2.7.18/bin/python2.7") {
            let old = try BenchBinary.run([
                "run", "--workload", "noop", "--model", "python-serial", "--python", "/root/.pyenv/versions/2.7.18/bin/python2.7",
                "--out", folder.url.path, "--no-plot",
            ])
            #expect(old.status == 64)
            #expect(old.standardError.contains("is Python 2.7.18; bench needs 3.8 or later"), "\(old.standardError)")
        }
    }

    @Test func aKilledPythonPoolProcessFailsTheCellNamingItAndLeavesNothingBehind() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let process = try Spawned(BenchBinary.url, [
            "run", "--workload", "sleep", "--model", "python-process-pool", "--workers", "2", "--sleep-ms", "20000",
            "--tasks", "4", "--runs", "1", "--warmup", "0", "--timeout", "60", "--out", folder.url.path, "--no-plot",
        ], pipeOutput: true)
        let bench = process.pid
        // bench -> the driver -> its pool processes.
        var descendants: [Int32] = []
        let started = ProcessTable.eventually(within: 20) {
            descendants = ProcessTable.descendants(of: bench)
            return descendants.filter { ProcessTable.commandLine($0).contains("bench_driver.py") }.count >= 3
        }
        #expect(started, "no pool processes appeared: \(descendants)")
        let driver = try #require(ProcessTable.children(of: bench).first)
        // Pool processes are forks of the driver (same command line); multiprocessing's helpers are not.
        let pool = descendants.filter { $0 != driver && ProcessTable.commandLine($0).contains("bench_driver.py") }
        let victim = try #require(pool.first, "\(descendants.map(ProcessTable.commandLine))")
        kill(victim, SIGKILL)
        let start = Date()
        let status = process.wait(seconds: 30)
        #expect(status == 1, "the cell fails and the run says so")
        #expect(Date().timeIntervalSince(start) < 15, "a dead pool process fails the cell promptly")
        let errors = process.standardError().split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.contains { $0.contains("sleep python-process-pool") && $0.contains("\(victim)") }, "\(errors)")
        #expect(ProcessTable.eventually(within: 5) { (descendants + [driver]).allSatisfy(ProcessTable.hasExited) })
    }

    @Test func theGILExperimentPrintsItsClaimsAndWritesExperimentCSV() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["experiment", "gil", "--quick", "--out", folder.url.path, "--no-plot"])
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["no faster than one thread", "HTTP requests", "use only one core", "coroutines", "Swift's time / Python's"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        let experiment = try CSVTable(url: folder.url.appendingPathComponent("latest/experiment.csv"))
        #expect(experiment.header == ClaimsTable.csvHeader)
        #expect(Set(experiment.column("language")) == ["python", "swift"])
        #expect(experiment.column("verdict").allSatisfy { ["holds", "does-not-hold", "inconclusive"].contains($0) })
        let meta = try String(contentsOf: folder.url.appendingPathComponent("latest/meta.json"), encoding: .utf8)
        #expect(meta.contains("\"experiment\" : \"gil\""))
    }
}
