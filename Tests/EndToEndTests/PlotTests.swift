import Foundation
import Testing
@testable import Bench
import Engine
import Harness
import Platform
import TestSupport
import Workloads

/// plot.sh on real and hand-written run folders, and bench calling it.
/// Every test that draws needs gnuplot and fails (never skips) without it.
@Suite("Charts", .serialized)
struct PlotTests {
    static let workloads = ["xor", "sleep", "noop"]
    static let perWorkload = ["wall", "speedup", "efficiency", "cpu", "memory"]

    /// A tiny measured matrix in `folder`; returns the run folder.
    static func measureTinyRun(in folder: URL, plot: Bool, currentDirectory: URL? = nil, path: String? = nil) throws -> (URL, BenchBinary.Result) {
        var arguments = [
            "run", "--workload", workloads.joined(separator: ","), "--model", "serial,thread,async", "--workers", "1,2",
            "--tasks", "4", "--runs", "2", "--warmup", "0", "--iterations", "10000", "--sleep-ms", "1",
            "--out", folder.path, "--label", "plot",
        ]
        if !plot { arguments.append("--no-plot") }
        let result = try BenchBinary.run(arguments, environment: path.map { ["PATH": $0] } ?? [:], currentDirectory: currentDirectory)
        let latest = folder.appendingPathComponent("latest").resolvingSymlinksInPath()
        return (latest, result)
    }

    @Test func drawsEveryChartOfATinyRunAsRealPNGAndSVG() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (run, measured) = try PlotTests.measureTinyRun(in: folder.url, plot: false)
        try #require(measured.status == 0, "\(measured.standardError)")
        #expect(PlotScript.charts(in: run).isEmpty, "--no-plot drew charts")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("plots/plan.tsv").path), "bench writes the plan also with --no-plot")

        let result = try PlotScript.run([run.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty, "plot.sh or gnuplot complained: \(result.standardError)")
        #expect(result.standardOutput.contains("16 charts"), "\(result.standardOutput)")

        var expected: [String] = []
        for workload in PlotTests.workloads {
            for chart in PlotTests.perWorkload {
                expected.append("\(chart)-\(workload)")
            }
        }
        // Task latency, for the io workload whose tasks are timed.
        expected.append("latency-sleep")
        let plots = run.appendingPathComponent("plots")
        for name in expected {
            #expect(PlotScript.problemWithPNG(plots.appendingPathComponent(name + ".png")) == nil)
            #expect(PlotScript.problemWithSVG(plots.appendingPathComponent(name + ".svg")) == nil)
        }
        // No hybrid rows and no experiment.csv: those charts are skipped, not drawn empty.
        #expect(PlotScript.charts(in: run) == expected.map { $0 + ".png" }.sorted())
    }

    @Test func drawsTheHybridHeatmapAndSeedBarsWhenTheRunHasThem() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary(SyntheticRun.hybridRows)
        try run.writeMeta()
        try run.write("experiment.csv", SyntheticRun.experiment)
        try PlotScript.writePlan(run.url)

