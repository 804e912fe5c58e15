import Foundation
import Testing
import Engine
@testable import Harness
import Platform
import TestSupport
import Workloads

@Suite("Statistics")
struct StatisticsTests {
    @Test func describesKnownSamples() throws {
        let statistics = try #require(Statistics([4, 1, 3, 2, 5]))
        #expect(statistics.count == 5)
        #expect(statistics.median == 3)
        #expect(statistics.minimum == 1)
        #expect(statistics.maximum == 5)
        #expect(statistics.mean == 3)
        #expect(abs(statistics.standardDeviation! - 1.5811388300841898) < 1e-12)
        #expect(statistics.outliers == 0)
    }

    @Test func medianOfAnEvenCountInterpolates() {
        #expect(Statistics.median([1, 2, 3, 10]) == 2.5)
        #expect(Statistics.median([]) == nil)
    }

    @Test func singleValueHasNoSpreadOrInterval() throws {
        let statistics = try #require(Statistics([0.5]))
        #expect(statistics.standardDeviation == nil)
        #expect(OrderStatistics.medianInterval([0.5]) == nil)
        #expect(Statistics([]) == nil)
    }

    @Test func countsTukeyOutliers() throws {
        let statistics = try #require(Statistics([10, 10.1, 9.9, 10.05, 9.95, 30]))
        #expect(statistics.outliers == 1)
    }
}

/// The order-statistic intervals, their tests and the family correction,
/// against values worked out by hand from the binomial distribution.
@Suite("Order statistics")
struct OrderStatisticsTests {
    /// [x(k), x(n+1-k)] misses the median with 2·P(B ≤ k−1), B ~ Binomial(n, ½):
    /// n = 5: [min, max] misses 2/32 = 6.25% (no 95% interval); n = 6: 2/64, 96.9%;
    /// n = 10: k = 2, 1 − 2·(1+10)/1024 = 97.85%; n = 20: k = 6, 1 − 2·21700/2^20 = 95.86%.
    @Test func theIntervalIsTheInnermostPairOfOrderStatisticsThatReaches95Percent() throws {
        #expect(OrderStatistics.minimumCount == 6)
        #expect(OrderStatistics.medianInterval([5, 1, 4, 2, 3]) == nil)
        let six = try #require(OrderStatistics.medianInterval([6, 1, 5, 2, 4, 3]))
        #expect(six.bounds == 1...6)
        #expect(six.coverage == 1 - 2.0 / 64)
        #expect(six.coverageNote == " (96.9%)")
        let ten = try #require(OrderStatistics.medianInterval((1...10).map(Double.init).reversed()))
        #expect(ten.bounds == 2...9)
        #expect(abs(ten.coverage - (1 - 2 * 11.0 / 1024)) < 1e-12)
        let twenty = try #require(OrderStatistics.medianInterval((1...20).map(Double.init)))
        #expect(twenty.bounds == 6...15)
        #expect(abs(twenty.coverage - (1 - 2 * 21700.0 / 1_048_576)) < 1e-12)
        // Exact for counts where 2^-n underflows a double.
        let large = try #require(OrderStatistics.medianInterval((1...4001).map(Double.init)))
        #expect(large.lowerBound < 2001 && large.upperBound > 2001 && large.coverage >= 0.95 && large.coverage < 0.96)
    }

    @Test func fewerThanSixSamplesSayWhatIsMissing() {
        #expect(ConfidenceInterval.shortfall(count: 3) == "too few samples for a 95% interval (n = 3; 6 needed)")
        let estimate = Estimate(median: [1, 2, 3])
        #expect(estimate?.interval == nil)
        #expect(estimate?.shortfall == "too few samples for a 95% interval (n = 3; 6 needed)")
        #expect(estimate?.description == "2.00 (n=3, no interval)")
    }

    /// The share of 10,000 intervals that cover the true median, for samples of
    /// a skewed distribution (a floor plus an exponential tail, as timings are):
    /// at least 95% for each count, near the coverage the binomial promises.
    @Test(arguments: [6, 10, 20])
    func intervalsCoverTheTrueMedianAtLeast95PercentOfTheTime(count: Int) throws {
        var generator = SeededGenerator(seed: 2024 + UInt64(count))
        let floor = 0.05, scale = 0.01
        let trueMedian = floor + scale * log(2.0)
        func draw() -> Double {
            floor - scale * log(1 - Double(generator.next() >> 11) / Double(1 << 53))
        }
        let trials = 10_000
        var covered = 0
        var promised = 0.0
        for _ in 0..<trials {
            let interval = try #require(OrderStatistics.medianInterval((0..<count).map { _ in draw() }))
            if interval.bounds.contains(trueMedian) { covered += 1 }
            promised = interval.coverage
        }
        let share = Double(covered) / Double(trials)
        print("coverage n = \(count): \(share) of \(trials) intervals (promised \(promised))")
        #expect(share >= 0.95, "n = \(count): \(share)")
        #expect(abs(share - promised) < 0.01, "n = \(count): \(share) against \(promised)")
    }

