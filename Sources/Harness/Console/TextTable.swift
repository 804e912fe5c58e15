/// Columns padded to their widest cell: the one layout of every table bench
/// prints. Text columns align left, figures right.
public struct TextTable {
    public let header: [String]
    public let rows: [[String]]
    /// Columns aligned left (by default only the first, which names the row).
    public var leftAligned: Set<Int> = [0]
    public var indent = "  "

    public init(header: [String], rows: [[String]], leftAligned: Set<Int> = [0], indent: String = "  ") {
        self.header = header
        self.rows = rows
        self.leftAligned = leftAligned
        self.indent = indent
    }

    public func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { fields in
            let line = fields.enumerated().map { column, field in
                let pad = String(repeating: " ", count: widths[column] - field.count)
                return leftAligned.contains(column) ? field + pad : pad + field
            }.joined(separator: "  ")
            return indent + String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
