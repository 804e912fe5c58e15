import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// The v3 columns through the built binary (DESIGN.md "New columns"): PSS,
/// USS, run-queue wait, migrations and the hardware counters, for every
/// model; and profile's --shared-mib, which makes the difference between
/// shared and copied memory show in them.
@Suite("Measured columns end to end", .serialized)
struct MeasuredColumnsTests {
    static let measured = ["pss_kb", "uss_kb", "runq_wait_s", "migrations", "cycles", "instructions", "cache_misses"]

    static func run(_ arguments: [String]) throws -> (result: BenchBinary.Result, raw: CSVTable, summary: CSVTable, meta: [String: Any]) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["run"] + arguments + ["--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot"])
        let latest = folder.url.appendingPathComponent("latest")
        return (
            result, try CSVTable(url: latest.appendingPathComponent("raw.csv")), try CSVTable(url: latest.appendingPathComponent("summary.csv")),
            try MetaJSON.read(runFolder: latest))
    }

    /// Every model of the catalog fills the columns sanely, or leaves them empty
    /// where it cannot measure them: never a 0 that stands for "unknown".
    @Test func everyModelFillsTheColumnsOrLeavesThemEmpty() throws {
        let models = ModelCatalog.names
        let (result, raw, summary, meta) = try Self.run([
            "--workload", "sleep", "--sleep-ms", "1", "--tasks", "8", "--model", models.joined(separator: ","),
            "--workers", "2", "--processes", "2",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        // The v3 columns after cpus, then the axis columns appended since (interpreter).
        let after = ["cpus"] + Self.measured + ["interpreter"]
        #expect(raw.header.suffix(after.count) == after && summary.header.suffix(after.count) == after)
        #expect(Set(raw.column("model")) == Set(models))
        let counters = (meta["notes"] as? [String: Any])?["perf_counters"] as? String ?? ""
        let countersAvailable = !counters.contains("unavailable")
        if !countersAvailable {
            #expect(result.standardError.components(separatedBy: "perf counters unavailable").count == 2, "one note, once: \(result.standardError)")
        }
        for table in [raw, summary] {
            for row in table.rows {
                let model = row["model"] ?? ""
                let rss = try #require(Double(row["max_rss_kb"] ?? ""))
                if model == "python-distributed" {
                    #expect(row["pss_kb"] == "" && row["uss_kb"] == "", "its workers do not report theirs")
                } else {
                    let pss = try #require(Double(row["pss_kb"] ?? ""), "\(model)")
                    let uss = try #require(Double(row["uss_kb"] ?? ""), "\(model)")
                    #expect(0 < uss && uss <= pss && pss <= rss, "\(model): USS \(uss) ≤ PSS \(pss) ≤ summed RSS \(rss)")
                }
                if model.hasPrefix("python-") || !SchedulerStatistics.isAvailable {
                    #expect(row["runq_wait_s"] == "" && row["migrations"] == "", "\(model): not measured is empty")
                } else {
                    let wait = try #require(Double(row["runq_wait_s"] ?? ""), "\(model)")
                    #expect(wait >= 0)
                    #expect(row["migrations"] == "" || Double(row["migrations"] ?? "") ?? -1 >= 0, "\(model)")
                }
                for column in ["cycles", "instructions", "cache_misses"] {
                    #expect(countersAvailable ? Double(row[column] ?? "") != nil : row[column] == "", "\(model) \(column)")
                }
            }
        }
    }

    /// 64 CPU-bound threads on (at most) 2 cores must wait for a core, and the table says so.
    @Test func sixtyFourBusyThreadsOnTwoCoresWaitForACPU() throws {
        let (result, raw, _, _) = try Self.run([
            "--workload", "xor", "--iterations", "4000000", "--tasks", "64", "--model", "thread", "--workers", "64", "--cpus", "0,1",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let wait = try #require(raw.rows.first?["runq_wait_s"])
        if SchedulerStatistics.isAvailable {
            #expect(Double(wait) ?? 0 > 0, "run-queue wait \(wait)")
            #expect(result.standardOutput.contains("waiting for a CPU (run-queue wait / (wall x workers)): thread 1x64"), "\(result.standardOutput)")
        } else {
            #expect(wait == "")
        }
    }

    /// The shared block changes the memory, never the result: every model's
    /// checksum is the analytic one; threads hold one copy, Swift's worker
    /// processes one each, Python's forked pool shares the driver's.
    @Test func sharedMemoryKeepsEveryChecksumAndShowsInPSS() throws {
        let python = PackageFile.onPath("python3") != nil
        let models = ["serial", "thread", "process-pool", "hybrid", "async", "process-async"]
            + (python ? ["python-serial", "python-thread", "python-process-pool"] : [])
        let (result, raw, _, _) = try Self.run([
            "--workload", "profile", "--shared-mib", "32", "--cpu-us", "50", "--wait-ms", "0", "--memory-kib", "0",
            "--tasks", "8", "--model", models.joined(separator: ","), "--workers", "2", "--processes", "2",
            "--python-start-method", "fork",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(raw.rows.count == models.count)
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "\(raw.rows.filter { $0["ok"] != "true" })")
        #expect(Set(raw.column("checksum")).count == 1, "one checksum for all: \(Set(raw.column("checksum")))")
        var pss: [String: Double] = [:]
        for row in raw.rows { pss[row["model"] ?? ""] = Double(row["pss_kb"] ?? "") }
        let block = 32.0 * 1024
        // Each of the two workers builds its own copy; bench holds at most the one the threads share.
        let pool = try #require(pss["process-pool"]), thread = try #require(pss["thread"])
        #expect(pool - thread >= block, "process-pool \(pool) kB, thread \(thread) kB")
        if python {
            let row = try #require(raw.rows.first { $0["model"] == "python-process-pool" })
            let rss = try #require(Double(row["max_rss_kb"] ?? "")), forked = try #require(pss["python-process-pool"])
            // Forked workers map the driver's block too: RSS counts it three times, PSS once.
            #expect(rss - forked >= block, "python-process-pool RSS \(rss) kB, PSS \(forked) kB")
        }
    }

    @Test func aSharedSizeOutOfRangeOrAboveFreeMemoryIsAUsageError() throws {
        let total = (SystemMemory.totalBytes ?? 1 << 30) >> 20
        let available = (SystemMemory.availableBytes ?? 1 << 30) >> 20
        for (value, expected) in [
            ("-1", "--shared-mib expects a whole number from 0 to \(total)"),
            (String(total + 1), "--shared-mib expects a whole number from 0 to \(total)"),
            // Two workers' copies of most of what is free cannot fit.
            (String(available * 3 / 4), "give --shared-mib from 0 to"),
        ] {
            let result = try BenchBinary.run([
                "run", "--workload", "profile", "--shared-mib", value, "--model", "process-pool", "--workers", "2", "--no-plot",
                "--out", "/nonexistent-never-written",
            ])
            #expect(result.status == 64, "\(value): \(result.standardError)")
            #expect(result.standardError.hasPrefix("error: ") && result.standardError.contains(expected), "\(value): \(result.standardError)")
        }
    }
}
