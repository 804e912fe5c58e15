/// One value of a workload parameter: a number (counts, milliseconds,
/// bytes), an on/off flag, or text (a choice, a URL).
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case number(Int)
    case flag(Bool)
    case text(String)

    /// The canonical spelling, as the CSV `params` column, meta.json and the
    /// worker wire format write it: `1024`, `true`, `pipe`.
    public var description: String {
        switch self {
        case let .number(value): String(value)
        case let .flag(value): value ? "true" : "false"
        case let .text(value): value
        }
    }

    public var number: Int? {
        if case let .number(value) = self { return value }
        return nil
    }

    public var isOn: Bool? {
        if case let .flag(value) = self { return value }
        return nil
    }

    public var text: String? {
        if case let .text(value) = self { return value }
        return nil
    }
}
