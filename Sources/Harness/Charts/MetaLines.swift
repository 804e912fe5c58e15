import Foundation
import Platform

/// meta.json read as the charts need it: the first `"KEY" : value` line of a
/// key (bench pretty-prints one key per line), its value as written, so that
/// a chart's corner shows `2` and `1.5` exactly as the file has them.
/// A value is a plain word or nothing: one with other characters than
/// letters, digits and . _ + - is a data error, never a label.
struct MetaLines {
    let path: String
    private let lines: [Substring]

    init(path: String) {
        self.path = path
        // Split on bytes: Swift takes "\r\n" for one Character (a CR is trimmed from the value).
        lines = (FileManager.default.contents(atPath: path) ?? Data()).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring(String(decoding: $0, as: UTF8.self)) }
    }

    /// The value of `key`, nil when absent, empty or null.
    func value(_ key: String) throws -> String? {
        for (index, raw) in lines.enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            guard line.hasPrefix("\"\(key)\"") else { continue }
            var rest = line.dropFirst(key.count + 2).drop { $0 == " " || $0 == "\t" }
            guard rest.first == ":" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            while let last = rest.last, last == " " || last == "\t" || last == "\r" { rest = rest.dropLast() }
            if rest.last == "," { rest = rest.dropLast() }
            while let last = rest.last, last == " " || last == "\t" { rest = rest.dropLast() }
            if rest.count >= 2 && rest.hasPrefix("\"") && rest.hasSuffix("\"") { rest = rest.dropFirst().dropLast() }
            let value = String(rest)
            if value.isEmpty || value == "null" { return nil }
            guard ChartTable.isName(value) else {
                throw BenchError.runFailed("\(path):\(index + 1): \(key) has a character other than letters, digits and . _ + -", fix: "meta.json is damaged; rerun bench")
            }
            return value
        }
        return nil
    }
}
