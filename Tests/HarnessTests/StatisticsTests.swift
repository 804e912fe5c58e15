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
        #expect(Statistics.medianInterval([0.5]) == nil)
        #expect(Statistics([]) == nil)
    }

    @Test func countsTukeyOutliers() throws {
        let statistics = try #require(Statistics([10, 10.1, 9.9, 10.05, 9.95, 30]))
        #expect(statistics.outliers == 1)
    }

    @Test func bootstrapIsDeterministicAndBracketsTheMedian() throws {
        let values = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.3, 1.0]
        let first = try #require(Statistics.medianInterval(values))
        let second = try #require(Statistics.medianInterval(values))
        #expect(first == second)
        let median = Statistics.median(values)!
        #expect(first.lowerBound <= median && median <= first.upperBound)
        #expect(first.lowerBound >= 0.9 && first.upperBound <= 1.3)
    }

    @Test func speedupIntervalBracketsTheRatioOfMedians() throws {
        let serial = [2.0, 2.1, 1.9, 2.05]
        let parallel = [1.0, 1.05, 0.95, 1.02]
        let interval = try #require(Statistics.ratioInterval(baseline: serial, values: parallel))
        let ratio = Statistics.median(serial)! / Statistics.median(parallel)!
        #expect(interval.lowerBound <= ratio && ratio <= interval.upperBound)
        #expect(interval.lowerBound > 1.7 && interval.upperBound < 2.3)
    }
}
