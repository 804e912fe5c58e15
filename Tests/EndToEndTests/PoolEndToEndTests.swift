import Foundation
import Testing
@testable import Bench
import Engine
import Harness
import Platform
import TestSupport
import Workloads

/// The pool models as a user meets them: through `bench run`, flags and all.
@Suite("Pool end to end", .serialized)
struct PoolEndToEndTests {
    @Test func poolModelsWriteOkRows() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "xor,sleep,noop", "--model", "serial,process-pool,hybrid", "--workers", "1,3",
            "--processes", "2", "--tasks", "7", "--runs", "2", "--warmup", "1", "--iterations", "10000",
            "--sleep-ms", "1", "--out", folder.url.path, "--label", "pool", "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("process-pool"))
        #expect(result.standardOutput.contains("hybrid"))

        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        // 3 workloads x (serial + 2 process-pool + 2 hybrid) cells x 2 runs.
        #expect(raw.rows.count == 3 * 5 * 2)
        #expect(raw.column("ok").allSatisfy { $0 == "true" })
        for row in raw.rows(matching: ["model": "hybrid"]) {
            #expect(row["processes"] == "2")
            #expect(Int(row["workers"] ?? "") == 2 * (try #require(Int(row["threads"] ?? ""))))
            #expect(Double(row["setup_s"] ?? "") ?? 0 > 0, "\(row)")
        }
        for row in raw.rows where row["model"] != "serial" {
            // Two or more Swift processes: well above one process's peak.
            #expect(Int(row["max_rss_kb"] ?? "") ?? 0 > 10_000, "\(row)")
        }
    }

    @Test func dispatchAndChunkSizeFlagsAreParsedAndChecked() throws {
        let specs = MatrixFlags.all
        let options = try MatrixFlags.options(from: Arguments(["--chunksize", "5", "--dispatch", "dynamic"], accepting: specs))
        #expect(options.pool == PoolOptions(chunkSize: 5, dispatch: .dynamic))
        #expect(try MatrixFlags.options(from: Arguments([], accepting: specs)).pool == PoolOptions())
        let spawn = try MatrixFlags.options(from: Arguments(["--start-method", "spawn"], accepting: specs))
        #expect(spawn.pool.startMethod == .spawn)

        let bad = try BenchBinary.run(["run", "--dispatch", "sideways"])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("--dispatch 'sideways'"))
        let zero = try BenchBinary.run(["run", "--chunksize", "0"])
        #expect(zero.status == 64)
    }

    @Test func dynamicHybridAndChunkSizeOneRunEndToEnd() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "noop", "--model", "process-pool,hybrid", "--workers", "2", "--processes", "2",
            "--tasks", "2000", "--chunksize", "1", "--dispatch", "dynamic", "--runs", "1", "--warmup", "0",
            "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test(arguments: ["pipe", "file", "tty"])
    func linesPrintedByEveryWorkerArriveWhole(sink: String) throws {
        // Workers inherit the sink as their fd 1; the runner checks every line
        // arrived exactly once, which fails if processes cut each other's lines.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "print", "--model", "process-pool,hybrid", "--workers", "3", "--processes", "2",
            "--tasks", "3000", "--runs", "2", "--warmup", "0", "--sink", sink, "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!result.standardOutput.contains("正在消耗"))
    }

    @Test func workerRolesRefuseToRunByHandAndWorkersLinkNoFoundation() throws {
        let help = try BenchBinary.run(["--help"])
        #expect(help.standardOutput.contains("\n  list "))
        #expect(!help.standardOutput.contains("\n  worker "))
        #expect(try BenchBinary.run(["worker"]).status == 64, "the worker is bench-worker's, not a bench command")
        for role in [["worker"], ["forkserver"], [], ["nonsense"]] {
            let byHand = try BenchBinary.runProgram(BenchBinary.workerURL, arguments: role)
            #expect(byHand.status == 64, "\(role)")
            #expect(byHand.standardError.hasPrefix("error: "), "\(byHand.standardError)")
            #expect(byHand.standardError.split(separator: "\n").count == 1)
        }
        // Statically linked, with no Foundation: ldd finds no dynamic libraries at all.
        let ldd = try BenchBinary.runProgram(URL(fileURLWithPath: "/usr/bin/ldd"), arguments: [BenchBinary.workerURL.path])
        #expect(!ldd.standardOutput.contains("Foundation") && !ldd.standardError.contains("Foundation"))
        #expect((ldd.standardOutput + ldd.standardError).contains("not a dynamic executable"), "\(ldd.standardOutput)")
    }

    @Test func aMissingWorkerExecutableIsOneLineNamingThePathAndTheBuildCommand() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for method in ["spawn", "forkserver"] {
            let result = try BenchBinary.run(
                [
                    "run", "--workload", "noop", "--model", "serial,process-pool", "--workers", "2", "--tasks", "10",
                    "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot", "--start-method", method,
                ],
                environment: ["BENCH_WORKER_EXECUTABLE": "/nonexistent/bench-worker"])
            #expect(result.status != 0)
            let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.contains { $0.contains("/nonexistent/bench-worker is missing or not executable") && $0.contains("BENCH_WORKER_EXECUTABLE") }, "\(errors)")
        }
    }

    @Test func aDeadWorkerFailsItsCellAndTheMatrixGoesOn() throws {
        // A worker executable that is not bench fails every pool cell with one
        // line each; serial still runs and writes its rows; exit 1 with a count.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(
            [
                "run", "--workload", "noop", "--model", "serial,process-pool", "--workers", "2", "--tasks", "10",
                "--runs", "2", "--warmup", "0", "--out", folder.url.path, "--no-plot", "--start-method", "spawn",
            ],
            environment: ["BENCH_WORKER_EXECUTABLE": "/bin/false"] as [String: String])
        #expect(result.status == 1)
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.contains { $0.contains("noop process-pool 2x1: worker") && $0.contains("exited with status 1") }, "\(errors)")
        #expect(errors.contains { $0.contains("1 of 2 cells failed") }, "\(errors)")
        // A run with a failed cell is kept, but `latest` points only at complete runs.
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest").path))
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).first { $0.hasSuffix("-run") })
        let raw = try CSVTable(url: folder.url.appendingPathComponent(run).appendingPathComponent("raw.csv"))
        #expect(raw.rows.count == 2, "serial's two rows stay")
    }
}
