import Foundation
import Testing
import Engine
@testable import Experiments
@testable import Harness
import Platform
import TestSupport
import Workloads

/// Verdicts and scaling fits from synthetic samples whose answer is known.
@Suite("Verdicts and scaling fits")
struct AnswersTests {
    static func cell(_ model: String, _ workers: Int, index: Int) -> Cell {
        let shape: Shape = model == "serial" ? .serial : .threads(workers)
        return Cell(
            index: index, workload: "xor", kind: .cpu, work: WorkSize(amount: 1, unit: "iterations"),
            parameters: ParameterValues(["iterations": .number(1)]), model: model, shape: shape, tasks: 64)
    }

    static func samples(_ cell: Cell, walls: [Double]) -> [Sample] {
        walls.enumerated().map { round, wall in
            Sample(
                cell: cell, order: round, repetition: round + 1, wallSeconds: wall, setupSeconds: 0, usage: .zero,
                maxRSSKilobytes: 1, checksum: Checksum(), ok: true)
        }
    }

    /// Six rounds all won: the paired ratios' interval is [min, max] (96.9%) and the sign test's p is 2/64.
    @Test func aClearWinnerIsNamedWithTheRoundsItWonAndOverlapIsNoWinner() throws {
        let thread = Self.cell("thread", 4, index: 1)
        let async = Self.cell("async", 4, index: 2)
        let jitter = [1.0, 1.02, 0.98, 1.01, 0.99, 1.0]
        var samples = Self.samples(thread, walls: jitter.map { 1.0 * $0 })
        samples += Self.samples(async, walls: jitter.map { 1.4 * $0 })
        let clear = try #require(HeadToHead.verdicts(samples).first)
        #expect(clear.fastest == thread && clear.runnerUp == async)
        #expect(clear.isClear && clear.roundsWon == 6 && clear.rounds == 6)
        #expect(clear.pValue == 2.0 / 64)
        #expect(clear.sentence == "thread beat async in 6 of 6 rounds (p = 0.031), 1.40× [1.40, 1.40] (96.9%)", "\(clear.sentence)")

        let close = Self.samples(thread, walls: [1.0, 1.1, 0.9, 1.05, 0.95, 1.0]) + Self.samples(async, walls: [1.02, 0.95, 1.0, 1.1, 0.9, 1.03])
        let verdict = try #require(HeadToHead.verdicts(close).first)
        #expect(verdict.outcome == .noClearWinner)
        #expect(verdict.sentence.hasPrefix("no clear winner:"), "\(verdict.sentence)")
    }

    /// Five rounds cannot reach 95% (2/32 > 5%): no interval, no verdict, and it says so.
    @Test func fewerThanSixRoundsGiveNoVerdict() throws {
        let thread = Self.cell("thread", 4, index: 1)
        let async = Self.cell("async", 4, index: 2)
        let samples = Self.samples(thread, walls: [1, 1, 1, 1, 1]) + Self.samples(async, walls: [2, 2, 2, 2, 2])
        let verdict = try #require(HeadToHead.verdicts(samples).first)
        #expect(verdict.outcome == .tooFewSamples && !verdict.isClear)
        #expect(verdict.sentence.contains("too few samples for a 95% interval (n = 5; 6 needed), no verdict"), "\(verdict.sentence)")
    }

    /// A win whose whole interval lies within the margin of 1 is "equivalent", not "beat".
    @Test func aWinInsideTheMarginIsEquivalence() throws {
        let thread = Self.cell("thread", 4, index: 1)
        let async = Self.cell("async", 4, index: 2)
        let samples = Self.samples(thread, walls: [1, 1, 1, 1, 1, 1]) + Self.samples(async, walls: [1.001, 1.003, 1.002, 1.004, 1.001, 1.002])
        let verdict = try #require(HeadToHead.verdicts(samples).first)
        #expect(verdict.outcome == .equivalent)
        #expect(verdict.sentence.hasPrefix("thread and async are equivalent (within ±2%): thread faster in 6 of 6 rounds"), "\(verdict.sentence)")
        let strict = try #require(HeadToHead.verdicts(samples, policy: VerdictPolicy(margin: 0)).first)
        #expect(strict.outcome == .beat)
    }

