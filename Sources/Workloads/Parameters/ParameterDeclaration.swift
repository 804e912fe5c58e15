import Platform

/// One tunable of a workload, declared once, in the workload's own file.
///
/// Everything else derives from the declaration: the `--flag` and its help
/// line, `bench list`, validation and its errors, `--quick`, meta.json, the
/// worker wire format, the cell's identity and the CSV `params` column.
public struct ParameterDeclaration: Sendable {
    /// The flag without its dashes, and the key in `params` and meta.json: `sleep-ms`.
    public let name: String
    public let kind: ParameterKind
    public let defaultValue: ParameterValue
    /// The value under `--quick`, when it differs from the default.
    public let quickValue: ParameterValue?
    /// Valid numbers, for numeric kinds.
    public let range: ClosedRange<Int>?
    /// One line for `--help` and `bench list`, without the default (added from the declaration).
    public let help: String
    /// A value to show in error messages.
    public let example: String

    public var flag: String { "--" + name }

    /// Whether a comma-separated list on the command line scans it: one cell per value.
    public var isScannable: Bool {
        switch kind {
        case .count, .milliseconds, .bytes, .choice: true
        case .flag, .text: false
        }
    }

    /// The value a cell gets when the user gives none.
    public func value(quick: Bool) -> ParameterValue {
        quick ? quickValue ?? defaultValue : defaultValue
    }

    public static func count(_ name: String, default value: Int, quick: Int? = nil, range: ClosedRange<Int>, help: String) -> Self {
        Self(name: name, kind: .count, defaultValue: .number(value), quickValue: quick.map { .number($0) }, range: range, help: help, example: String(value))
    }

    public static func milliseconds(_ name: String, default value: Int, quick: Int? = nil, range: ClosedRange<Int>, help: String) -> Self {
        Self(name: name, kind: .milliseconds, defaultValue: .number(value), quickValue: quick.map { .number($0) }, range: range, help: help, example: String(value))
    }

    public static func bytes(_ name: String, default value: Int, quick: Int? = nil, range: ClosedRange<Int>, help: String) -> Self {
        Self(name: name, kind: .bytes, defaultValue: .number(value), quickValue: quick.map { .number($0) }, range: range, help: help, example: String(value))
    }

    /// Off unless given.
    public static func flag(_ name: String, help: String) -> Self {
        Self(name: name, kind: .flag, defaultValue: .flag(false), quickValue: nil, range: nil, help: help, example: "")
    }

    public static func choice(_ name: String, _ choices: [String], default value: String, help: String) -> Self {
        precondition(choices.contains(value), "the default of --\(name) must be one of its choices")
        return Self(name: name, kind: .choice(choices), defaultValue: .text(value), quickValue: nil, range: nil, help: help, example: value)
    }

    public static func text(_ name: String, default value: String = "", example: String, help: String) -> Self {
        Self(name: name, kind: .text, defaultValue: .text(value), quickValue: nil, range: nil, help: help, example: example)
    }

    /// One value from its command-line (or wire) spelling, validated.
    public func parse(_ text: String) throws(BenchError) -> ParameterValue {
        switch kind {
        case .count, .milliseconds, .bytes:
            guard let number = Self.parseInteger(text), range?.contains(number) ?? true else {
                throw BenchError.usage("\(flag) expects a whole number \(rangeDescription), got '\(text)'", fix: "e.g. \(flag) \(example)")
            }
            return .number(number)
        case .flag:
            switch text {
            case "true", "1", "yes", "on": return .flag(true)
            case "false", "0", "no", "off": return .flag(false)
            default: throw BenchError.usage("\(flag) is on or off, got '\(text)'", fix: "write just \(flag) to turn it on")
            }
        case let .choice(choices):
            guard choices.contains(text) else {
                throw BenchError.usage("\(flag) '\(text)' is not one of the choices", fix: "choose from \(choices.joined(separator: ", "))")
            }
            return .text(text)
        case .text:
            return .text(text)
        }
    }

    /// A comma-separated list of values (one for a parameter that does not scan), duplicates dropped.
    public func parseList(_ text: String) throws(BenchError) -> [ParameterValue] {
        guard isScannable else { return [try parse(text)] }
        var values: [ParameterValue] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let value = try parse(String(item))
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// e.g. `from 1 to 2147483647`.
    public var rangeDescription: String {
        guard let range else { return "" }
        return range.upperBound == Int.max ? "of at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
    }

    /// The help line with the default and quick value appended.
    public var helpWithDefaults: String {
        switch kind {
        case .flag:
            return help
        case .text where defaultValue == .text(""):
            return help
        default:
            var text = "\(help) (default \(defaultValue)"
            if let quickValue, quickValue != defaultValue { text += "; --quick \(quickValue)" }
            if case let .choice(choices) = kind { text += "; one of \(choices.joined(separator: ", "))" }
            return text + ")"
        }
    }

    /// Accepts `1000000` and `1_000_000`, nothing looser.
    public static func parseInteger(_ text: String) -> Int? {
        guard !text.isEmpty, !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { return nil }
        return Int(String(text.filter { $0 != "_" }))
    }
}
