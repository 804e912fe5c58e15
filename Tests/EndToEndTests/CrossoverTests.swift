import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// `bench experiment crossover --quick` as a user runs it: its map and
/// crossings on the terminal, experiment.csv, and its chart.
@Suite("Crossover experiment", .serialized)
struct CrossoverTests {
    @Test func quickRunPrintsTheMapWritesItsRowsAndDrawsTheChart() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // 1 ms tasks: two CPU shares, 0% and 100%, which is all this needs and halves the time.
        let result = try BenchBinary.run(["experiment", "crossover", "--quick", "--task-ms", "1", "--out", folder.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        let cores = CPUAffinity.allowed().count
        for text in ["Swift at \(cores) worker", "Python at \(cores) worker", "pool overtakes threads", "pool loses to threads (100% CPU)", "0% CPU", "100% CPU", "64 KiB"] {
            #expect(result.standardOutput.contains(text), "\(text) in \(result.standardOutput)")
        }
        let run = folder.url.appendingPathComponent("latest")
        let rows = try CSVTable(url: run.appendingPathComponent("experiment.csv"))
        #expect(rows.header == ["language", "workers", "cpu_share", "cpu_us", "wait_ms", "result_bytes", "model", "wall_median_s", "speedup",
                                "speedup_ci_lo", "speedup_ci_hi", "winner", "margin", "margin_ci_lo", "margin_ci_hi", "verdict"])
        // 2 shares x 2 sizes x 3 models, per language, at the core count.
        #expect(rows.rows.count == 2 * 2 * 2 * 3)
        #expect(Set(rows.column("cpu_share")) == ["0", "100"])
        #expect(rows.rows.allSatisfy { ["clear", "inconclusive"].contains($0["verdict"]) && !($0["winner"] ?? "").isEmpty })
        #expect(rows.rows.allSatisfy { Double($0["speedup"] ?? "") ?? 0 > 0 })
        // Each point's winner is one of its language's own models.
        #expect(rows.rows.allSatisfy { ($0["winner"]?.hasPrefix("python-") ?? false) == ($0["language"] == "python") })
        #expect(PlotScript.problemWithPNG(run.appendingPathComponent("plots/crossover.png")) == nil)
        #expect(PlotScript.problemWithSVG(run.appendingPathComponent("plots/crossover.svg")) == nil)
    }

    @Test func badOptionsAreUsageErrors() throws {
        for (words, fragment) in [
            (["--task-ms", "0"], "--task-ms"), (["--result-bytes", "8,99999999"], "--result-bytes"),
            (["--model", "thread,fork"], "fork"), (["--model", "python-thread", "--no-python"], "no model left"),
        ] {
            let result = try BenchBinary.run(["experiment", "crossover"] + words)
            #expect(result.status == 64, "\(words): \(result.standardError)")
            #expect(result.standardError.contains(fragment), "\(words): \(result.standardError)")
        }
    }
}
