import Foundation
import Platform

/// A CSV file of a run folder split into lines, and the two checks every
/// reader of one makes: the header names the columns the reader needs, and
/// every row has the header's field count. `RecordedRun` (compare, report,
/// docs) and `ChartTable` (bench plot's chart plan) both read through it, so
/// that both say the same words of a header that lacks a column or a row
/// with too few fields. What else each accepts is its own: the chart plan
/// skips blank lines, RecordedRun drops a last row cut short, with a warning.
struct CSVLines {
    /// The lines without their line ends ("\n" or "\r\n"); none for an
    /// empty file, and no empty last line for the file's final line break.
    let lines: [Substring]
    /// Whether the file ends with a line break, as every file bench writes
    /// does: a last row without one was cut short (a crash in mid-write).
    let endsWithLineBreak: Bool

    init(_ data: Data) {
        // Split on bytes: Swift takes "\r\n" for one Character, which a split on "\n" would not see.
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring(String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self)) }
        endsWithLineBreak = data.last == UInt8(ascii: "\n")
        if endsWithLineBreak || data.isEmpty { lines.removeLast() }
        self.lines = lines
    }

    /// Throws, naming `path`'s first line, unless `header` has every one of `required`.
    static func checkHeader(_ header: [String], has required: [String], path: String) throws {
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw BenchError.runFailed(
                "\(path):1: the header lacks \(missing.joined(separator: ", "))",
                fix: "expected a header with the columns \(required.joined(separator: ","))")
        }
    }

    /// Throws, naming the line, unless a row has the header's field count.
    static func checkFieldCount(_ fields: [String], header: [String], place: String) throws {
        guard fields.count == header.count else {
            throw BenchError.runFailed("\(place): \(fields.count) fields, but the header has \(header.count)", fix: damagedFix)
        }
    }

    /// The advice on a damaged line (plot.sh said the same when it still read the CSV).
    static let damagedFix = "the line is damaged; rerun bench or fix it"
}
