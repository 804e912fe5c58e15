import Foundation

/// A confidence interval with the coverage it really has.
///
/// bench's intervals come from order statistics (`OrderStatistics`), which
/// reach only certain levels: for 6 samples the interval of the median is
/// [min, max] with 96.9% coverage, never exactly 95%. So every interval
/// carries its own coverage, which is at least the nominal level, and the
/// text shows it where it differs: `[1.35, 1.51] (96.9%)`.
public struct ConfidenceInterval: Sendable, Equatable {
    public let bounds: ClosedRange<Double>
    /// The probability that the interval covers the true value: exact for a
    /// median of continuous data, a guaranteed minimum otherwise (ties, two
    /// medians combined).
    public let coverage: Double

    public init(_ bounds: ClosedRange<Double>, coverage: Double) {
        self.bounds = bounds
        self.coverage = coverage
    }

    public var lowerBound: Double { bounds.lowerBound }
    public var upperBound: Double { bounds.upperBound }

    /// Half the width over `center`: 0.02 is ±2%.
    public func relativeHalfWidth(around center: Double) -> Double {
        center > 0 ? (upperBound - lowerBound) / 2 / center : .infinity
    }

    /// ` (96.9%)`, or empty when the coverage rounds to the nominal level.
    public var coverageNote: String {
        Self.coverageNote(coverage)
    }

    public static func coverageNote(_ coverage: Double) -> String {
        let percent = String(format: "%.1f", coverage * 100)
        return percent == String(format: "%.1f", OrderStatistics.nominalLevel * 100) ? "" : " (\(percent)%)"
    }

    /// What is printed instead of an interval that `count` samples cannot give:
    /// `too few samples for a 95% interval (n = 3; 6 needed)`.
    public static func shortfall(count: Int, needed: Int = OrderStatistics.minimumCount) -> String {
        "too few samples for a \(Int(OrderStatistics.nominalLevel * 100))% interval (n = \(count); \(needed) needed)"
    }

    /// The table entry of a sample count with no interval: `n=3, no interval`.
    public static func tableShortfall(count: Int) -> String {
        "n=\(count), no interval"
    }
}
