import Engine
import Foundation
import Platform

/// Which charts a run folder gets, planned from the folder alone (summary.csv,
/// fits.csv, experiment.csv, meta.json, raw.csv's run id) and written into it
/// as `plots/plan.tsv` beside the data files gnuplot reads (`plots/data/`),
/// so that plot.sh only checks and draws: it parses no CSV.
///
/// plan.tsv is one entry a line, fields separated by tabs (an empty field
/// is two tabs in a row), in drawing order:
///
///     corner      TEXT          the label in each chart's corner: run id, host, cores
///     cores       N             logical cores of the measuring host, or empty
///     models      M1 M2...      every model of the run, space-separated, in key order
///     data        FILE          plots/data/FILE, copied under that name beside the chart files
///     note        TEXT          printed to the user (a chart left out, and why)
///     chart       NAME SCRIPT DATA SUBTITLE WORKLOAD PARAMS TASKS|WORK|UNIT|CPUS|INTERPRETER EXTRA
///     experiment  NAME SCRIPT DATA   the experiment's chart, drawn last, with no chart arguments
///
/// DATA is the data file a chart reads as summary.csv: its dataset's rows
/// (`dataset-<chart slug>.csv`), its workload's for the cores and scan
/// charts (`workload-<name>-<n>.csv`), every row for an experiment
/// (`summary-all.csv`); always in summary.csv's order.
///     end         N             the number of lines above: a plan cut short is refused
///
/// A dataset is what one chart of each kind shows: the rows of one workload
/// with one parameter set, task count, CPU set and interpreter.
public struct ChartPlan {
    /// One line of the plan.
    public enum Entry: Equatable {
        case corner(String)
        case cores(String)
        case models([String])
        case data(String)
        case note(String)
        case chart(Chart)
        case experiment(name: String, script: String, data: String)
    }

    /// One chart drawn by a chart file of plot/ with the arguments gnuplot gets.
    public struct Chart: Equatable {
        public let name: String
        public let script: String
        /// The file of plots/data/ the chart reads as summary.csv.
        public let data: String
        public let subtitle: String
        public let workload: String
        public let params: String
        /// `tasks|work|work_unit|cpus|interpreter`, which picks the dataset's rows (the task count alone for cores and scan charts).
        public let selection: String
        /// The grid model of a heatmap, empty for the others.
        public let extra: String
    }

    public let folder: String
    public private(set) var entries: [Entry] = []
    /// The data files for plots/data/, by name.
    private(set) var dataFiles: [(name: String, text: String)] = []

    /// The columns of summary.csv the charts read; anything else is ignored.
    static let summaryColumns = [
        "workload", "kind", "model", "processes", "threads", "workers", "tasks", "work", "work_unit", "wall_median_s", "wall_min_s",
        "wall_max_s", "speedup", "speedup_ci_lo", "speedup_ci_hi", "efficiency", "cpu_util", "max_rss_kb",
    ]

    /// The package's chart files (plot/), found above the bench binary.
    public static var packageChartFiles: URL? {
        PackageFile.locate("plot/style.gp")?.deletingLastPathComponent()
    }

    /// Plans the charts of `folder`, checking every file the charts read;
    /// `chartFiles` is the package's plot/ folder, whose experiment chart
    /// files say which columns they read.
    public init(folder: String, chartFiles: URL) throws {
        self.folder = folder
        let meta = MetaLines(path: folder + "/meta.json")
        var experiment: String?
        var noCells = false
        if FileManager.default.fileExists(atPath: folder + "/experiment.csv") {
            // Runs from before meta.json named the experiment had only seed-400.
            let name = try meta.value("experiment") ?? "seed-400"
            let file = chartFiles.appendingPathComponent("experiment-\(name).gp")
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                // An experiment of probes, not cells: summary.csv and raw.csv are a header alone.
                noCells = lines.contains("# cells: none")
                let columns = lines.first { $0.hasPrefix("# columns: ") }.map { $0.dropFirst("# columns: ".count).split(separator: ",").map(String.init) } ?? []
                let table = try ChartTable(path: folder + "/experiment.csv", required: columns)
                dataFiles.append(("experiment.csv", table.plainCopy(padding: [])))
                experiment = name
            } else {
                entries.append(.note("no \(name) chart: plot/experiment-\(name).gp does not exist"))
            }
        }
        let summary = try ChartTable(
            path: folder + "/summary.csv", required: Self.summaryColumns,
            nonEmpty: ["workload", "model", "processes", "workers", "tasks", "wall_median_s"], allowsNoRows: noCells)
        // Older runs lack these columns: empty ones let the charts name them whatever the run's age.
        let padding = ["cpus", "pss_kb", "interpreter"]
        dataFiles.insert(("summary-all.csv", summary.plainCopy(padding: padding)), at: 0)
        dataFiles.insert(("fits.csv", try Self.fits(folder + "/fits.csv")), at: 1)

