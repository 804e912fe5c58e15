import Platform

/// The parameter values of one workload in one cell: every parameter it
/// declares, and no other workload's. Two cells differ in identity exactly
/// when these (or the model, shape or task count) differ.
public struct ParameterValues: Sendable, Hashable, CustomStringConvertible {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// A numeric parameter the workload declared (0 if it did not: a bug caught by the tests).
    public func number(_ name: String) -> Int {
        values[name]?.number ?? 0
    }

    public func isOn(_ name: String) -> Bool {
        values[name]?.isOn ?? false
    }

    public func text(_ name: String) -> String {
        values[name]?.text ?? ""
    }

    /// The names, sorted: the order of the `params` column.
    public var names: [String] { values.keys.sorted() }

    /// `name=value` pairs joined by `;`, sorted by name: the CSV `params`
    /// column, and the form the pool sends to its workers. Every byte of a
    /// value other than letters, digits and `. _ + - : /` is percent-escaped
    /// (a command's spaces and quotes, say), so the field never needs CSV
    /// quoting, always splits back unambiguously, and holds only what
    /// plot.sh accepts as text.
    public var description: String {
        names.map { "\($0)=\(Self.escape(values[$0]!.description))" }.joined(separator: ";")
    }

    /// The pairs of `description`, unescaped, as text (the declarations give them their kinds).
    public static func pairs(_ text: String) throws(BenchError) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        var pairs: [(String, String)] = []
        for pair in text.split(separator: ";", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let value = unescape(String(parts[1])) else {
                throw BenchError.runFailed("malformed parameters '\(text)'", fix: "expected name=value pairs joined by ';'")
            }
            pairs.append((String(parts[0]), value))
        }
        return pairs
    }

    /// Bytes that stand for themselves in the escaped form.
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            ".-_+:/".utf8.contains(byte)
        }
    }

    static func escape(_ text: String) -> String {
        guard !text.utf8.allSatisfy(isPlain) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if isPlain(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `%XX` escapes back to their bytes (the broker URL's password uses it too); nil for a broken escape.
    public static func unescape(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
