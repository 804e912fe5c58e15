import Foundation

/// A measured quantity with its confidence interval: a median, the ratio or
/// difference of two medians, the median of paired ratios, or a value known
/// exactly (a behaviour seen in every sample).
///
/// It keeps what it was computed from, as a way to recompute its interval at
/// any level: the p-value a family's correction (Holm) needs is the smallest
/// miss at which that interval excludes the line (`pValue(against:)`).
public struct Estimate: Sendable, CustomStringConvertible {
    public let value: Double
    /// Nil below the samples a 95% interval needs (`shortfall` says so).
    public let interval: ClosedRange<Double>?
    /// The interval's own coverage (at least 95%); nil for an exact value.
    public let coverage: Double?
    /// Why there is no interval: `too few samples for a 95% interval (n = 3; 6 needed)`.
    public let shortfall: String?
    /// The same in a table's few words: `n=3, no interval`.
    let briefShortfall: String?
    /// The interval at another level; nil for an exact value.
    private let intervalAtLevel: (@Sendable (Double) -> ConfidenceInterval?)?

    /// A value known exactly, or with an interval of its own making (a range of behaviours).
    public init(value: Double, interval: ClosedRange<Double>?) {
        self.value = value
        self.interval = interval
        coverage = nil
        shortfall = nil
        briefShortfall = nil
        intervalAtLevel = nil
    }

    private init(value: Double, count: Int, intervals: @escaping @Sendable (Double) -> ConfidenceInterval?) {
        self.init(
            value: value, shortfall: ConfidenceInterval.shortfall(count: count), brief: ConfidenceInterval.tableShortfall(count: count),
            intervals: intervals)
    }

    private init(value: Double, shortfall: String, brief: String, intervals: @escaping @Sendable (Double) -> ConfidenceInterval?) {
        self.value = value
        let nominal = intervals(OrderStatistics.nominalLevel)
        interval = nominal?.bounds
        coverage = nominal?.coverage
        self.shortfall = nominal == nil ? shortfall : nil
        briefShortfall = nominal == nil ? brief : nil
        intervalAtLevel = intervals
    }

    /// The median of `values`, with its order-statistic interval.
    public init?(median values: [Double]) {
        guard let median = Statistics.median(values) else { return nil }
        self.init(value: median, count: values.count) { OrderStatistics.medianInterval(values, level: $0) }
    }

    /// median(numerator) / median(denominator) of two independent sets of
    /// samples, with the interval of `OrderStatistics.ratioOfMedians`.
    public init?(numerator: [Double], denominator: [Double]) {
        guard let top = Statistics.median(numerator), let bottom = Statistics.median(denominator), bottom > 0 else { return nil }
        self.init(
            value: top / bottom, shortfall: Self.twoSidedShortfall(numerator.count, denominator.count),
            brief: "n=\(numerator.count) and \(denominator.count), no interval"
        ) {
            OrderStatistics.ratioOfMedians(numerator: numerator, denominator: denominator, level: $0)
        }
    }

    /// median(minuend) − median(subtrahend), two independent sets of samples.
    public init?(difference minuend: [Double], minus subtrahend: [Double]) {
        guard let first = Statistics.median(minuend), let second = Statistics.median(subtrahend) else { return nil }
        self.init(
            value: first - second, shortfall: Self.twoSidedShortfall(minuend.count, subtrahend.count),
            brief: "n=\(minuend.count) and \(subtrahend.count), no interval"
        ) {
            OrderStatistics.differenceOfMedians(minuend, subtrahend, level: $0)
        }
    }

    /// What two sets of samples lack: `too few samples for a 95% interval (n = 6 and 6; 7 needed on one side)`.
    private static func twoSidedShortfall(_ first: Int, _ second: Int) -> String {
        let smaller = min(first, second)
        if smaller < OrderStatistics.minimumCount {
            return ConfidenceInterval.shortfall(count: smaller)
        }
        return "too few samples for a \(Int(OrderStatistics.nominalLevel * 100))% interval (n = \(first) and \(second); \(OrderStatistics.partnerCount(for: smaller)) needed on one side)"
    }

    /// The two-sided p-value of "the true value is `line`": the smallest miss
    /// at which the interval excludes it. An exact value: 0 when its interval
    /// excludes the line, else 1; no interval at all: 1.
    public func pValue(against line: Double) -> Double {
        guard let intervalAtLevel else {
            guard let interval else { return 1 }
            return interval.contains(line) ? 1 : 0
        }
        return OrderStatistics.pValue(excluding: line, intervals: intervalAtLevel)
    }

    /// `1.42 [1.35, 1.51] (96.9%)`, or `2.05 (n=2, no interval)`.
    public var description: String {
        description(places: 2)
    }

    /// With `places` decimals, and `unit` after the value (`1.42× [1.35, 1.51]`).
    public func description(places: Int, unit: String = "") -> String {
        let format = "%.\(places)f"
        let value = String(format: format, self.value) + unit
        guard let interval else {
            return value + (briefShortfall.map { " (\($0))" } ?? " [1 sample]")
        }
        return value + " [" + String(format: format, interval.lowerBound) + ", " + String(format: format, interval.upperBound) + "]"
            + (coverage.map(ConfidenceInterval.coverageNote) ?? "")
    }
}