    /// Five worker counts are one family: 6 unanimous rounds give p = 1/32 each,
    /// above Holm's 1/100 for the first; 8 give 1/128, below it.
    @Test func aFamilyOfComparisonsIsHolmCorrected() throws {
        func verdicts(rounds: Int) -> [HeadToHead] {
            var samples: [Sample] = []
            for (offset, workers) in [1, 2, 4, 16, 64].enumerated() {
                samples += Self.samples(Self.cell("thread", workers, index: 2 * offset), walls: Array(repeating: 1, count: rounds))
                samples += Self.samples(Self.cell("async", workers, index: 2 * offset + 1), walls: Array(repeating: 1.5, count: rounds))
            }
            return HeadToHead.verdicts(samples)
        }
        let six = verdicts(rounds: 6)
        #expect(six.count == 5 && six.allSatisfy { $0.outcome == .noClearWinner && $0.familySize == 5 })
        #expect(six[0].sentence.hasPrefix("no clear winner after Holm's correction: thread vs async, faster in 6 of 6 rounds (p = 0.031, Holm 0.156)"), "\(six[0].sentence)")
        #expect(six[0].howJudged.contains("Holm-corrected over 5 comparisons"))
        #expect(verdicts(rounds: 8).allSatisfy { $0.outcome == .beat })
        #expect(AutoSampling().minimumRuns(for: MatrixPlan(MatrixOptions(), cells: six.flatMap { [$0.fastest, $0.runnerUp] })) == 8)
    }

    @Test func everyVerdictOfADisturbedRunSaysSo() throws {
        let samples = Self.samples(Self.cell("thread", 4, index: 1), walls: [1, 1, 1, 1, 1, 1])
            + Self.samples(Self.cell("async", 4, index: 2), walls: [2, 2, 2, 2, 2, 2])
        let verdict = try #require(HeadToHead.verdicts(samples, policy: VerdictPolicy(disturbed: true)).first)
        #expect(verdict.sentence.hasSuffix(" [disturbed run]"))
    }

    /// A model an experiment brings is placed by its own baseline, through the
    /// invocation's resolver: never pitted against another language's models.
    @Test func anExperimentsOwnModelsAreComparedWithinTheirLanguageOnly() throws {
        let pythonThread = try #require(ModelCatalog.model(named: "python-thread"))
        let chunked = ChunkedModel(inner: pythonThread, chunkSize: 1)
        let languages = ModelLanguages(ModelCatalog.all + [chunked])
        #expect(languages.baseline(of: chunked.name) == "python-serial")
        let jitter = [1.0, 1.02, 0.98]
        let samples = Self.samples(Self.cell("serial", 1, index: 0), walls: jitter.map { 4 * $0 })
            + Self.samples(Self.cell("thread", 4, index: 1), walls: jitter)
            + Self.samples(Self.cell(chunked.name, 4, index: 2), walls: jitter.map { 30 * $0 })
        #expect(HeadToHead.verdicts(samples, languages: languages).isEmpty, "Swift's thread against a Python model")
        let summaries = InvocationReport(samples: samples, languages: languages).summaries
        #expect(summaries.first { $0.cell.model == "thread" }?.speedup == 4)
        #expect(summaries.first { $0.cell.model == chunked.name }?.speedup == nil, "no python-serial here: no speedup, not one over Swift's serial")
        // The catalog alone does not know the experiment's model (the defect this guards against).
        #expect(!HeadToHead.verdicts(samples).isEmpty)
    }

