import Foundation

/// Whether a measured ratio supports a claim, read from its 95% interval:
/// a claim holds only when the whole interval is on its side of the line,
/// does not hold when the whole interval is on the other side, and is
/// inconclusive when the interval covers the line (never "slower" from
/// overlapping intervals).
public enum ClaimVerdict: String, Sendable {
    case holds
    case doesNotHold = "does not hold"
    case inconclusive

    /// For a claim that the ratio is above `line` (or below it, with `above` false).
    public static func judge(_ interval: ClosedRange<Double>?, above line: Double, _ above: Bool = true) -> ClaimVerdict {
        guard let interval else { return .inconclusive }
        if interval.lowerBound > line { return above ? .holds : .doesNotHold }
        if interval.upperBound < line { return above ? .doesNotHold : .holds }
        return .inconclusive
    }
}

/// The ratio of two cells' median walls with its bootstrap 95% interval:
/// median(numerator) / median(denominator).
public struct MeasuredRatio: Sendable {
    public let value: Double
    public let interval: ClosedRange<Double>?

    public init?(numerator: [Double], denominator: [Double]) {
        guard let top = Statistics.median(numerator), let bottom = Statistics.median(denominator), bottom > 0 else { return nil }
        value = top / bottom
        interval = Statistics.ratioInterval(baseline: numerator, values: denominator)
    }

    /// `1.42 [1.35, 1.51]`.
    public var description: String {
        String(format: "%.2f", value) + (interval.map { String(format: " [%.2f, %.2f]", $0.lowerBound, $0.upperBound) } ?? " [1 sample]")
    }
}
