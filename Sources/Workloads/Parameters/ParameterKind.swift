/// What sort of value a parameter takes, which decides how its flag is
/// parsed, validated and shown.
public enum ParameterKind: Sendable, Equatable {
    /// A whole number of things (iterations, items).
    case count
    case milliseconds
    case bytes
    /// On or off; the flag takes no value (given means on).
    case flag
    /// One of a fixed list of names.
    case choice([String])
    /// Free text, checked by the workload (a URL).
    case text

    /// The placeholder of the flag's value in help text.
    public var placeholder: String? {
        switch self {
        case .count: "N"
        case .milliseconds: "MS"
        case .bytes: "BYTES"
        case .flag: nil
        case .choice: "NAME"
        case .text: "TEXT"
        }
    }

}