        let result = try PlotScript.run([run.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        for name in ["hybrid-cpu_bound-x", "seed-400", "wall-cpu_bound-x", "speedup-cpu_bound-x"] {
            #expect(PlotScript.problemWithPNG(run.url.appendingPathComponent("plots/\(name).png")) == nil)
            #expect(PlotScript.problemWithSVG(run.url.appendingPathComponent("plots/\(name).svg")) == nil)
        }
        // Names with `_` and `-` print literally (no gnuplot enhanced-text subscripts).
        let svg = try String(contentsOf: run.url.appendingPathComponent("plots/wall-cpu_bound-x.svg"), encoding: .utf8)
        #expect(svg.contains("cpu_bound-x"))
        #expect(svg.contains("my_model-2"))
        #expect(svg.contains("20260101T000000Z-synthetic"), "the run id belongs in a corner")
        #expect(svg.contains("test-host"))
    }

    @Test func skipsTheHeatmapWhenHybridHasOneShape() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary([
            .init(model: "serial", wall: 1),
            .init(model: "hybrid", processes: 4, threads: 1, workers: 4, wall: 0.5),
        ])
        try PlotScript.writePlan(run.url)
        let result = try PlotScript.run([run.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!PlotScript.charts(in: run.url).contains { $0.hasPrefix("hybrid-") || $0.hasPrefix("seed-") })
        #expect(PlotScript.charts(in: run.url).contains("wall-xor.png"))
    }

    /// A damaged file, and the words its error must contain.
    struct Damage: Sendable, CustomTestStringConvertible {
        let name: String
        let damage: @Sendable (SyntheticRun) throws -> Void
        let expected: [String]
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "header lacks a column", damage: { run in
            var text = try String(contentsOf: run.url.appendingPathComponent("summary.csv"), encoding: .utf8)
            text = text.replacingOccurrences(of: "wall_median_s", with: "wall_med")
            try run.write("summary.csv", text)
        }, expected: ["summary.csv:1:", "wall_median_s"]),
        Damage(name: "row with a field missing", damage: { run in
            var lines = try String(contentsOf: run.url.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
            lines[2] = String(lines[2].prefix { $0 != "," }) + "," + lines[2].split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).joined(separator: ",")
            try run.write("summary.csv", lines.joined(separator: "\n") + "\n")
        }, expected: ["summary.csv:3:", "\(ResultsCSV.summaryHeader.count - 1) fields", "\(ResultsCSV.summaryHeader.count)"]),
        Damage(name: "row with a field too many", damage: { run in
            var lines = try String(contentsOf: run.url.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
            lines[1] += ",extra"
            try run.write("summary.csv", lines.joined(separator: "\n") + "\n")
        }, expected: ["summary.csv:2:", "\(ResultsCSV.summaryHeader.count + 1) fields"]),
        Damage(name: "not a number", damage: { run in
            let text = try String(contentsOf: run.url.appendingPathComponent("summary.csv"), encoding: .utf8)
            try run.write("summary.csv", text.replacingOccurrences(of: ",0.500000,", with: ",fast,"))
        }, expected: ["summary.csv:3:", "wall_median_s", "fast"]),
        Damage(name: "header only", damage: { run in
            try run.write("summary.csv", CSVFormat.line(ResultsCSV.summaryHeader) + "\n")
        }, expected: ["summary.csv:1:", "no rows"]),
        Damage(name: "empty file", damage: { run in
            try run.write("summary.csv", "")
        }, expected: ["summary.csv", "empty"]),
        Damage(name: "missing summary", damage: { run in
            try FileManager.default.removeItem(at: run.url.appendingPathComponent("summary.csv"))
        }, expected: ["summary.csv", "missing"]),
        Damage(name: "raw.csv with a wrong field count", damage: { run in
            let header = CSVFormat.line(ResultsCSV.rawHeader)
            // A whole row (empty where a value does not apply), and one field more.
            let fields = "run,1,xor,cpu,serial,1,1,1,64,1000000,iterations,1,1.0,0,1,0,20000,1,2,0x1,true,,,iterations=1"
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let row = fields + Array(repeating: "", count: ResultsCSV.rawHeader.count - fields.count) + ["oops"]
            try run.write("raw.csv", header + "\n" + row.joined(separator: ",") + "\n")
        }, expected: ["raw.csv:2:", "\(ResultsCSV.rawHeader.count + 1) fields", "\(ResultsCSV.rawHeader.count)"]),
        Damage(name: "experiment.csv without the proposed columns", damage: { run in
            try run.write("experiment.csv", "sink,config\ntty,1x400\n")
        }, expected: ["experiment.csv:1:", "seed_s", "measured_median_s"]),
    ]

    /// bench plans the charts, so bench refuses a damaged file, writes no
    /// plan, and plot.sh then draws nothing and names the command that plans.
    @Test(arguments: damages)
    func aDamagedFileIsAnErrorNamingFileAndLine(_ damage: Damage) throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary([.init(model: "serial", wall: 1), .init(model: "thread", threads: 2, workers: 2, wall: 0.5)])
        try damage.damage(run)

        let result = try BenchBinary.run(["plot", run.url.path])
        #expect(result.status == 1, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(run.url.path)/"), "\(result.standardError)")
        for word in damage.expected {
            #expect(result.standardError.contains(word), "'\(word)' not in: \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: run.url.appendingPathComponent("plots/plan.tsv").path), "no plan from bad data")
        let plotted = try PlotScript.run([run.url.path])
        #expect(plotted.status == 1 && plotted.standardError.contains("bench plot \(run.url.path)"), "\(plotted.standardError)")
        #expect(PlotScript.charts(in: run.url).isEmpty, "no charts from bad data")
    }

    /// A plan damaged after bench wrote it, and the words plot.sh's one line must hold.
    struct PlanDamage: Sendable, CustomTestStringConvertible {
        let name: String
        let damage: @Sendable (inout [String], URL) throws -> Void
        let expected: [String]
        var testDescription: String { name }
    }

    /// Sets one tab-separated field of the plan's first chart line.
    static func setFirstChartField(_ index: Int, to value: String, in lines: inout [String]) throws {
        let at = try #require(lines.firstIndex { $0.hasPrefix("chart\t") })
        var fields = lines[at].split(separator: "\t", omittingEmptySubsequences: false)
        fields[index] = Substring(value)
        lines[at] = fields.joined(separator: "\t")
    }

    static let planDamages: [PlanDamage] = [
        PlanDamage(name: "missing", damage: { lines, _ in lines = [] }, expected: ["plan.tsv: missing", "bench plot "]),
        PlanDamage(name: "cut short", damage: { lines, _ in lines.removeLast(2) }, expected: ["plan.tsv:", "no end line"]),
        PlanDamage(name: "a line lost", damage: { lines, _ in lines.remove(at: 3) }, expected: ["plan.tsv:", "the end line says"]),
        PlanDamage(name: "a chart file outside plot/", damage: { lines, _ in
            try setFirstChartField(2, to: "../../evil.gp", in: &lines)
        }, expected: ["plan.tsv:", "not a chart file of plot/"]),
        PlanDamage(name: "a chart name with a slash", damage: { lines, _ in
            let at = try #require(lines.firstIndex { $0.hasPrefix("chart\t") })
            lines[at] = lines[at].replacingOccurrences(of: "chart\twall-", with: "chart\t../wall-")
        }, expected: ["plan.tsv:", "not a plain name"]),
        PlanDamage(name: "a field lost", damage: { lines, _ in
            let at = try #require(lines.firstIndex { $0.hasPrefix("chart\t") })
            lines[at] = String(lines[at][..<lines[at].lastIndex(of: "\t")!])
        }, expected: ["plan.tsv:", "is not a plan entry"]),
        PlanDamage(name: "a data file missing", damage: { _, run in
            try FileManager.default.removeItem(at: run.appendingPathComponent("plots/data/summary-all.csv"))
        }, expected: ["plan.tsv:", "plots/data/summary-all.csv is missing"]),
        PlanDamage(name: "a chart reading a file no data line names", damage: { lines, _ in
            try setFirstChartField(3, to: "../../meta.csv", in: &lines)
        }, expected: ["plan.tsv:", "is not on a data line above"]),
        PlanDamage(name: "a quote in a data file", damage: { _, run in
            try Data("workload,model\n\"x\",y\n".utf8).write(to: run.appendingPathComponent("plots/data/fits.csv"))
        }, expected: ["plan.tsv:", "plots/data/fits.csv holds a quote"]),
        PlanDamage(name: "a control character", damage: { lines, _ in lines[0] += "\u{1B}[2J" }, expected: ["plan.tsv:1:", "control character"]),
    ]

    /// plot.sh checks the whole plan before it draws: a damaged one is one
    /// line naming the plan's line and the command that writes it again, exit 1,
    /// and not one chart (a folder never looks whole when it is not).
    @Test(arguments: planDamages)
    func aDamagedPlanIsOneLineAndNoChart(_ damage: PlanDamage) throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary([.init(model: "serial", wall: 1), .init(model: "thread", threads: 2, workers: 2, wall: 0.5)])
        try PlotScript.writePlan(run.url)
        let plan = run.url.appendingPathComponent("plots/plan.tsv")
        var lines = try String(contentsOf: plan, encoding: .utf8).split(separator: "\n").map(String.init)
        try damage.damage(&lines, run.url)
        if lines.isEmpty {
            try FileManager.default.removeItem(at: plan)
        } else {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: plan)
        }

