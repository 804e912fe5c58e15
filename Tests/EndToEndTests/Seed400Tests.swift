import Foundation
import Testing
@testable import Bench
import Engine
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
        let csv = try String(contentsOf: run.appendingPathComponent("experiment.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == Substring(CSVFormat.line(Seed400Report.csvHeader)))
        // 2 sinks x 5 shapes x (Swift + Python).
        #expect(lines.count == 1 + 2 * 5 * 2)
        #expect(lines.contains { $0.hasPrefix("pipe,4x400,python,4,400,300,39.000,") })
        #expect(lines.contains { $0.hasPrefix("devnull,1x400,swift,1,400,300,17.000,") })
        let raw = try String(contentsOf: run.appendingPathComponent("raw.csv"), encoding: .utf8)
        let rows = raw.split(separator: "\n").dropFirst()
        #expect(rows.count == 20)
        #expect(rows.allSatisfy { $0.contains(",print,io,") && CSVFormat.fields(of: $0)[RawCSV.header.firstIndex(of: "ok")!] == "true" })
        #expect(rows.filter { $0.contains(",python-seed400,") }.count == 10)
    }

    @Test func skipsPythonCleanlyWhenItIsAbsent() throws {
        let (result, run, folder) = try Self.runExperiment(["--sink", "file"], environment: ["PATH": "/nonexistent"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("python3 is not on PATH"), "\(result.standardError)")
        let csv = try String(contentsOf: run.appendingPathComponent("experiment.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 5)
        #expect(!csv.contains(",python,"))
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
