import Experiments
import Harness
import Platform

/// `bench report RUN`: writes the run folder's report.html again from the
/// folder alone (raw.csv, claims.csv, meta.json and the charts in plots/),
/// e.g. after ./plot.sh redrew the charts, or for a run made with --no-report.
enum ReportCommand: BenchCommand {
    static let name = "report"
    static let summary = "write a run folder's report.html again from its files (bench report results/latest)"

    static var help: String {
        Usage.command(
            "bench report RUN", summary: summary, groups: [("Options", [Usage.helpOption])],
            notes: [
                "RUN is a run folder (e.g. results/latest). report.html holds every table, verdict, fit and claim\nof the run, computed again from raw.csv as the run computed them, meta.json, links to every CSV,\nand the charts of plots/ inline; it loads nothing from anywhere. A folder without charts gets the\ntables and a note on drawing them (./plot.sh RUN, then bench report RUN).",
                "Every run writes report.html at its end unless given --no-report.",
                "Exit codes: 0 written, 64 no such run folder or no raw.csv in it, 1 a damaged file or a failed write.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: [], help: help, positionals: true) else { return .success }
        guard arguments.positionals.count == 1, let folder = arguments.positionals.first else {
            throw BenchError.usage("report needs one run folder, got \(arguments.positionals.count)", fix: "e.g. bench report results/latest")
        }
        // An experiment's run is judged with its own models' baselines and its family of verdicts.
        let document = try ExportDocument.recorded(in: folder) { name in
            ExperimentRegistry.experiment(named: name).map { ($0.modelBaselines, $0.verdictFamily) }
        }
        let charts = HTMLExport.charts(in: folder, workloads: [])
        printNote("report: \(try HTMLExport.writeReport(document)) (\(document.report.summaries.count) cells, \(charts.count) charts)")
        return .success
    }
}