        let result = try PlotScript.run([run.url.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "one line: \(result.standardError)")
        #expect(result.standardError.hasPrefix("plot.sh: error: \(run.url.path)/plots/plan.tsv"), "\(result.standardError)")
        for word in damage.expected {
            #expect(result.standardError.contains(word), "'\(word)' not in: \(result.standardError)")
        }
        #expect(PlotScript.charts(in: run.url).isEmpty, "a damaged plan drew charts")
    }

    /// A folder from before bench planned its charts: plot.sh names the
    /// command, and `bench plot` writes the plan from the folder and draws.
    @Test func benchPlotPlansAnOlderFolderAndDraws() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary([.init(model: "serial", wall: 1), .init(model: "thread", threads: 2, workers: 2, wall: 0.5)])
        try run.writeMeta()
        let refused = try PlotScript.run([run.url.path])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("write it with: bench plot \(run.url.path)"), "\(refused.standardError)")

        let planned = try BenchBinary.run(["plot", run.url.path])
        #expect(planned.status == 0, "\(planned.standardError)")
        #expect(PlotScript.charts(in: run.url) == ["cpu-xor.png", "efficiency-xor.png", "memory-xor.png", "speedup-xor.png", "wall-xor.png"])
        let again = try PlotScript.run([run.url.path])
        #expect(again.status == 0 && again.standardError.isEmpty, "\(again.standardError)")
        let notAFolder = try BenchBinary.run(["plot", folder.url.appendingPathComponent("nope").path])
        #expect(notAFolder.status == 64, "\(notAFolder.standardError)")
    }

    @Test func missingGnuplotGivesTheInstallCommand() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary([.init(model: "serial", wall: 1)])
        let path = try PlotScript.pathWithoutGnuplot(in: folder.url)

        let result = try PlotScript.run([run.url.path], path: path)
        #expect(result.status == 3)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("apt-get install gnuplot-nox"), "\(result.standardError)")
    }

    @Test func usageErrorsAndHelp() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let unknown = try PlotScript.run(["--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("unknown option '--bogus'"), "\(unknown.standardError)")
        let twoFolders = try PlotScript.run(["a", "b"])
        #expect(twoFolders.status == 2)
        #expect(twoFolders.standardError.contains("too many arguments"), "\(twoFolders.standardError)")
        let notAFolder = try PlotScript.run([folder.url.appendingPathComponent("nope").path])
        #expect(notAFolder.status == 2)
        #expect(notAFolder.standardError.contains("nope"))
        // A file, not a folder (e.g. the summary.csv itself).
        let file = folder.url.appendingPathComponent("summary.csv")
        try Data("workload\n".utf8).write(to: file)
        let aFile = try PlotScript.run([file.path])
        #expect(aFile.status == 2)
        #expect(aFile.standardError.contains("is not a run folder"), "\(aFile.standardError)")

        let help = try PlotScript.run(["--help"])
        #expect(help.status == 0)
        for word in ["Usage: ./plot.sh [RUN_DIR]", "Exit codes", "plots/plan.tsv", "bench plot RUN_DIR", "gnuplot"] {
            #expect(help.standardOutput.contains(word), "\(word)")
        }
    }

    @Test func benchRunDrawsChartsWhenGnuplotIsPresent() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // From a folder without plot.sh: bench finds it above its own binary.
        let (run, result) = try PlotTests.measureTinyRun(in: folder.url, plot: true, currentDirectory: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("charts: \(run.path)/plots/"), "\(result.standardError)")
        #expect(PlotScript.charts(in: run).count == 16)
        #expect(PlotScript.problemWithPNG(run.appendingPathComponent("plots/wall-xor.png")) == nil)
    }

    @Test func benchRunWithoutGnuplotSaysHowToInstallAndSucceeds() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try PlotScript.pathWithoutGnuplot(in: folder.url)
        let (run, result) = try PlotTests.measureTinyRun(in: folder.url, plot: true, path: path)
        #expect(result.status == 0, "\(result.standardError)")
        let notes = result.standardError.split(separator: "\n").filter { $0.contains("no charts") }
        #expect(notes.count == 1, "\(result.standardError)")
        #expect(notes.first?.contains("apt-get install gnuplot-nox") == true)
        #expect(PlotScript.charts(in: run).isEmpty)
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("plots/plan.tsv").path), "the plan, for ./plot.sh later")
    }

    @Test func aFailingPlotIsAWarningNotAFailedRun() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A gnuplot that fails: plot.sh reports it, and bench warns but the run stands.
        let bin = folder.url.appendingPathComponent("fake-bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("gnuplot")
        try Data("#!/bin/sh\necho 'broken on purpose' >&2\nexit 1\n".utf8).write(to: fake)
        chmod(fake.path, 0o755)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let (_, result) = try PlotTests.measureTinyRun(in: folder.url.appendingPathComponent("results"), plot: true, path: path)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("warning: plot.sh exited with status 1"), "\(result.standardError)")
    }

    /// The disk fills while charts are written: no empty or partial chart is
    /// left under a chart's name, the ones that failed are named, exit 4.
    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"), arguments: [false, true])
    func aFullDiskLeavesNoPartialChartAndNamesTheFailedOnes(_ temporaryOnTheFullDisk: Bool) throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (measured, result) = try PlotTests.measureTinyRun(in: folder.url, plot: false)
        try #require(result.status == 0, "\(result.standardError)")
        let disk = try ScratchMount(kilobytes: 256)
        let run = disk.url.appendingPathComponent("run")
        try FileManager.default.copyItem(at: measured, to: run)
        // Room for plot.sh's copies of the CSV and chart files, not for 32 charts.
        let free = try #require(try FileManager.default.attributesOfFileSystem(forPath: disk.url.path)[.systemFreeSize] as? Int)
        try Data(count: max(0, free - (temporaryOnTheFullDisk ? 192 : 96) * 1024)).write(to: disk.url.appendingPathComponent("fill"))
        let environment = temporaryOnTheFullDisk ? ["TMPDIR": disk.url.path] : [:]
        let plotted = try BenchBinary.runProgram(PlotScript.bash, arguments: [PlotScript.url.path, run.path], environment: environment)
        #expect(plotted.status == 4, "\(plotted.standardError)")
        #expect(plotted.standardError.contains("chart files could not be written in \(run.path)/plots and were left out ("), "\(plotted.standardError)")
        let plots = run.appendingPathComponent("plots")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: plots.path)) ?? [] {
            #expect(!name.hasPrefix("."), "a temporary chart \(name) was left")
            let size = (try FileManager.default.attributesOfItem(atPath: plots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(name.hasSuffix(".png") ? PlotScript.problemWithPNG(plots.appendingPathComponent(name)) == nil : size > 0, "\(name): \(size) bytes")
            #expect(!plotted.standardError.contains(" \(name) ") && !plotted.standardError.contains("(\(name) "), "\(name) is written and named as failed")
        }
    }

    @Test func benchRunsOnlyThePlotScriptOfItsOwnPackageNeverOneInTheCurrentFolder() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A plot.sh where the user stands is not bench's: it must not run.
        let here = folder.url.appendingPathComponent("here")
        try FileManager.default.createDirectory(at: here, withIntermediateDirectories: true)
        let marker = folder.url.appendingPathComponent("ran")
        try Data("touch '\(marker.path)'\nexit 0\n".utf8).write(to: here.appendingPathComponent("plot.sh"))
        let (run, result) = try PlotTests.measureTinyRun(in: here.appendingPathComponent("results"), plot: true, currentDirectory: here)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "bench ran the plot.sh of the current folder")
        #expect(PlotScript.charts(in: run).contains("wall-xor.png"), "the package's own plot.sh drew the charts")

        let root = folder.url.appendingPathComponent("elsewhere/package")
        let release = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release")
        try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
        let binary = release.appendingPathComponent("bench").path
        #expect(PackageFile.locate("plot.sh", executable: binary) == nil)
        try Data("exit 0\n".utf8).write(to: root.appendingPathComponent("plot.sh"))
        #expect(PackageFile.locate("plot.sh", executable: binary)?.path == root.appendingPathComponent("plot.sh").path)
        // The built bench finds this package's plot.sh.
        #expect(PackageFile.locate("plot.sh", executable: BenchBinary.url.resolvingSymlinksInPath().path)?.path == PlotScript.url.path)
    }

    @Test func hostileNamesAndFieldsNeverReachGnuplotAsCommands() throws {
        try PlotScript.requireGnuplot()
        // plot/selftest.sh builds the hostile folders and values (quotes, newlines,
        // system() calls in fields and names) and checks that nothing ran.
        let result = try BenchBinary.runProgram(
            PlotScript.bash, arguments: [PlotScript.packageRoot.appendingPathComponent("plot/selftest.sh").path], environment: ["BENCH": BenchBinary.url.path])
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("checks passed"), "\(result.standardOutput)")
    }
}