        var runID = try meta.value("run_id")
        if FileManager.default.fileExists(atPath: folder + "/raw.csv") {
            let raw = try ChartTable(path: folder + "/raw.csv", required: ["run_id", "workload", "model", "wall_s"], nonEmpty: ["run_id"], allowsNoRows: noCells)
            runID = runID ?? raw.rows.first.map { raw.value("run_id", in: $0.fields) }
        }
        let id = runID ?? Self.folderName(folder)
        let cores = try meta.value("logical_cores").flatMap { $0.utf8.allSatisfy { (48...57).contains($0) } ? $0 : nil }
        var corner = "run \(id) · host \(try meta.value("host_name") ?? "unknown") · \(cores ?? "?") cores"
        if let quota = try meta.value("cgroup_cpu_quota") { corner += " (cgroup quota \(quota) CPUs)" }
        if let status = try meta.value("status"), status != "complete" { corner += " · run \(status)" }

        let planned = ChartDatasets(summary)
        dataFiles += planned.files.map { ($0.name, summary.plainCopy(padding: padding, rows: $0.rows)) }
        entries = [.corner(corner), .cores(cores ?? ""), .models(planned.keyOrder)] + dataFiles.map { .data($0.name) } + entries + planned.entries
        if let experiment {
            entries.append(.experiment(name: experiment, script: "experiment-\(experiment).gp", data: "summary-all.csv"))
        }
    }

    /// fits.csv as gnuplot reads it: the Universal Scalability Law per model,
    /// or, without fits, a row that matches no chart, so the charts need not test for the file.
    private static func fits(_ path: String) throws -> String {
        let lines = (FileManager.default.contents(atPath: path)).map { $0.filter { $0 == UInt8(ascii: "\n") }.count } ?? 0
        guard lines > 1 else { return "workload,params,tasks,model,sigma,kappa,interpreter\n-,-,0,-,,,-\n" }
        // fits.csv from before the interpreter axis gets an empty interpreter column.
        return try ChartTable(path: path, required: ["workload", "params", "tasks", "model", "sigma", "kappa"]).plainCopy(padding: ["interpreter"])
    }

    /// The folder's own name, shown only: anything but a plain word becomes _.
    private static func folderName(_ folder: String) -> String {
        ChartDatasets.safeName(URL(fileURLWithPath: folder).resolvingSymlinksInPath().lastPathComponent)
    }

    /// plan.tsv's text.
    public var text: String {
        let lines = entries.map { entry -> String in
            switch entry {
            case let .corner(text): "corner\t\(text)"
            case let .cores(count): "cores\t\(count)"
            case let .models(models): "models\t\(models.joined(separator: " "))"
            case let .data(name): "data\t\(name)"
            case let .note(text): "note\t\(text)"
            case let .chart(chart):
                ["chart", chart.name, chart.script, chart.data, chart.subtitle, chart.workload, chart.params, chart.selection, chart.extra].joined(separator: "\t")
            case let .experiment(name, script, data): "experiment\t\(name)\t\(script)\t\(data)"
            }
        }
        return (lines + ["end\t\(lines.count)"]).joined(separator: "\n") + "\n"
    }

    /// Writes plots/data/ and then plots/plan.tsv, each file through a
    /// temporary one and a rename: a plan on disk always has its data.
    /// (plot.sh racing a rewrite may find a file the old plan names gone, and
    /// then refuses: it checks every file the plan names before drawing.)
    public func write() throws {
        let plots = folder + "/plots"
        let data = plots + "/data"
        do {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            for file in dataFiles {
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: data + "/" + file.name), options: .atomic)
            }
            // A plan written again leaves no data file of the earlier plan behind.
            let names = Set(dataFiles.map(\.name))
            for name in try FileManager.default.contentsOfDirectory(atPath: data) where name.hasSuffix(".csv") && !names.contains(name) {
                try FileManager.default.removeItem(atPath: data + "/" + name)
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: plots + "/plan.tsv"), options: .atomic)
        } catch {
            throw BenchError.runFailed("cannot write the chart plan in \(plots): \(oneLine(error))", fix: "free some space or check the folder's permissions, then run bench plot \(folder)")
        }
    }
}
