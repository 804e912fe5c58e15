import Foundation
import Testing
@testable import Bench
import Engine
@testable import Experiments
@testable import Harness
import Platform
import TestSupport
import Workloads

/// The seed-400 experiment, end to end with small item counts.
@Suite("seed-400 experiment", .serialized)
struct Seed400Tests {
    static func runExperiment(_ extra: [String], environment: [String: String] = [:]) throws -> (BenchBinary.Result, URL, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let result = try BenchBinary.run(
            ["experiment", "seed-400", "--items", "300", "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot"] + extra,
            environment: environment)
        return (result, folder.url.appendingPathComponent("latest"), folder)
    }

    @Test func runsEveryShapeInSwiftAndPythonAndWritesExperimentCSV() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed for the reference half of this test")
        let (result, run, folder) = try Self.runExperiment(["--sink", "pipe,devnull"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["seed-400, 300 items printed to the pipe sink", "devnull sink", "17 s", "39 s", "2.29", "4 processes x 400 threads"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        let experiment = try CSVTable(url: run.appendingPathComponent("experiment.csv"))
        #expect(experiment.header == Seed400Report.csvHeader)
        // 2 sinks x 5 shapes x (Swift + Python).
        #expect(experiment.rows.count == 2 * 5 * 2)
        #expect(!experiment.rows(matching: [
            "sink": "pipe", "config": "4x400", "language": "python", "processes": "4", "threads": "400", "items": "300", "seed_s": "39.000",
        ]).isEmpty)
        #expect(!experiment.rows(matching: [
            "sink": "devnull", "config": "1x400", "language": "swift", "processes": "1", "threads": "400", "items": "300", "seed_s": "17.000",
        ]).isEmpty)
        let raw = try CSVTable(url: run.appendingPathComponent("raw.csv"))
        #expect(raw.rows.count == 20)
        #expect(raw.rows(matching: ["workload": "print", "kind": "io", "ok": "true"]).count == raw.rows.count)
        #expect(raw.rows(matching: ["model": "python-seed400"]).count == 10)
    }

    /// The tutorial's own ranges print 25 of every 100 items with 4
    /// processes: under --split tutorial the check expects exactly those and
    /// says how many the split leaves out, rather than failing every cell.
    @Test func theTutorialSplitIsCheckedAgainstTheItemsItPrints() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed for the tutorial's program")
        let (result, run, folder) = try Self.runExperiment(["--sink", "pipe", "--split", "tutorial", "--items", "2000"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains(
            "--split tutorial: with 4 processes the tutorial's ranges print items 1500..<2000, 500 of 2000; the split leaves out 1500"),
            "\(result.standardError)")
        #expect(result.standardOutput.contains("print 500 of the 2000 items (the tutorial's ranges leave out 1500)"), "\(result.standardOutput)")
        let raw = try CSVTable(url: run.appendingPathComponent("raw.csv"))
        #expect(raw.rows.count == 10)
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "\(raw.rows.filter { $0["ok"] != "true" })")
        let meta = try MetaJSON.read(runFolder: run)
        let leftOut = ((meta["notes"] as? [String: Any])?["split_items_left_out_by_processes"] as? [String: Any])
        #expect(leftOut?["4"] as? Int == 1500 && leftOut?["1"] as? Int == 0, "\(String(describing: leftOut))")
    }

    @Test func skipsPythonCleanlyWhenItIsAbsent() throws {
        let (result, run, folder) = try Self.runExperiment(["--sink", "file"], environment: ["PATH": "/nonexistent"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("python3 is not on PATH"), "\(result.standardError)")
        let experiment = try CSVTable(url: run.appendingPathComponent("experiment.csv"))
        #expect(experiment.rows.count == 5)
        #expect(!experiment.column("language").contains("python"))
    }

    @Test func noPythonSkipsItOnPurpose() throws {
        let (result, _, folder) = try Self.runExperiment(["--sink", "devnull", "--no-python"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!result.standardError.contains("python3 is not on PATH"))
        #expect(!result.standardOutput.contains("python-seed400"))
    }

    @Test func badNamesAreUsageErrors() throws {
        #expect(try BenchBinary.run(["experiment"]).status == 64)
        #expect(try BenchBinary.run(["experiment", "seed-500"]).status == 64)
        #expect(try BenchBinary.run(["experiment", "seed-400", "--sink", "printer"]).status == 64)
        #expect(try BenchBinary.run(["experiment", "seed-400", "--items", "0"]).status == 64)
        let help = try BenchBinary.run(["experiment", "seed-400", "--help"])
        #expect(help.status == 0 && help.standardOutput.contains("--no-python"))
        #expect(help.standardOutput.contains("002_9ecaf06855ec6fb2.txt"), "the claim and its source")
        let list = try BenchBinary.run(["experiment", "list"])
        #expect(list.status == 0)
        #expect(list.standardOutput.contains("seed-400: ") && list.standardOutput.contains("more is not always better"))
        #expect(list.standardOutput.contains("plot/experiment-seed-400.gp"))
    }
}
