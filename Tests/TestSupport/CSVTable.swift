import Foundation
import Harness

/// A CSV file read back by column name, as every reader of bench's files must.
public struct CSVTable {
    public let header: [String]
    public let rows: [[String: String]]

    public init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let header = lines.first.map { CSVFormat.fields(of: $0) } ?? []
        self.header = header
        rows = lines.dropFirst().map { line in
            Dictionary(zip(header, CSVFormat.fields(of: line)), uniquingKeysWith: { first, _ in first })
        }
    }

    public init(url: URL) throws {
        try self.init(path: url.path)
    }

    /// The values of one column, in row order.
    public func column(_ name: String) -> [String] {
        rows.map { $0[name] ?? "" }
    }

    /// The rows that hold every one of `values` (column name to value), in row order.
    public func rows(matching values: [String: String]) -> [[String: String]] {
        rows.filter { row in values.allSatisfy { row[$0.key] == $0.value } }
    }
}
