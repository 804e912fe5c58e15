import Foundation

/// Distribution-free confidence intervals from order statistics.
///
/// Of n samples of any continuous distribution, the number below its true
/// median is Binomial(n, ½). So the interval from the k-th smallest to the
/// k-th largest sample, [x(k), x(n+1−k)], misses the median with probability
/// exactly 2·P(B ≤ k−1): the binomial (order-statistic) interval. No
/// assumption about the shape of the data (timings are skewed, with a long
/// tail), no resampling, and the same samples always give the same interval.
/// Only certain levels are reachable, so each interval carries its coverage
/// (at least the nominal level); ties only raise it. Five samples cannot
/// reach 95% at all: [min, max] of 5 covers 93.75%; 6 is the minimum.
public enum OrderStatistics {
    public static let nominalLevel = 0.95

    /// The fewest samples with a `nominalLevel` interval of the median: 6.
    public static let minimumCount = minimumCount(forMiss: 1 - nominalLevel)

    /// The fewest samples whose [min, max] misses with at most `miss`: the
    /// smallest n with 2^(1−n) ≤ miss. Also the fewest rounds for which a
    /// unanimous sign test reaches p ≤ `miss`.
    public static func minimumCount(forMiss miss: Double) -> Int {
        var count = 1
        while smallestMiss(count: count) > miss { count += 1 }
        return count
    }

    /// P(B ≤ j) for B ~ Binomial(n, ½).
    static func binomialCDF(_ j: Int, trials n: Int) -> Double {
        guard j >= 0 else { return 0 }
        guard j < n else { return 1 }
        var terms = BinomialTerms(trials: n)
        var sum = 0.0
        for _ in 0...j { sum += terms.next() }
        return min(1, sum)
    }

    /// P(B = 0), P(B = 1), ... for B ~ Binomial(n, ½): exact powers of two and
    /// products up to 1,000 trials, logarithms beyond (where 2^−n underflows).
    struct BinomialTerms {
        private let trials: Int
        private var index = 0
        private var term: Double
        private var logTerm: Double

        init(trials: Int) {
            self.trials = trials
            logTerm = -Double(trials) * M_LN2
            term = trials <= 1_000 ? pow(0.5, Double(trials)) : exp(logTerm)
        }

        mutating func next() -> Double {
            let current = term
            let ratio = Double(trials - index) / Double(index + 1)
            if trials <= 1_000 {
                term *= ratio
            } else {
                logTerm += log(ratio)
                term = exp(logTerm)
            }
            index += 1
            return current
        }
    }

    /// The miss of [min, max] of `count` samples: 2^(1−n).
    static func smallestMiss(count: Int) -> Double {
        count < 1 ? 1 : min(1, 2 * pow(0.5, Double(count)))
    }

    /// The innermost symmetric rank k whose interval [x(k), x(n+1−k)] misses
    /// with at most `allowedMiss`, and that miss; nil when even [min, max] misses more.
    static func rank(count n: Int, allowedMiss: Double) -> (rank: Int, miss: Double)? {
        guard n >= 1, smallestMiss(count: n) <= allowedMiss else { return nil }
        var terms = BinomialTerms(trials: n)
        var cumulative = terms.next() // P(B ≤ 0)
        var best = (rank: 1, miss: min(1, 2 * cumulative))
        var k = 2
        while k <= (n + 1) / 2 {
            cumulative += terms.next() // P(B ≤ k − 1)
            let miss = min(1, 2 * cumulative)
            guard miss <= allowedMiss else { break }
            best = (k, miss)
            k += 1
        }
        return best
    }