    /// A program that is its own baseline (seed-400's) and runs several shapes
    /// is measured against its one-worker cell, whichever order the cells come in.
    @Test func aModelThatIsItsOwnBaselineIsMeasuredAgainstItsOneWorkerCell() throws {
        struct OwnProgram: ConcurrencyModel {
            let name = "own-program"
            let summary = "a program measured against itself"
            var baseline: String { name }
            func shapes(workers: [Int], processes: [Int]) -> [Shape] { workers.map(Shape.threads) }
            func execute(_ job: Job) throws -> Execution { throw BenchError.runFailed("not run here", fix: "") }
        }
        let languages = ModelLanguages(ModelCatalog.all + [OwnProgram()])
        let jitter = [1.0, 1.02, 0.98]
        let samples = Self.samples(Self.cell("own-program", 400, index: 0), walls: jitter.map { 4 * $0 })
            + Self.samples(Self.cell("own-program", 1, index: 1), walls: jitter.map { 2 * $0 })
            + Self.samples(Self.cell("own-program", 4, index: 2), walls: jitter)
        let speedups = Dictionary(uniqueKeysWithValues: CellSummary.summarize(samples, languages: languages).map {
            ($0.cell.shape.workers, $0.speedup)
        })
        #expect(speedups == [1: 1.0, 4: 2.0, 400: 0.5])
    }

    @Test func theScalingLawIsRecoveredFromItsOwnCurve() throws {
        // Speedups exactly on a USL curve with sigma 0.05, kappa 0.002 (peak near 22 workers).
        let serial = Self.cell("serial", 1, index: 0)
        var samples = Self.samples(serial, walls: [1.0, 1.0, 1.0])
        for (offset, workers) in [1, 2, 4, 8, 16, 32].enumerated() {
            let speedup = ScalingFit.speedup(Double(workers), sigma: 0.05, kappa: 0.002)
            samples += Self.samples(Self.cell("thread", workers, index: offset + 1), walls: [1 / speedup, 1 / speedup, 1 / speedup])
        }
        let fit = try #require(ScalingFit.fits(samples).first { $0.model == "thread" })
        guard case let .fitted(parameters) = fit.outcome else {
            Issue.record("expected a fit, got \(fit.sentence)")
            return
        }
        #expect(abs(parameters.sigma.value - 0.05) < 1e-6)
        #expect(abs(parameters.kappa.value - 0.002) < 1e-7)
        #expect(abs((parameters.bestWorkers ?? 0) - (0.95 / 0.002).squareRoot()) < 1e-3)
        #expect(fit.sentence.contains("best ≈ 22 workers"), "\(fit.sentence)")
    }

    @Test func tooFewPointsOrAPoorFitSaySoInsteadOfANumber() throws {
        let serial = Self.cell("serial", 1, index: 0)
        var samples = Self.samples(serial, walls: [1.0, 1.0])
        samples += Self.samples(Self.cell("thread", 2, index: 1), walls: [0.5, 0.5])
        let few = try #require(ScalingFit.fits(samples).first)
        #expect(few.sentence == "thread: no fit (1 worker count: a fit needs 3 or more)")
        // Speedups no USL curve can follow: up, down, up again.
        for (offset, (workers, wall)) in [(4, 0.25), (8, 1.0), (16, 0.07)].enumerated() {
            samples += Self.samples(Self.cell("thread", workers, index: offset + 2), walls: [wall, wall])
        }
        let poor = try #require(ScalingFit.fits(samples).first)
        #expect(poor.sentence.hasPrefix("thread: no fit (poor fit: the curve misses a point by"), "\(poor.sentence)")
        #expect(!poor.sentence.contains("nan"))
    }

    /// A model slower than one worker at every count (noop through processes) fits a σ above 1: no number.
    @Test func aModelSlowerThanSerialEverywhereHasNoFit() throws {
        let serial = Self.cell("serial", 1, index: 0)
        var samples = Self.samples(serial, walls: [1.0, 1.0, 1.0])
        for (offset, (workers, wall)) in [(2, 20.0), (4, 30.0), (8, 40.0)].enumerated() {
            samples += Self.samples(Self.cell("thread", workers, index: offset + 1), walls: [wall, wall, wall])
        }
        let fit = try #require(ScalingFit.fits(samples).first)
        #expect(fit.sentence.hasPrefix("thread: no fit (σ "), "\(fit.sentence)")
        #expect(fit.sentence.contains("is above 1"), "\(fit.sentence)")
    }

