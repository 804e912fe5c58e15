import Platform

/// Descriptive statistics of one cell's samples, and bootstrap intervals.
///
/// Bootstrap resampling uses a fixed seed so that the same samples always
/// give the same interval: a rerun of `summary` never moves the numbers.
public struct Statistics: Sendable, Equatable {
    public let count: Int
    public let median: Double
    public let minimum: Double
    public let maximum: Double
    public let mean: Double
    /// Sample standard deviation (n - 1); nil for a single value.
    public let standardDeviation: Double?
    /// Values outside Tukey's fences (1.5 x IQR beyond the quartiles).
    public let outliers: Int

    static let bootstrapResamples = 2_000
    static let bootstrapSeed: UInt64 = 0x5EED_B007

    /// Nil for an empty list.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        median = Statistics.quantile(sorted, 0.5)
        minimum = sorted.first!
        maximum = sorted.last!
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        self.mean = mean
        if sorted.count > 1 {
            let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = (squares / Double(sorted.count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
        let lowerQuartile = Statistics.quantile(sorted, 0.25)
        let upperQuartile = Statistics.quantile(sorted, 0.75)
        let fence = 1.5 * (upperQuartile - lowerQuartile)
        outliers = sorted.filter { $0 < lowerQuartile - fence || $0 > upperQuartile + fence }.count
    }

    /// Linear interpolation between closest ranks (Hyndman & Fan type 7, as R and NumPy default).
    public static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        precondition(!sorted.isEmpty)
        let position = probability * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    public static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : quantile(values.sorted(), 0.5)
    }

    /// 95% percentile-bootstrap interval of the median; nil with fewer than 2 values.
    public static func medianInterval(_ values: [Double]) -> ClosedRange<Double>? {
        guard values.count >= 2 else { return nil }
        var generator = SeededGenerator(seed: bootstrapSeed)
        let medians = (0..<bootstrapResamples).map { _ in
            resampledMedian(values, using: &generator)
        }
        return percentileInterval(medians)
    }

    /// 95% percentile-bootstrap interval of median(baseline) / median(values),
    /// resampling both independently; nil when either has fewer than 2 values.
    public static func ratioInterval(baseline: [Double], values: [Double]) -> ClosedRange<Double>? {
        guard baseline.count >= 2, values.count >= 2 else { return nil }
        var generator = SeededGenerator(seed: bootstrapSeed)
        var ratios: [Double] = []
        ratios.reserveCapacity(bootstrapResamples)
        for _ in 0..<bootstrapResamples {
            let numerator = resampledMedian(baseline, using: &generator)
            let denominator = resampledMedian(values, using: &generator)
            if denominator > 0 { ratios.append(numerator / denominator) }
        }
        return ratios.isEmpty ? nil : percentileInterval(ratios)
    }

    private static func resampledMedian(_ values: [Double], using generator: inout SeededGenerator) -> Double {
        var resample = (0..<values.count).map { _ in values[Int(generator.next() % UInt64(values.count))] }
        resample.sort()
        return quantile(resample, 0.5)
    }

    private static func percentileInterval(_ estimates: [Double]) -> ClosedRange<Double> {
        let sorted = estimates.sorted()
        return quantile(sorted, 0.025)...quantile(sorted, 0.975)
    }
}
