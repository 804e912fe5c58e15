import Foundation
import Harness
import Platform

/// `bench plot [RUN_DIR]`: writes a run folder's chart plan from the folder
/// alone and draws its charts, for folders written before bench planned
/// their charts (plot.sh refuses a folder without a plan and names this command).
enum PlotCommand: BenchCommand {
    static let name = "plot"
    static let summary = "write a run folder's chart plan (plots/plan.tsv) and draw its charts"

    static let options = [
        OptionSpec("--plan-only", help: "write the plan and its data files, draw nothing (no gnuplot needed)")
    ]

    static var help: String {
        Usage.command(
            "bench plot [RUN_DIR] [--plan-only]", summary: summary,
            groups: [("Options", options + [Usage.helpOption])],
            notes: [
                "RUN_DIR is a run folder (default: results/latest). bench writes the plan into every run folder it\nwrites; this command writes it for older folders, then runs ./plot.sh RUN_DIR.",
                "Exit codes: 0 plan written and charts drawn, 1 unreadable run or charts missing, 64 bad usage.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: options, help: help, positionals: true) else { return .success }
        guard arguments.positionals.count <= 1 else {
            throw BenchError.usage("plot takes one run folder, got \(arguments.positionals.count)", fix: "e.g. bench plot results/reference")
        }
        let folder = arguments.positionals.first ?? "results/latest"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw BenchError.usage("\(folder) is not a run folder", fix: "give a folder under results/ holding summary.csv (default: results/latest)")
        }
        try Plotter.plan(folder).write()
        printNote("chart plan: \(folder)/plots/plan.tsv")
        if arguments.has("--plan-only") { return .success }
        return Plotter.plot(folder) ? .success : .runFailed
    }
}
