import Foundation
import Glibc
import Testing
import Harness
import Platform
import TestSupport

/// `--runs auto`, its bounds and their bad values, and runs on a busy
/// machine, through the built binary.
@Suite("Sampling end to end", .serialized)
struct SamplingEndToEndTests {
    /// Runs `bench run` with `arguments` into a fresh results root, expects it
    /// to succeed, and hands `check` what it printed and its run folder.
    static func measure(_ arguments: [String], check: (BenchBinary.Result, URL) throws -> Void) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["run", "--warmup", "0"] + arguments + ["--out", folder.url.path, "--no-plot"])
        #expect(result.status == 0, "\(result.standardError)")
        try check(result, folder.url.appendingPathComponent("latest"))
    }

    /// A 100 ms sleep varies by far less than ±50%, even on a busy machine: the cell
    /// stops at the 6 samples of its first 95% interval, [min, max] with 96.9% coverage.
    @Test func autoStopsACellAtSixSamplesOnceItsIntervalIsNarrowEnough() throws {
        try Self.measure(["--workload", "sleep", "--sleep-ms", "100", "--tasks", "1", "--model", "serial", "--precision", "50"]) { result, latest throws in
            #expect(try CSVTable(url: latest.appendingPathComponent("raw.csv")).rows.count == 6)
            let summary = try #require(try CSVTable(url: latest.appendingPathComponent("summary.csv")).rows.first)
            #expect(summary["runs"] == "6")
            #expect(Double(summary["wall_ci_lo_s"] ?? "") == Double(summary["wall_min_s"] ?? "-"), "n = 6: the interval is [min, max]")
            #expect(result.standardOutput.contains("(96.9%)"), "\(result.standardOutput)")
            let parameters = try #require(try MetaJSON.read(runFolder: latest)["parameters"] as? [String: Any])
            #expect(parameters["runs"] as? String == "auto")
            #expect((parameters["auto_sampling"] as? [String: Any])?["minimum_runs"] as? Int == 6)
        }
    }

    /// A precision no timing reaches: the cell stops at --max-runs, and the table says it stopped short.
    @Test func autoStopsAtMaxRunsAndTheTableMarksTheCell() throws {
        try Self.measure(["--workload", "noop", "--tasks", "10", "--model", "serial", "--precision", "0.01", "--max-runs", "7"]) { result, latest throws in
            #expect(try CSVTable(url: latest.appendingPathComponent("raw.csv")).rows.count == 7)
            #expect(result.standardOutput.contains("* stopped short of ±0.01%"), "\(result.standardOutput)")
        }
    }

    /// Once the budget is spent, no cell takes more than the 6 samples of an interval.
    @Test func theBudgetKeepsEveryCellAtItsFloor() throws {
        try Self.measure([
            "--workload", "noop", "--tasks", "10", "--model", "serial,thread", "--workers", "1", "--precision", "0.01", "--budget", "0.001",
        ]) { _, latest throws in
            let raw = try CSVTable(url: latest.appendingPathComponent("raw.csv"))
            #expect(raw.rows(matching: ["model": "serial"]).count == 6 && raw.rows(matching: ["model": "thread"]).count == 6)
        }
    }

    /// Below 6 samples: no interval in summary.csv, `n=3, no interval` in the table, no verdict.
    @Test func threeSamplesGiveNoIntervalAndNoVerdict() throws {
        try Self.measure(["--workload", "noop", "--tasks", "10", "--model", "serial,thread", "--workers", "1", "--runs", "3"]) { result, latest throws in
            let summary = try CSVTable(url: latest.appendingPathComponent("summary.csv"))
            for column in ["wall_ci_lo_s", "wall_ci_hi_s", "speedup_ci_lo", "speedup_ci_hi"] {
                #expect(summary.column(column).allSatisfy { $0.isEmpty }, "\(column)")
            }
            #expect(result.standardOutput.contains("n=3, no interval"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("too few samples for a 95% interval (n = 3; 6 needed), no verdict"), "\(result.standardOutput)")
        }
    }

    @Test(arguments: [
        (["run", "--precision", "0"], "--precision '0' is outside (0, 50]%"),
        (["run", "--precision", "51"], "--precision '51' is outside (0, 50]%"),
        (["run", "--margin", "50"], "--margin '50' is outside [0, 50)%"),
        (["run", "--runs", "auto", "--max-runs", "5"], "--max-runs expects a whole number from 6 to 10000"),
        (["experiment", "gil", "--precision", "60"], "--precision '60' is outside (0, 50]%"),
        (["experiment", "crossover", "--max-runs", "2"], "--max-runs expects a whole number from 6 to 10000"),
    ])
    func badSamplingBoundsExit64WithTheRange(words: [String], message: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(words + ["--out", folder.url.path, "--no-plot"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("error: " + message) && result.standardError.contains(" — "), "\(result.standardError)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.url.path))?.isEmpty ?? true, "nothing measured")
    }

    // MARK: - A busy machine

    /// Runs `body` while `count` CPython loops keep the cores busy (each ends by itself after 60 s).
    static func whileBusy<Value>(count: Int = 3, _ body: () throws -> Value) throws -> Value {
        let python = try #require(PackageFile.onPath("python3"), "python3 keeps the cores busy")
        let loops = try (0..<count).map { _ in
            try Spawned(python, ["-c", "import time\nend = time.time() + 60\nwhile time.time() < end: pass"])
        }
        defer {
            for loop in loops {
                loop.child.signal(SIGKILL)
                _ = loop.wait()
            }
        }
        usleep(300_000)
        return try body()
    }

    static let sleepRun = [
        "run", "--workload", "sleep", "--sleep-ms", "20", "--tasks", "4", "--model", "serial,thread", "--workers", "1,2", "--runs", "6",
        "--warmup", "0", "--no-plot",
    ]

    /// Other processes busy on every core: meta.json says disturbed, with why, and every verdict says so.
    @Test func aRunOnABusyMachineIsMarkedDisturbed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Self.whileBusy { try BenchBinary.run(Self.sleepRun + ["--out", folder.url.path]) }
        #expect(result.status == 0, "\(result.standardError)")
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("latest"))
        #expect(meta["disturbed"] as? Bool == true)
        #expect((meta["disturbed_because"] as? [String])?.isEmpty == false)
        let load = try #require(meta["machine_load"] as? [String: Any])
        let during = try #require(load["during"] as? [String: Any])
        #expect((during["other_cpu_cores"] as? Double ?? 0) > 1, "\(during)")
        #expect((load["busiest_other_processes"] as? [[String: Any]])?.contains { ($0["command"] as? String)?.hasPrefix("python") == true } == true)
        let verdicts = result.standardOutput.split(separator: "\n").filter { $0.contains(" at 1 worker:") || $0.contains(" at 2 workers:") }
        #expect(!verdicts.isEmpty && verdicts.allSatisfy { $0.hasSuffix("[disturbed run]") }, "\(result.standardOutput)")
        #expect(result.standardError.contains("warning: this run was disturbed"), "\(result.standardError)")
    }

    /// A run meant for a package's docs/ folder on a busy machine is not
    /// written there (exit 1); --allow-disturbed writes it, marked.
    @Test func aDisturbedRunIsNotWrittenIntoDocsUnlessAllowed() throws {
        let package = try TemporaryFolder()
        defer { package.remove() }
        try Data("// swift-tools-version:6.0\n".utf8).write(to: package.url.appendingPathComponent("Package.swift"))
        let docs = package.url.appendingPathComponent("docs/demo")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let (refused, allowed) = try Self.whileBusy {
            (try BenchBinary.run(Self.sleepRun + ["--out", docs.path]),
             try BenchBinary.run(Self.sleepRun + ["--out", docs.path, "--allow-disturbed"]))
        }
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("not written into docs/") || refused.standardError.contains("does not write a disturbed run into docs/"),
                "\(refused.standardError)")
        #expect(allowed.status == 0, "\(allowed.standardError)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix("-run") }
        #expect(runs.count == 1, "only the allowed run is in docs/: \(runs)")
        #expect(try MetaJSON.read(runFolder: docs.appendingPathComponent("latest"))["disturbed"] as? Bool == true)
    }
}
