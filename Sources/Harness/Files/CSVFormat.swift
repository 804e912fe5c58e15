import Foundation

/// RFC 4180 fields: `.` decimal point, no thousands separators, no exponents,
/// and an empty field for a value that does not apply.
public enum CSVFormat {
    /// One line (without the line break) from already formatted fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// Quotes a field when it holds a comma, quote or line break, doubling inner quotes.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits one line into fields, undoing `escape`. Used by `compare` and the tests.
    public static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    // RFC 4180: "" inside quotes is one quote; a single one ends the quoted part.
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// A value with a fixed number of decimals, or empty for nil / non-finite.
    public static func decimal(_ value: Double?, places: Int) -> String {
        guard let value, value.isFinite else { return "" }
        let text = String(format: "%.\(places)f", value)
        // "-0.000" would read as a sign where there is none.
        return text.allSatisfy({ $0 == "-" || $0 == "0" || $0 == "." }) ? String(format: "%.\(places)f", 0.0) : text
    }

    /// About seven significant digits, never an exponent: for values of any size.
    public static func significant(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        let magnitude = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down))
        return decimal(value, places: min(12, max(1, 6 - magnitude)))
    }

    /// Seconds with nanosecond resolution.
    public static func seconds(_ value: Double?) -> String {
        decimal(value, places: 9)
    }

    public static func integer(_ value: Int?) -> String {
        value.map(String.init) ?? ""
    }
}
