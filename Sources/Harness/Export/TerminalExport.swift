/// `--export-terminal`: what the terminal shows, as text: a line about the
/// run, then per group of cells its table, verdicts and fits, then the
/// experiment's claims table.
public struct TerminalExport: Exporter {
    public init() {}

    public var format: String { "terminal" }
    public var help: String { "also write the tables, verdicts, fits and claims as the terminal shows them, under a line about the run" }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(text(document).utf8)
    }

    public func text(_ document: ExportDocument) -> String {
        (document.metaLine.map { $0 + "\n\n" } ?? "") + Self.tables(document.report)
            + (document.claims?.render(disturbed: document.disturbed) ?? "")
    }

    /// What a run prints at its end: per group of cells, its table, then its verdicts and fits.
    public static func tables(_ report: InvocationReport) -> String {
        report.groups.map { group in
            TerminalTable.render(report.summaries.filter { CellGroup($0.cell) == group }, languages: report.languages, precision: report.precision)
                + HeadToHead.render(report.verdicts, for: group) + ScalingFit.render(report.fits, for: group)
        }.joined()
    }
}