    /// The interval of the median of `values` at `level` (or above), nil below
    /// the samples that level needs (6 at 95%).
    public static func medianInterval(_ values: [Double], level: Double = nominalLevel) -> ConfidenceInterval? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let (k, miss) = rank(count: sorted.count, allowedMiss: 1 - level) else { return nil }
        return ConfidenceInterval(sorted[k - 1]...sorted[sorted.count - k], coverage: 1 - miss)
    }

    /// The interval of median(numerator) / median(denominator) for two
    /// independent sets of samples (two cells, two runs): each median's own
    /// order-statistic interval at a level such that their misses add up to
    /// at most 1 − `level` (Bonferroni: the two intervals hold together with at
    /// least that probability, whatever the dependence between them), and the
    /// ratio's interval is [low / high, high / low].
    ///
    /// Why not pair by round, as the head-to-head does? The ratio of two
    /// medians is what `speedup` reports (DESIGN), and an interval for the
    /// median of per-round ratios is an interval for a different quantity: it
    /// need not even contain the reported speedup. Pairing also needs the same
    /// rounds on both sides, which `--runs auto` (cells stop at different
    /// counts) and two separate runs (`compare`) do not give. The price is a
    /// wider interval, and 7 samples on one side when the other has 6.
    public static func ratioOfMedians(
        numerator: [Double], denominator: [Double], level: Double = nominalLevel
    ) -> ConfidenceInterval? {
        guard let (top, bottom) = twoMedians(numerator, denominator, level: level), bottom.lowerBound > 0, top.lowerBound >= 0 else {
            return nil
        }
        return ConfidenceInterval(
            (top.lowerBound / bottom.upperBound)...(top.upperBound / bottom.lowerBound),
            coverage: 1 - (1 - top.coverage) - (1 - bottom.coverage))
    }

    /// The interval of median(minuend) − median(subtrahend), two independent
    /// sets of samples, as `ratioOfMedians`.
    public static func differenceOfMedians(
        _ minuend: [Double], _ subtrahend: [Double], level: Double = nominalLevel
    ) -> ConfidenceInterval? {
        guard let (first, second) = twoMedians(minuend, subtrahend, level: level) else { return nil }
        return ConfidenceInterval(
            (first.lowerBound - second.upperBound)...(first.upperBound - second.lowerBound),
            coverage: 1 - (1 - first.coverage) - (1 - second.coverage))
    }

    /// The two medians' intervals whose misses add up to at most 1 − `level`.
    private static func twoMedians(
        _ first: [Double], _ second: [Double], level: Double
    ) -> (ConfidenceInterval, ConfidenceInterval)? {
        let (a, b) = (first.filter(\.isFinite), second.filter(\.isFinite))
        guard let (shareA, shareB) = shares(a.count, b.count) else { return nil }
        let miss = 1 - level
        guard let low = medianInterval(a, level: 1 - shareA * miss), let high = medianInterval(b, level: 1 - shareB * miss) else {
            return nil
        }
        return (low, high)
    }

    /// How the miss is split between two medians: half each, unless one side
    /// cannot reach half with its [min, max] (6 samples: 1/32 > 1/40); that
    /// side then takes what its [min, max] needs and the other the rest.
    /// Decided from the counts alone at the nominal level, and kept at every
    /// level, so that intervals only shrink as the level falls (which the
    /// p-values of `pValue(excluding:intervals:)` rely on).
    static func shares(_ first: Int, _ second: Int) -> (Double, Double)? {
        let miss = 1 - nominalLevel
        let (a, b) = (smallestMiss(count: first), smallestMiss(count: second))
        guard a + b <= miss else { return nil }
        if a <= miss / 2 && b <= miss / 2 { return (0.5, 0.5) }
        return a > miss / 2 ? (a / miss, 1 - a / miss) : (1 - b / miss, b / miss)
    }

    /// The samples needed beside `count` for an interval of two medians: the
    /// smallest other count that `shares` accepts.
    static func partnerCount(for count: Int) -> Int {
        var other = minimumCount
        while shares(count, other) == nil && other < 64 { other += 1 }
        return other
    }

    /// The p-value that goes with a family of nested intervals: the smallest
    /// miss α at which the interval at level 1 − α excludes `line`, found by
    /// bisection (the intervals shrink as α grows). 1 when none excludes it.
    public static func pValue(excluding line: Double, intervals: (Double) -> ConfidenceInterval?) -> Double {
        func excludes(_ miss: Double) -> Bool {
            guard let interval = intervals(1 - miss) else { return false }
            return !interval.bounds.contains(line)
        }
        var (low, high) = (0.0, 0.999_999)
        guard excludes(high) else { return 1 }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if excludes(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
