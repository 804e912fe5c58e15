import Foundation
import Testing
import Engine
@testable import Harness
import TestSupport

/// ChartPlan from hand-written run folders: which charts, in which order,
/// with which arguments, and which key; no gnuplot needed.
@Suite("ChartPlan")
struct ChartPlanTests {
    static func plan(_ rows: [SyntheticRun.Row], meta: Bool = true, in folder: TemporaryFolder) throws -> ChartPlan {
        let run = try SyntheticRun(in: folder.url)
        try run.writeSummary(rows)
        if meta { try run.writeMeta() }
        return try ChartPlan(folder: run.url.path, chartFiles: PlotScript.chartFiles)
    }

    static func charts(_ plan: ChartPlan) -> [ChartPlan.Chart] {
        plan.entries.compactMap { if case let .chart(chart) = $0 { chart } else { nil } }
    }

    @Test func plansEachDatasetsChartsAndOrdersTheKeyByTheCatalog() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var rows = SyntheticRun.hybridRows
        rows.append(.init(workload: "cpu_bound-x", model: "python-serial", wall: 2))
        rows.append(.init(workload: "cpu_bound-x", model: "python-thread", threads: 2, workers: 2, wall: 2))
        for (processes, threads) in [(1, 2), (2, 1)] {
            rows.append(.init(workload: "cpu_bound-x", model: "python-hybrid", processes: processes, threads: threads, workers: 2, wall: 1.5))
        }
        rows.append(.init(workload: "sleep", kind: "io", model: "thread", threads: 4, workers: 4, work: "10", unit: "ms", wall: 0.1, serialWall: nil, params: "sleep-ms=10", taskLatency: (0.01, 0.02)))
        let plan = try Self.plan(rows, in: folder)

        // Each Swift model beside its Python twin, then the unknown model as the run has it.
        #expect(plan.entries.contains(.models(["serial", "python-serial", "thread", "python-thread", "hybrid", "python-hybrid", "my_model-2"])))
        #expect(plan.entries.first == .corner("run 20260101T000000Z-synthetic · host test-host · 2 cores"))
        let names = Self.charts(plan).map(\.name)
        #expect(names == [
            "wall-cpu_bound-x", "speedup-cpu_bound-x", "efficiency-cpu_bound-x", "cpu-cpu_bound-x", "memory-cpu_bound-x",
            "hybrid-cpu_bound-x", "python-hybrid-cpu_bound-x", "wall-sleep", "cpu-sleep", "memory-sleep", "latency-sleep",
        ])
        #expect(plan.entries.contains(.note("no speedup or efficiency chart for sleep: it has no serial cell to compare with")))
        let wall = try #require(Self.charts(plan).first)
        #expect(wall == .init(
            name: "wall-cpu_bound-x", script: "wall.gp", data: "dataset-cpu_bound-x.csv", subtitle: "cpu_bound-x (cpu): 64 tasks × 1000000 iterations", workload: "cpu_bound-x",
            params: "iterations=1000000", selection: "64|1000000|iterations||", extra: ""))
        #expect(Self.charts(plan).first { $0.name == "python-hybrid-cpu_bound-x" }?.extra == "python-hybrid")
        #expect(plan.text.hasSuffix("end\t\(plan.entries.count)\n"))
        #expect(plan.text.split(separator: "\n").allSatisfy { !$0.contains("\n") })
    }

    @Test func gridModelsComeFromTheirDeclaredShapes() {
        #expect(ModelCatalog.all.filter(ChartDatasets.spansGrid).map(\.name) == ["hybrid", "python-hybrid"])
    }

    @Test func datasetsThatDifferInOneNumericParameterGetAScan() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var rows: [SyntheticRun.Row] = []
        for iterations in ["1000", "2000"] {
            rows.append(.init(model: "serial", work: iterations, wall: 1, params: "iterations=\(iterations)"))
            rows.append(.init(model: "thread", threads: 2, workers: 2, work: iterations, wall: 0.5, params: "iterations=\(iterations)"))
        }
        let plan = try Self.plan(rows, in: folder)
        try plan.write()
        let charts = Self.charts(plan)
        // Each wall chart reads its dataset's rows; the scan every row of the workload, in summary.csv's order.
        let data = folder.url.appendingPathComponent("synthetic/plots/data")
        let rowsOf = { (name: String) in
            try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[2] + "," + $0.split(separator: ",")[7] }
        }
        #expect(try rowsOf("dataset-xor-iterations_1000.csv") == ["serial,1000", "thread,1000"])
        #expect(try rowsOf("dataset-xor-iterations_2000.csv") == ["serial,2000", "thread,2000"])
        #expect(try rowsOf("workload-xor-1.csv") == ["serial,1000", "thread,1000", "serial,2000", "thread,2000"])
        #expect(charts.map(\.name).filter { $0.hasPrefix("wall-") } == ["wall-xor-iterations_1000", "wall-xor-iterations_2000"])
        #expect(charts.last == .init(
            name: "scan-xor-iterations", script: "scan.gp", data: "workload-xor-1.csv", subtitle: "xor (cpu): 64 tasks; one line per model and worker count", workload: "xor",
            params: "iterations", selection: "64", extra: ""))
    }

    @Test func aDamagedFieldIsRefusedWithItsFileAndLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: (any Error).self) { try Self.plan([.init(model: "bad model`", wall: 1)], in: folder) }
        do {
            _ = try Self.plan([.init(model: "serial", wall: 1), .init(model: "x'); system(\"id\")", wall: 1)], in: folder)
            Issue.record("a model with a quote was planned")
        } catch {
            #expect("\(error)".contains("summary.csv:3: column model"), "\(error)")
        }
    }

    /// Older runs lack the cpus, pss_kb and interpreter columns: the copy gnuplot reads has them empty.
    @Test func theDataCopyHasNoQuotesAndEveryColumnTheChartsName() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let run = try SyntheticRun(in: folder.url)
        try run.write("summary.csv", """
            workload,kind,model,processes,threads,workers,tasks,work,work_unit,wall_median_s,wall_min_s,wall_max_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,cpu_util,max_rss_kb\r
            "xor",cpu,serial,1,1,1,8,1000,iterations,0.08,0.08,0.08,"",,,,1,30000\r

            """)
        let plan = try ChartPlan(folder: run.url.path, chartFiles: PlotScript.chartFiles)
        try plan.write()
        let copy = try String(contentsOf: run.url.appendingPathComponent("plots/data/summary-all.csv"), encoding: .utf8)
        #expect(copy == """
            workload,kind,model,processes,threads,workers,tasks,work,work_unit,wall_median_s,wall_min_s,wall_max_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,cpu_util,max_rss_kb,cpus,pss_kb,interpreter,end_of_row
            xor,cpu,serial,1,1,1,8,1000,iterations,0.08,0.08,0.08,,,,,1,30000,,,,-

            """)
        // Written again, the plan leaves no file of an earlier one.
        try Data("x\n".utf8).write(to: run.url.appendingPathComponent("plots/data/dataset-old.csv"))
        try plan.write()
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.url.appendingPathComponent("plots/data").path).sorted() == ["dataset-xor.csv", "fits.csv", "summary-all.csv"])
        // The one chart's dataset is the one row.
        #expect(try String(contentsOf: run.url.appendingPathComponent("plots/data/dataset-xor.csv"), encoding: .utf8) == copy)
        // Without meta.json or raw.csv the folder's name is the run id.
        #expect(plan.entries.first == .corner("run synthetic · host unknown · ? cores"))
    }
}
