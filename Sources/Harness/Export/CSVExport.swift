/// `--export-csv`: one row per cell, the columns of summary.csv.
public struct CSVExport: Exporter {
    public init() {}

    public var format: String { "csv" }
    public var help: String { "also write one row per cell with the columns of summary.csv" }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(([CSVFormat.line(SummaryCSV.header)] + document.report.summaries.map { CSVFormat.line(SummaryCSV.row($0)) })
            .map { $0 + "\n" }.joined().utf8)
    }
}
