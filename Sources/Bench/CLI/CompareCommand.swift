import Foundation

/// `bench compare OLD NEW`: what got slower or faster between two runs,
/// with an exit code a CI job can gate on.
enum CompareCommand: BenchCommand {
    static let name = "compare"
    static let summary = "compare two runs cell by cell; exit 2 when a cell regressed"
    static let defaultThreshold = 5.0

    static let options = [
        OptionSpec("--threshold", value: "PERCENT", help: "smallest change that counts, in percent (default \(Int(defaultThreshold)))"),
        Usage.helpOption,
    ]

    static var help: String {
        Usage.command(
            "bench compare OLD_RUN NEW_RUN [--threshold PERCENT]", summary: summary,
            groups: [("Options", options)],
            notes: [
                "OLD_RUN and NEW_RUN are run folders (e.g. results/reference results/latest).",
                "For every cell in both runs it prints new/old median wall time with a 95% bootstrap interval.\nA cell regressed when the whole interval lies above 1 + threshold, improved when below 1 - threshold.",
                "Exit codes: 0 nothing regressed, 2 something regressed, 64 bad usage, 1 unreadable run.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: options)
        if arguments.has("--help") {
            print(help)
            return .success
        }
        guard arguments.positionals.count == 2 else {
            throw BenchError.usage("compare needs two run folders, got \(arguments.positionals.count)", fix: "e.g. bench compare results/reference results/latest")
        }
        let threshold = try percent(arguments.string("--threshold")) ?? defaultThreshold
        let old = try RecordedRun(folder: URL(fileURLWithPath: arguments.positionals[0]))
        let new = try RecordedRun(folder: URL(fileURLWithPath: arguments.positionals[1]))
        let comparison = RunComparison(old: old, new: new, threshold: threshold / 100)
        guard !comparison.rows.isEmpty else {
            throw BenchError.usage("\(old.id) and \(new.id) have no cell in common", fix: "compare runs of the same matrix")
        }
        print(render(comparison, old: old, new: new, threshold: threshold))
        return comparison.regressions > 0 ? .regression : .success
    }

    /// Accepts `5`, `5%` and `2.5`.
    static func percent(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number), value.isFinite, value >= 0, value < 100 else {
            throw BenchError.usage("--threshold expects a percentage from 0 to 100, got '\(text)'", fix: "e.g. --threshold 5")
        }
        return value
    }

    static func render(_ comparison: RunComparison, old: RecordedRun, new: RecordedRun, threshold: Double) -> String {
        let header = ["cell", "old median", "new median", "new/old", "95% CI", "verdict"]
        let body = comparison.rows.map { row -> [String] in
            [
                row.cell.label,
                TerminalTable.duration(row.oldMedian),
                TerminalTable.duration(row.newMedian),
                String(format: "%.3f", row.ratio),
                row.interval.map { String(format: "%.3f - %.3f", $0.lowerBound, $0.upperBound) } ?? "(1 run)",
                row.verdict.rawValue,
            ]
        }
        var text = "old: \(old.id)\nnew: \(new.id)\nthreshold: \(threshold)%\n\n"
        text += TextTable(header: header, rows: body, leftAligned: [0, 5], indent: "").render()
        text += "\n\n\(comparison.rows.count) cells compared: \(comparison.regressions) regressed, \(comparison.improvements) improved"
        if comparison.unmatched > 0 {
            text += "; \(comparison.unmatched) cells in only one run were skipped"
        }
        return text
    }
}
