import Foundation
import Platform

/// A Markdown table of chosen columns and rows of a CSV file of a committed
/// run: `<!-- bench:begin docs/gil csv experiment.csv columns=claim_id,language,value where.language=python format.value=f2 -->`.
///
/// Columns are found by name (`name` or `name:Header`); `where.COLUMN=VALUE`
/// keeps the rows whose field equals VALUE (several: all must match; a
/// `|` separates alternatives); `format.COLUMN=F` writes a number as
/// `ms`/`us` (from seconds), `x` (a ratio, `1.42×`), `pct` (a fraction as a
/// percentage), `int`, or `fN` (N decimals). A field that is empty stays `-`.
public struct CSVView: Sendable {
    public let file: String
    public let columns: [(name: String, header: String)]
    public let filters: [(column: String, values: Set<String>)]
    public let formats: [String: String]

    /// Reads the view's words after `csv` (the file, then key=value options).
    public init(words: [String]) throws(BenchError) {
        guard let file = words.first, !file.contains("=") else {
            throw BenchError.usage("a csv view names its file first", fix: "e.g. csv summary.csv columns=model,workers")
        }
        self.file = file
        var columns: [(String, String)] = []
        var filters: [(String, Set<String>)] = []
        var formats: [String: String] = [:]
        for option in words.dropFirst() {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw BenchError.usage("csv view option '\(option)' is not key=value", fix: "e.g. columns=model,workers") }
            let (key, value) = (parts[0], parts[1])
            if key == "columns" {
                columns = value.split(separator: ",").map { column in
                    let pair = column.split(separator: ":", maxSplits: 1).map(String.init)
                    return (pair[0], pair.count == 2 ? pair[1].replacingOccurrences(of: "_", with: " ") : pair[0])
                }
            } else if key.hasPrefix("where.") {
                filters.append((String(key.dropFirst(6)), Set(value.split(separator: "|", omittingEmptySubsequences: false).map(String.init))))
            } else if key.hasPrefix("format.") {
                formats[String(key.dropFirst(7))] = value
            } else {
                throw BenchError.usage("unknown csv view option '\(key)'", fix: "use columns=, where.COLUMN= or format.COLUMN=")
            }
        }
        guard !columns.isEmpty else { throw BenchError.usage("the csv view of \(file) names no columns", fix: "add columns=a,b,c") }
        self.columns = columns
        self.filters = filters
        self.formats = formats
    }

    /// The table, from the file's text (`path` names it in errors).
    public func render(_ text: String, path: String) throws(BenchError) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let headerLine = lines.first else { throw BenchError.runFailed("\(path) is empty", fix: "regenerate the run") }
        let header = CSVFormat.fields(of: headerLine)
        let index = Dictionary(header.enumerated().map { ($1, $0) }) { first, _ in first }
        for name in columns.map(\.name) + filters.map(\.column) + Array(formats.keys) where index[name] == nil {
            throw BenchError.runFailed("\(path) has no column '\(name)'", fix: "name one of: \(header.joined(separator: ", "))")
        }
        var rows: [[String]] = []
        for line in lines.dropFirst() {
            let fields = CSVFormat.fields(of: line)
            guard fields.count == header.count else { throw BenchError.runFailed("\(path): a row has \(fields.count) fields, the header \(header.count)", fix: "regenerate the run") }
            guard filters.allSatisfy({ $0.values.contains(fields[index[$0.column]!]) }) else { continue }
            rows.append(columns.map { column in Self.format(fields[index[column.name]!], as: formats[column.name]) })
        }
        guard !rows.isEmpty else { throw BenchError.runFailed("no row of \(path) matches the view's filters", fix: "check the where. options against the file") }
        return MarkdownTable(header: columns.map(\.header), rows: rows).render()
    }

    static func format(_ field: String, as format: String?) -> String {
        guard !field.isEmpty else { return "-" }
        guard let format, let value = Double(field) else { return field }
        switch format {
        case "ms": return String(format: "%.2f ms", value * 1e3)
        case "us": return String(format: "%.1f µs", value * 1e6)
        case "x": return String(format: value < 10 ? "%.2f×" : "%.1f×", value)
        case "pct": return String(format: "%.0f%%", value * 100)
        case "int": return String(Int(value.rounded()))
        default:
            if format.hasPrefix("f"), let places = Int(format.dropFirst()), (0...9).contains(places) {
                return String(format: "%.\(places)f", value)
            }
            return field
        }
    }
}

/// A GitHub-flavoured Markdown table; `|` in a cell is escaped.
public struct MarkdownTable: Sendable {
    public let header: [String]
    public let rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public func render() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(header) + "|" + String(repeating: "---|", count: header.count) + "\n" + rows.map(line).joined()
    }
}

/// One line saying where and when a committed run was measured, from its
/// meta.json: `measured 2026-12-06 04:17 UTC on Intel(R) Xeon(R) Processor (2 cores), release build at 6c5602f; other processes kept 0.00 cores busy, steal 0.0%; quiet`.
public enum MetaLine {
    public static func render(_ meta: JSONValue, path: String) throws(BenchError) -> String {
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case let .string(text): text
            case let .integer(number): String(number)
            case let .number(number): String(format: "%.2f", number)
            default: nil
            }
        }
        guard let started = text(meta["started_at"]), let status = text(meta["status"]) else {
            throw BenchError.runFailed("\(path) has no started_at or status", fix: "give a run folder bench wrote")
        }
        let when = started.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "").prefix(16) + " UTC"
        let cpu = text(meta["host"]?["cpu_model"]) ?? "an unknown CPU"
        let cores = text(meta["host"]?["logical_cores"]).map { " (\($0) cores)" } ?? ""
        let build = text(meta["build_configuration"]) ?? "unknown"
        let commit = text(meta["git_commit"]).map { " at \($0.prefix(7))" } ?? ""
        var line = "measured \(when) on \(cpu)\(cores), \(build) build\(commit)"
        if let python = text(meta["notes"]?["python"]?["version"]) { line += ", Python \(python)" }
        let during = meta["machine_load"]?["during"]
        // JSON writes 0.0 as 0: read both kinds as numbers, so the line reads the same either way.
        func number(_ value: JSONValue?) -> Double? {
            switch value {
            case let .integer(number): Double(number)
            case let .number(number): number
            default: nil
            }
        }
        if let others = number(during?["other_cpu_cores"]), let steal = number(during?["steal_percent"]) {
            line += "; other processes kept " + String(format: "%.2f", others) + " cores busy, steal " + String(format: "%.1f", steal) + "%"
        }
        if case .bool(true)? = meta["disturbed"] {
            line += "; **disturbed**: " + (text(meta["disturbed_because"]) ?? "the machine was busy")
        } else if meta["disturbed"] != nil {
            line += "; quiet"
        }
        if status != "complete" { line += "; status \(status)" }
        return line
    }
}