    /// A win by less than 1% (with no margin of equivalence) shows enough decimals to read as one.
    @Test func aNarrowClearWinShowsThreeDecimals() throws {
        let thread = Self.cell("thread", 4, index: 1)
        let async = Self.cell("async", 4, index: 2)
        let samples = Self.samples(thread, walls: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
            + Self.samples(async, walls: [1.004, 1.005, 1.006, 1.005, 1.004, 1.005])
        let verdict = try #require(HeadToHead.verdicts(samples, policy: VerdictPolicy(margin: 0)).first)
        #expect(verdict.isClear)
        #expect(verdict.sentence.contains("1.005× [1.004, 1.006]"), "\(verdict.sentence)")
    }

    /// A 10-task cell whose curve peaks far beyond 10 workers: the best count
    /// is the task count, the speedup at most min(tasks, workers), and a best
    /// count beyond twice the largest measured one is called an extrapolation.
    @Test func aFitPredictsNothingTheCellCannotDo() throws {
        func cell(_ model: String, _ workers: Int, _ index: Int, tasks: Int) -> Cell {
            Cell(
                index: index, workload: "xor", kind: .cpu, work: WorkSize(amount: 1, unit: "iterations"),
                parameters: ParameterValues(["iterations": .number(1)]), model: model,
                shape: model == "serial" ? .serial : .threads(workers), tasks: tasks)
        }
        func fit(tasks: Int, kappa: Double, workers: [Int]) throws -> ScalingFit {
            var samples = Self.samples(cell("serial", 1, 0, tasks: tasks), walls: [1, 1, 1])
            for (offset, count) in workers.enumerated() {
                let wall = 1 / ScalingFit.speedup(Double(count), sigma: 0.01, kappa: kappa)
                samples += Self.samples(cell("thread", count, offset + 1, tasks: tasks), walls: [wall, wall, wall])
            }
            return try #require(ScalingFit.fits(samples).first)
        }
        // Peak near 99 workers, a 10-task cell measured up to 4 workers.
        let capped = try fit(tasks: 10, kappa: 0.0001, workers: [1, 2, 4])
        let prediction = try #require(capped.prediction)
        #expect(prediction.workers == 10 && prediction.speedup <= 10)
        #expect(prediction.uncappedPeak != nil && prediction.isExtrapolated)
        #expect(capped.sentence.contains("best ≈ 10 workers") && capped.sentence.contains("capped at the 10 tasks"), "\(capped.sentence)")
        #expect(capped.sentence.contains("an extrapolation"), "\(capped.sentence)")
        // Peak near 22 workers, measured up to 32 of 64 tasks: no flag.
        let inside = try fit(tasks: 64, kappa: 0.002, workers: [1, 2, 4, 8, 16, 32])
        #expect(inside.prediction?.isExtrapolated == false && inside.prediction?.uncappedPeak == nil)
    }

    /// 2 workers 3.17 times faster than serial: flagged, in the fit and in the table.
    @Test func aSuperlinearSpeedupIsFlagged() throws {
        let serial = Self.cell("serial", 1, index: 0)
        let samples = Self.samples(serial, walls: [3.17, 3.17, 3.17]) + Self.samples(Self.cell("thread", 2, index: 1), walls: [1, 1, 1])
            + Self.samples(Self.cell("thread", 4, index: 2), walls: [0.9, 0.9, 0.9])
        let fit = try #require(ScalingFit.fits(samples).first)
        #expect(fit.sentence.contains("superlinear: check the baseline (speedup 3.17 at 2"), "\(fit.sentence)")
        let table = TerminalTable.render(CellSummary.summarize(samples))
        #expect(table.contains("3.17!") && table.contains("superlinear, check the baseline"), "\(table)")
    }
}
