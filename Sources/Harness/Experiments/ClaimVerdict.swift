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
}

/// A measured quantity with its bootstrap 95% interval: a median, or the
/// ratio of two medians.
public struct Estimate: Sendable, CustomStringConvertible {
    public let value: Double
    public let interval: ClosedRange<Double>?

    public init(value: Double, interval: ClosedRange<Double>?) {
        self.value = value
        self.interval = interval
    }

    /// median(numerator) / median(denominator), resampling both.
    public init?(numerator: [Double], denominator: [Double]) {
        guard let top = Statistics.median(numerator), let bottom = Statistics.median(denominator), bottom > 0 else { return nil }
        value = top / bottom
        interval = Statistics.ratioInterval(baseline: numerator, values: denominator)
    }

    /// The median of `values`.
    public init?(median values: [Double]) {
        guard let median = Statistics.median(values) else { return nil }
        value = median
        interval = Statistics.medianInterval(values)
    }

    /// `1.42 [1.35, 1.51]`.
    public var description: String {
        description(places: 2)
    }

    /// With `places` decimals.
    public func description(places: Int) -> String {
        let format = "%.\(places)f"
        return String(format: format, value)
            + (interval.map { " [" + String(format: format, $0.lowerBound) + ", " + String(format: format, $0.upperBound) + "]" } ?? " [1 sample]")
    }
}
