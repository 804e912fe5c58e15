/// Descriptive statistics of one cell's samples. Their intervals come from
/// order statistics (`OrderStatistics`).
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
}
