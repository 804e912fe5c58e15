import Foundation

/// Whether a measurement supports a claim, read from its 95% interval: a
/// claim holds only when the whole interval is on its side of the line,
/// does not hold when the whole interval is on the other side, and is
/// inconclusive when the interval covers the line (never "slower" from
/// overlapping intervals).
public enum ClaimVerdict: String, Sendable {
    case holds
    case doesNotHold = "does not hold"
    case inconclusive

    /// For a claim that the value is above `line` (or below it, with `above` false).
    public static func judge(_ interval: ClosedRange<Double>?, above line: Double, _ above: Bool = true) -> ClaimVerdict {
        guard let interval else { return .inconclusive }
        if interval.lowerBound > line { return above ? .holds : .doesNotHold }
        if interval.upperBound < line { return above ? .doesNotHold : .holds }
        return .inconclusive
    }

    /// The spelling in experiment.csv, one word (no spaces in a CSV field plot.sh reads).
    public var csvValue: String { rawValue.replacingOccurrences(of: " ", with: "-") }

    /// The verdict of its `csvValue`.
    public init?(csvValue: String) {
        self.init(rawValue: csvValue.replacingOccurrences(of: "-", with: " "))
    }
}
