import Foundation
import Platform

/// The columns of `claims.csv`, one row per claim check of an experiment
/// (`ClaimsReport`): what `bench report` needs to print the claims table
/// again, exactly, without the samples, and what an export gives a reader.
/// Written and read here, columns found by name.
public enum ClaimsCSV {
    public static let fileName = "claims.csv"

    public static let header = [
        "table", "claim_id", "claim", "source", "prediction", "language", "value", "ci_lo", "ci_hi", "coverage", "measured", "line",
        "direction", "p", "p_holm", "verdict",
    ]

    /// The whole file.
    public static func text(_ report: ClaimsReport) -> String {
        ([CSVFormat.line(header)] + report.rows.map { row in
            CSVFormat.line([
                report.title, row.id, row.claim, row.source, row.prediction, row.language, CSVFormat.significant(row.value),
                CSVFormat.significant(row.interval?.lowerBound), CSVFormat.significant(row.interval?.upperBound),
                CSVFormat.decimal(row.coverage, places: 4), row.measured, CSVFormat.significant(row.line), row.above ? "above" : "below",
                CSVFormat.significant(row.p), CSVFormat.significant(row.holmP), row.verdict.csvValue,
            ])
        }).joined(separator: "\n") + "\n"
    }

    /// `folder`'s claims table, nil when it has no claims.csv.
    public static func read(folder: String) throws -> ClaimsReport? {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError.io("cannot read \(path)", errno: errno) }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let first = lines.first else { return nil }
        let column = Dictionary(CSVFormat.fields(of: first).enumerated().map { ($1, $0) }) { first, _ in first }
        if let missing = header.first(where: { column[$0] == nil }) {
            throw BenchError.runFailed("\(path) line 1: no \(missing) column", fix: "give a folder written by bench experiment")
        }
        var title = ""
        var rows: [ClaimRow] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = CSVFormat.fields(of: line)
            func field(_ name: String) -> String { column[name].map { $0 < fields.count ? fields[$0] : "" } ?? "" }
            guard fields.count == column.count, let verdict = ClaimVerdict(csvValue: field("verdict")), let line = Double(field("line")) else {
                throw BenchError.runFailed("\(path):\(offset + 1): not a claim row", fix: "the line is damaged; rerun the experiment")
            }
            title = field("table")
            let low = Double(field("ci_lo"))
            let high = Double(field("ci_hi"))
            rows.append(ClaimRow(
                id: field("claim_id"), claim: field("claim"), source: field("source"), prediction: field("prediction"), language: field("language"),
                value: Double(field("value")), interval: low.flatMap { low in high.map { low...max(low, $0) } }, coverage: Double(field("coverage")),
                measured: field("measured"), line: line, above: field("direction") == "above", p: Double(field("p")) ?? 1,
                holmP: Double(field("p_holm")) ?? 1, verdict: verdict))
        }
        return ClaimsReport(title: title, rows: rows)
    }
}
