import Foundation
import Platform

/// One CSV file of a run folder, read for the charts and checked field by
/// field, so that nothing but plain words and numbers ever reaches gnuplot,
/// even as data: names (workload, model...) hold only letters, digits and
/// . _ + -; counts are whole numbers; the measures and the columns ending in
/// _s are decimal numbers; any other column letters, digits and . _ = ; : + / % -.
/// A value with other characters is refused with its file and line, not quoted.
struct ChartTable {
    let path: String
    let header: [String]
    /// The rows with their line numbers in the file (blank lines carry none).
    let rows: [(line: Int, fields: [String])]

    static let nameColumns: Set<String> = ["workload", "kind", "model", "work_unit", "sink", "config", "language"]
    static let countColumns: Set<String> = ["order", "processes", "threads", "workers", "tasks", "repeat", "runs", "outliers", "items"]
    static let numberColumns: Set<String> = [
        "work", "speedup", "speedup_ci_lo", "speedup_ci_hi", "efficiency", "throughput_tps", "cpu_util", "max_rss_kb", "vcsw", "ivcsw",
        "pss_kb", "uss_kb", "migrations", "cycles", "instructions", "cache_misses",
    ]

    /// Reads and checks `path`: the header must name `required`, every row
    /// needs a value in `nonEmpty`, and a file without rows is an error unless `allowsNoRows`.
    init(path: String, required: [String], nonEmpty: Set<String> = [], allowsNoRows: Bool = false) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Self.error(path, "missing", fix: "run bench to make a complete run folder, or give another run folder")
        }
        guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw Self.error(path, "not a readable file", fix: "give a run folder written by bench")
        }
        guard !data.isEmpty else {
            throw Self.error(path, "empty (no header line)", fix: "the run did not finish writing it; rerun bench")
        }
        // A field cannot hold a line break.
        let lines = CSVLines(data).lines
        guard let first = lines.first, !Self.hasOpenQuote(first) else {
            throw Self.error("\(path):1", "the header has an unterminated quote", fix: "the file is damaged; rerun bench")
        }
        let header = CSVFormat.fields(of: first)
        self.header = header
        for (index, name) in header.enumerated() where name.isEmpty || !Self.isText(name) {
            throw Self.error("\(path):1", "column \(index + 1) of the header is \"\(Self.shown(name))\", not a column name", fix: "the file is damaged; rerun bench")
        }
        try CSVLines.checkHeader(header, has: required, path: path)
        var rows: [(Int, [String])] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let place = "\(path):\(offset + 1)"
            guard !Self.hasOpenQuote(line) else {
                throw Self.error(place, "a quoted field is not closed on this line", fix: "a field cannot hold a line break; rerun bench")
            }
            let fields = CSVFormat.fields(of: line)
            try CSVLines.checkFieldCount(fields, header: header, place: place)
            for (name, value) in zip(header, fields) {
                if let problem = Self.problem(column: name, value: value, required: nonEmpty.contains(name)) {
                    throw Self.error(place, problem, fix: "the file is damaged or was not written by bench; rerun bench")
                }
            }
            rows.append((offset + 1, fields))
        }
        guard !rows.isEmpty || allowsNoRows else {
            throw Self.error("\(path):1", "a header but no rows", fix: "the run measured nothing; rerun bench")
        }
        self.rows = rows
    }

    func has(_ column: String) -> Bool { header.contains(column) }

    /// The value of `column` in `fields`, empty when the file has no such column.
    func value(_ column: String, in fields: [String]) -> String {
        header.firstIndex(of: column).map { fields[$0] } ?? ""
    }

    /// The file as gnuplot reads it: without quotes, CRs or blank lines
    /// (gnuplot 5.4 reads a quoted empty field "" as the rest of the line, and
    /// a blank line as the end of a data block), with an empty column for each
    /// of `padding` the file lacks (older runs), and a last column that is
    /// never empty (gnuplot 5.4 misreads an empty last field). The checks
    /// leave no comma or quote inside a field, so the copy means the same.
    /// `rows` picks rows by position (nil: all of them).
    func plainCopy(padding: [String], rows picked: [Int]? = nil) -> String {
        let added = padding.filter { !header.contains($0) }
        var text = (header + added + ["end_of_row"]).joined(separator: ",") + "\n"
        for position in picked ?? Array(rows.indices) {
            text += (rows[position].fields + added.map { _ in "" } + ["-"]).joined(separator: ",") + "\n"
        }
        return text
    }

    /// Why `value` cannot stand in `column`, or nil when it can.
    static func problem(column: String, value: String, required: Bool) -> String? {
        if value.isEmpty { return required ? "column \(column) is empty, but every row needs it" : nil }
        if nameColumns.contains(column) {
            return isName(value) ? nil : "column \(column) is \"\(shown(value))\"; a name may hold only letters, digits and . _ + -"
        }
        if countColumns.contains(column) {
            return value.utf8.allSatisfy { (48...57).contains($0) } ? nil : "column \(column) is \"\(shown(value))\", not a whole number"
        }
        if numberColumns.contains(column) || column.hasSuffix("_s") {
            return isNumber(value) ? nil : "column \(column) is \"\(shown(value))\", not a number"
        }
        return isText(value) ? nil : "column \(column) is \"\(shown(value))\"; it may hold only letters, digits and . _ = ; : + / % -"
    }

    static func isName(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { isAlphanumeric($0) || "._+-".utf8.contains($0) }
    }

    static func isText(_ value: String) -> Bool {
        value.utf8.allSatisfy { isAlphanumeric($0) || "._=;:+/%-".utf8.contains($0) }
    }

    /// -?(digits[.digits] | .digits)([eE][-+]?digits)?
    static func isNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let mantissa = bytes.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        var exponent = bytes.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (part: Substring.UTF8View.SubSequence) in part.allSatisfy { (48...57).contains($0) } }
        guard parts.allSatisfy(digits), !(parts.first?.isEmpty ?? true) || (parts.count == 2 && !parts[1].isEmpty) else { return false }
        if exponent.isEmpty { return true }
        exponent = exponent.dropFirst()
        if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && digits(exponent)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    /// Whether a line leaves a quoted field open (an odd number of quotes).
    private static func hasOpenQuote(_ line: Substring) -> Bool {
        line.utf8.filter { $0 == UInt8(ascii: "\"") }.count % 2 == 1
    }

    /// A value fit for an error message: printable ASCII, at most 40 characters.
    static func shown(_ value: String) -> String {
        let printable = String(value.unicodeScalars.map { (32...126).contains($0.value) ? Character($0) : "?" })
        return printable.count > 40 ? printable.prefix(40) + "..." : printable
    }

    static func error(_ place: String, _ problem: String, fix: String) -> BenchError {
        BenchError.runFailed("\(place): \(problem)", fix: fix)
    }
}
