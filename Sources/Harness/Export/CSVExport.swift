/// `--export-csv`: one row per cell, the columns of summary.csv.
public struct CSVExport: Exporter {
    public init() {}

    public var format: String { "csv" }
    public var help: String { "also write one row per cell with the columns of summary.csv" }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(ResultsCSV.summaryText(document.report.summaries).utf8)
    }
}