    /// Two medians' intervals whose misses add up to at most 5%: the ratio's
    /// interval covers the true ratio at least 95% of the time.
    @Test func theRatioOfTwoMediansCoversTheTrueRatio() throws {
        var generator = SeededGenerator(seed: 7)
        func draw(_ median: Double) -> Double {
            median * (1 - 0.2 * log(1 - Double(generator.next() >> 11) / Double(1 << 53))) / (1 + 0.2 * log(2.0))
        }
        var covered = 0
        for _ in 0..<10_000 {
            let interval = try #require(OrderStatistics.ratioOfMedians(
                numerator: (0..<7).map { _ in draw(2) }, denominator: (0..<7).map { _ in draw(1) }))
            if interval.bounds.contains(2) { covered += 1 }
        }
        #expect(Double(covered) / 10_000 >= 0.95)
    }

    /// Half the miss each when both sides can reach it; 6 samples cannot (1/32 > 1/40),
    /// so with 7 on the other side the misses are 1/32 + 1/64; 6 and 6 give none.
    @Test func theRatioSplitsItsMissBetweenTheTwoMedians() throws {
        let seven = try #require(OrderStatistics.ratioOfMedians(numerator: [2, 2.1, 1.9, 2.05, 1.95, 2.2, 1.8], denominator: [1, 1.05, 0.95, 1.02, 0.98, 1.1, 0.9]))
        #expect(abs(seven.lowerBound - 1.8 / 1.1) < 1e-12 && abs(seven.upperBound - 2.2 / 0.9) < 1e-12)
        #expect(seven.coverage == 1 - 2.0 / 128 - 2.0 / 128)
        let mixed = try #require(OrderStatistics.ratioOfMedians(numerator: [2, 2.1, 1.9, 2.05, 1.95, 2.2], denominator: [1, 1.05, 0.95, 1.02, 0.98, 1.1, 0.9]))
        #expect(mixed.coverage == 1 - 2.0 / 64 - 2.0 / 128)
        #expect(OrderStatistics.ratioOfMedians(numerator: [1, 2, 3, 4, 5, 6], denominator: [1, 2, 3, 4, 5, 6]) == nil)
        let estimate = try #require(Estimate(numerator: [1, 2, 3, 4, 5, 6], denominator: [1, 2, 3, 4, 5, 6]))
        #expect(estimate.shortfall == "too few samples for a 95% interval (n = 6 and 6; 7 needed on one side)")
    }

    @Test func theSignTestIsExact() {
        #expect(SignTest.pValue(wins: 6, trials: 6) == 2.0 / 64)
        #expect(SignTest.pValue(wins: 0, trials: 6) == 2.0 / 64)
        #expect(abs(SignTest.pValue(wins: 5, trials: 6) - 2 * 7.0 / 64) < 1e-15)
        #expect(SignTest.pValue(wins: 3, trials: 6) == 1)
        #expect(SignTest.pValue(wins: 2, trials: 2) == 0.5)
        #expect(SignTest.pValue(wins: 0, trials: 0) == 1)
    }

    /// p-values by inverting the intervals agree with the sign test for a median.
    @Test func aPValueIsTheMissAtWhichTheIntervalLeavesTheLine() throws {
        let estimate = try #require(Estimate(median: (1...10).map(Double.init)))
        #expect(abs(estimate.pValue(against: 0.5) - SignTest.pValue(wins: 10, trials: 10)) < 1e-9)
        #expect(abs(estimate.pValue(against: 1.5) - SignTest.pValue(wins: 9, trials: 10)) < 1e-9)
        #expect(estimate.pValue(against: 5.5) == 1)
        #expect(Estimate(value: 1, interval: 1...1).pValue(against: 0.5) == 0)
    }

    /// Holm: sorted p × (m − rank), never below an earlier adjusted value.
    @Test func holmAdjustsInStepsAndKeepsTheOrder() {
        let adjusted = HolmCorrection.adjust([0.01, 0.04, 0.03])
        #expect(zip(adjusted, [0.03, 0.06, 0.06]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(HolmCorrection.adjust([nil, 0.01]) == [1, 0.02])
        #expect(HolmCorrection.adjust([]).isEmpty)
    }
}
