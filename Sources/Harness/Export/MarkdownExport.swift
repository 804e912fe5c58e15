import Foundation

/// `--export-markdown`: the tables, verdicts and fits, and the claims table,
/// as Markdown, ready for an issue or a README. `section(for:in:)` renders
/// one group alone, for a document built around it.
public struct MarkdownExport: Exporter {
    public init() {}

    public var format: String { "markdown" }
    public var help: String { "also write the tables, verdicts, fits and claims as Markdown" }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(text(document).utf8)
    }

    public func text(_ document: ExportDocument) -> String {
        var text = "# bench run \(document.runID)\n"
        if let line = document.metaLine { text += "\n" + line + "\n" }
        for group in document.report.groups {
            text += "\n## \(group.label)\n\n" + section(for: group, in: document.report)
        }
        if let claims = document.claims {
            text += "\n" + Self.claims(claims, disturbed: document.disturbed)
        }
        return text
    }

    /// One group of cells: its table, then its verdicts and fits, without a heading.
    public func section(for group: CellGroup, in report: InvocationReport) -> String {
        [table(for: group, in: report), verdicts(for: group, in: report), fits(for: group, in: report)].filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// A group's table with its footnotes (superlinear cells, Python's labels, cells short of the precision).
    public func table(for group: CellGroup, in report: InvocationReport) -> String {
        let rows = report.summaries.filter { CellGroup($0.cell) == group }
        let header = Self.header
        var text = "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
        for summary in rows {
            var fields = Self.fields(summary, languages: report.languages, precision: report.precision)
            fields[6] = fields[6].replacingOccurrences(of: "*", with: "\\*")
            text += "| " + fields.joined(separator: " | ") + " |\n"
        }
        for note in Self.notes(rows, report: report) {
            // A note starting with * would open emphasis in Markdown.
            text += "\n" + (note.hasPrefix("*") ? "\\" + note : note) + "\n"
        }
        return text
    }

    /// A group's head-to-head verdicts by worker count; empty when it has none.
    public func verdicts(for group: CellGroup, in report: InvocationReport) -> String {
        let verdictLines = report.verdicts.filter { $0.group == group }
        guard let first = verdictLines.first else { return "" }
        return "Fastest by worker count (\(first.howJudged)):\n\n"
            + Self.verdictSentences(verdictLines).map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    /// A group's scaling fits; empty when it has none.
    public func fits(for group: CellGroup, in report: InvocationReport) -> String {
        let fitLines = report.fits.filter { $0.group == group }
        guard !fitLines.isEmpty else { return "" }
        return "Scaling fit (Universal Scalability Law):\n\n" + fitLines.map { "- \($0.sentence)" }.joined(separator: "\n") + "\n"
    }

    /// The notes under a group's table (superlinear speedups, the Python
    /// labels' footnotes, cells that stopped short of the precision), as plain text.
    static func notes(_ rows: [CellSummary], report: InvocationReport) -> [String] {
        var notes: [String] = []
        if rows.contains(where: TerminalTable.isSuperlinear) { notes.append(TerminalTable.superlinearNote) }
        notes += report.languages.python.footnotes(rows.map(\.cell))
        if let precision = report.precision, rows.contains(where: { TerminalTable.stoppedShort($0, precision: precision) }) {
            notes.append("* stopped short of ±\(TerminalTable.percent(precision)): --max-runs, --max-time or --budget came first")
        }
        return notes
    }

    /// A group's verdicts, one sentence per worker count.
    static func verdictSentences(_ verdicts: [HeadToHead]) -> [String] {
        verdicts.map { "\($0.workers) worker\($0.workers == 1 ? "" : "s"): \($0.sentence)" }
    }

    /// The columns of a group's table, as Markdown and the HTML page show them.
    static let header = ["model", "shape", "workers", "n", "median wall", "95% CI", "±", "speedup", "efficiency", "cpu util", "task p50", "task p99"]

    /// One cell's row under `header`, as plain text.
    static func fields(_ summary: CellSummary, languages: ModelLanguages, precision: Double?) -> [String] {
        let efficiency: String = summary.efficiency.map { String(format: "%.2f", $0) } ?? "-"
        let utilisation: String = summary.cpuUtilisation.map { String(format: "%.2f", $0) } ?? "-"
        let p50: String = summary.taskLatency.map { TerminalTable.duration($0.p50) } ?? "-"
        let p99: String = summary.taskLatency.map { TerminalTable.duration($0.p99) } ?? "-"
        return [
            languages.label(of: summary.cell), summary.cell.shape.description, String(summary.cell.shape.workers), String(summary.wall.count),
            TerminalTable.duration(summary.wall.median), TerminalTable.interval(summary),
            TerminalTable.halfWidth(summary, precision: precision), TerminalTable.speedup(summary),
            efficiency, utilisation, p50, p99,
        ]
    }

    /// The claims table: one row per check, the p-values beside each verdict.
    public static func claims(_ claims: ClaimsReport, disturbed: Bool) -> String {
        let header = claimsHeader
        var text = "## Claims: \(cell(claims.title))\n\n| " + header.joined(separator: " | ") + " |\n|"
            + String(repeating: "---|", count: header.count) + "\n"
        for row in claims.rows {
            text += "| " + claimFields(row, disturbed: disturbed).map(cell).joined(separator: " | ") + " |\n"
        }
        return text + "\n" + ClaimsReport.familyNote(claims.rows.count) + "\n"
    }

    /// The columns of the claims table, as Markdown and the HTML page show them.
    static let claimsHeader = ["claim", "source", "prediction", "language", "measured [95% CI]", "p", "Holm p", "verdict"]

    /// One claim check's row under `claimsHeader`, as plain text.
    static func claimFields(_ row: ClaimRow, disturbed: Bool) -> [String] {
        [
            row.claim, row.source, row.prediction, row.language, row.measured, String(format: "%.3g", row.p), String(format: "%.3g", row.holmP),
            row.verdict.rawValue + (disturbed ? VerdictPolicy.disturbedMark : ""),
        ]
    }

    /// Text that stays in its table cell: a `|` would end it.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
