import Foundation
import Testing
import Harness
import LocalHTTP
import TestSupport
import Workloads

/// Runs the built `bench` binary the way a user does and reads what it wrote.
@Suite("End to end", .serialized)
struct EndToEndTests {
    @Test func tinyMatrixWritesTheRunFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "xor,sleep,noop", "--model", "serial,thread,async", "--workers", "1,2",
            "--tasks", "4", "--runs", "2", "--warmup", "1", "--iterations", "10000", "--sleep-ms", "1",
            "--out", folder.url.path, "--label", "e2e", "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("xor (cpu)"))
        #expect(result.standardOutput.contains("speedup"))

        let latest = folder.url.appendingPathComponent("latest")
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: latest.path)
        #expect(target.hasSuffix("-e2e"))
        #expect(target.range(of: #"^\d{8}T\d{6}Z-e2e$"#, options: .regularExpression) != nil)

        let raw = try CSVTable(url: latest.appendingPathComponent("raw.csv"))
        #expect(raw.header.starts(with: ["run_id", "order", "workload", "kind", "model"]))
        // 3 workloads x (serial + 2 thread + 2 async) cells x 2 runs.
        #expect(raw.rows.count == 3 * 5 * 2)
        #expect(raw.column("ok").allSatisfy { $0 == "true" })
        #expect(raw.column("run_id").allSatisfy { $0 == target })

        let summary = try CSVTable(url: latest.appendingPathComponent("summary.csv"))
        #expect(summary.rows.count == 3 * 5)
        #expect(summary.header.starts(with: ["workload", "kind", "model"]))

        let meta = try MetaJSON.read(runFolder: latest)
        #expect(meta["status"] as? String == "complete")
        #expect(meta["run_id"] as? String == target)
        #expect((meta["host"] as? [String: Any])?["logical_cores"] as? Int ?? 0 >= 1)
    }

    @Test func badInputExitsWithUsageAndOneLine() throws {
        let result = try BenchBinary.run(["run", "--workload", "nope"])
        #expect(result.status == 64)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: ") == true)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try BenchBinary.run(["frobnicate"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("unknown command"))
    }

    @Test func everySubcommandHasHelp() throws {
        for words in [["--help"], ["run", "--help"], ["list", "--help"], ["compare", "--help"], ["report", "--help"], ["calibrate", "--help"], ["experiment", "--help"]] {
            let result = try BenchBinary.run(words)
            #expect(result.status == 0, "\(words)")
            #expect(result.standardOutput.hasPrefix("usage: bench"), "\(words)")
        }
        let version = try BenchBinary.run(["--version"])
        #expect(version.status == 0 && version.standardOutput.hasPrefix("bench "))
    }

    @Test func listShowsWorkloadsModelsAndDefaults() throws {
        let result = try BenchBinary.run(["list"])
        #expect(result.status == 0)
        for word in ["xor", "sleep", "noop", "serial", "thread", "async", "--iterations", "--sleep-ms", "--workers"] {
            #expect(result.standardOutput.contains(word), "\(word)")
        }
    }
}
