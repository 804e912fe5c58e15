import Engine
import Foundation

/// Which model is fastest at each worker count, and how sure the run is.
///
/// Every round of the shuffled schedule measures every cell once, so each
/// round gives a paired observation of any two cells: the ratio of their
/// walls in that round. The verdict compares the fastest cell (by median)
/// with the runner-up over the rounds both have: the median of the paired
/// ratios with its order-statistic interval, the rounds the fastest won and
/// the sign test's exact p-value. The fastest "beat" the runner-up when the
/// interval lies above 1 and the p-value survives Holm's correction over the
/// family of comparisons; they are "equivalent" when the whole interval lies
/// within `--margin` of 1; otherwise there is no clear winner. Below 6 rounds
/// there is no interval and no verdict.
public struct HeadToHead: Sendable {
    public let group: CellGroup
    public let workers: Int
    public let fastest: Cell
    public let runnerUp: Cell
    /// runner-up's wall / fastest's, paired by round.
    public let ratio: Estimate
    public let roundsWon: Int
    public let rounds: Int
    /// The sign test's two-sided p of `roundsWon` (rounds of equal walls left out).
    public let pValue: Double
    /// `pValue` after Holm's correction over the family.
    public let adjustedPValue: Double
    /// Comparisons in the family `adjustedPValue` was corrected over.
    public let familySize: Int
    public let policy: VerdictPolicy
    /// The two cells as the sentence names them (`name(_:languages:)`).
    let fastestName: String
    let runnerUpName: String
    /// The measured reason the runner-up is slower, where one applies (its
    /// workers waited for a CPU far more than the winner's); nil otherwise.
    public var reason: String?

    /// What the comparison concludes.
    public enum Outcome: String, Sendable {
        case beat
        case equivalent
        case noClearWinner = "no clear winner"
        case tooFewSamples = "too few samples"
    }

    public var outcome: Outcome {
        guard let interval = ratio.interval else { return .tooFewSamples }
        if interval.lowerBound >= 1 - policy.margin && interval.upperBound <= 1 + policy.margin { return .equivalent }
        if interval.lowerBound > 1 && adjustedPValue <= 1 - OrderStatistics.nominalLevel { return .beat }
        return .noClearWinner
    }

    public var isClear: Bool { outcome == .beat }

    /// `thread beat process-pool in 6 of 6 rounds (p = 0.031), 1.42× [1.35, 1.51] (96.9%)`,
    /// `thread and async are equivalent (within ±2%): ...`, or `no clear winner: ...`.
    public var sentence: String {
        let (first, second) = (fastestName, runnerUpName)
        let margin = ratio.description(places: Self.places(ratio), unit: "×")
        let text: String
        switch outcome {
        case .beat:
            text = "\(first) beat \(second) in \(roundsWon) of \(rounds) rounds (\(tests)), \(margin)"
        case .equivalent:
            text = "\(first) and \(second) are equivalent (within ±\(policy.marginPercent)): \(first) faster in \(roundsWon) of \(rounds) rounds (\(tests)), \(margin)"
        case .noClearWinner:
            let corrected = (ratio.interval?.lowerBound ?? 0) > 1 ? " after Holm's correction" : ""
            text = "no clear winner\(corrected): \(first) vs \(second), faster in \(roundsWon) of \(rounds) rounds (\(tests)), \(margin)"
        case .tooFewSamples:
            text = "\(first) vs \(second): \(ConfidenceInterval.shortfall(count: rounds)), no verdict; faster in \(roundsWon) of \(rounds) rounds"
        }
        return text + (outcome == .tooFewSamples ? "" : reason.map { "; \($0)" } ?? "") + policy.mark
    }

    /// A waiting share that explains a loss: at least this, and this much above the winner's.
    static let notableWaitingShare = 0.10

    /// `process-pool 64x1: 42% of its workers' time waiting for a CPU` when the
    /// runner-up's share of run-queue wait (`MeasuredMedians.waitingShare`) is
    /// notable and well above the winner's; nil when unmeasured or alike.
    static func waitingReason(runnerUp: [Sample], named runnerUpName: String, fastest: [Sample]) -> String? {
        func share(_ samples: [Sample]) -> Double? {
            guard let cell = samples.first?.cell, let wall = Statistics.median(samples.map(\.wallSeconds)) else { return nil }
            return MeasuredMedians(samples).waitingShare(wallSeconds: wall, workers: cell.shape.workers)
        }
        guard let loser = share(runnerUp), loser >= notableWaitingShare,
              loser >= (share(fastest) ?? 0) + notableWaitingShare else { return nil }
        return "\(runnerUpName): \(Int((loser * 100).rounded()))% of its workers' time waiting for a CPU"
    }

    /// `p = 0.031`, or `p = 0.031, Holm 0.156` in a family.
    private var tests: String {
        SignTest.describe(pValue) + (familySize > 1 ? ", Holm " + String(format: "%.3f", adjustedPValue) : "")
    }

    /// Decimals enough that a clear win never reads 1.00× [1.00, 1.01]: three
    /// when the interval's low end is within 1% of 1, two otherwise.
    static func places(_ ratio: Estimate) -> Int {
        guard let low = ratio.interval?.lowerBound else { return 2 }
        return abs(low - 1) < 0.01 ? 3 : 2
    }

    /// A model with its shape where the worker count alone does not tell it
    /// (hybrid 4x1 vs 2x2); with `languages`, its model as the tables label it.
    public static func name(_ cell: Cell, languages: ModelLanguages? = nil) -> String {
        let model = languages?.label(of: cell) ?? cell.model
        let twoAxes = ModelCatalog.model(named: cell.model)?.shapeHasTwoAxes ?? (cell.shape.processes > 1 && cell.shape.threads != nil)
        return twoAxes ? "\(model) \(cell.shape)" : model
    }

    /// A comparison before the family's correction.
    private struct Contest {
        let group: CellGroup
        let workers: Int
        let fastest: Cell
        let runnerUp: Cell
        let ratios: [Double]

        var roundsWon: Int { ratios.filter { $0 > 1 }.count }
        /// Rounds in which one of the two was faster (a tie tells neither way).
        var decided: Int { ratios.filter { $0 != 1 }.count }
        var pValue: Double { SignTest.pValue(wins: roundsWon, trials: decided) }
    }

    /// The verdicts of every group and worker count with at least two cells
    /// of one language and two rounds in common, corrected per `policy.family`.
    public static func verdicts(
        _ samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog, policy: VerdictPolicy = VerdictPolicy()
    ) -> [HeadToHead] {
        let good = samples.filter { $0.ok && !failed.contains($0.cell) }
        let byCell = Dictionary(grouping: good, by: \.cell)
        var contests: [Contest] = []
        for group in CellGroup.of(Array(byCell.keys)) {
            let cells = byCell.keys.filter { CellGroup($0) == group }
            let keys = Set(cells.map { Key(language: languages.baseline(of: $0.model), workers: $0.shape.workers) })
            for key in keys.sorted(by: { ($0.language, $0.workers) < ($1.language, $1.workers) }) {
                let contenders = cells.filter { languages.baseline(of: $0.model) == key.language && $0.shape.workers == key.workers }
                    .compactMap { cell in Statistics.median(byCell[cell]!.map(\.wallSeconds)).map { (cell, $0) } }
                    .sorted { $0.1 < $1.1 }
                guard contenders.count >= 2 else { continue }
                let fastest = contenders[0].0
                let runnerUp = contenders[1].0
                let fastestRounds = Dictionary(byCell[fastest]!.map { ($0.repetition, $0.wallSeconds) }) { first, _ in first }
                let ratios = byCell[runnerUp]!.compactMap { sample in fastestRounds[sample.repetition].map { sample.wallSeconds / $0 } }
                guard ratios.count >= 2 else { continue }
                contests.append(Contest(group: group, workers: key.workers, fastest: fastest, runnerUp: runnerUp, ratios: ratios))
            }
        }
        // Holm within each family: a group's worker counts, or (crossover's map) the whole run.
        var adjusted = [Double](repeating: 1, count: contests.count)
        var familySizes = [Int](repeating: 1, count: contests.count)
        let families = Dictionary(grouping: contests.indices) { policy.family == .run ? nil : contests[$0].group }
        for members in families.values {
            for (index, value) in zip(members, HolmCorrection.adjust(members.map { contests[$0].pValue })) {
                adjusted[index] = value
                familySizes[index] = members.count
            }
        }
        return contests.indices.compactMap { index in
            let contest = contests[index]
            guard let ratio = Estimate(median: contest.ratios) else { return nil }
            return HeadToHead(
                group: contest.group, workers: contest.workers, fastest: contest.fastest, runnerUp: contest.runnerUp, ratio: ratio,
                roundsWon: contest.roundsWon, rounds: contest.ratios.count, pValue: contest.pValue, adjustedPValue: adjusted[index],
                familySize: familySizes[index], policy: policy, fastestName: name(contest.fastest, languages: languages),
                runnerUpName: name(contest.runnerUp, languages: languages),
                reason: waitingReason(
                    runnerUp: byCell[contest.runnerUp]!, named: name(contest.runnerUp, languages: languages), fastest: byCell[contest.fastest]!))
        }
    }

    private struct Key: Hashable {
        let language: String
        let workers: Int
    }

    /// The verdicts of `group`, one line per worker count, under a heading that says how they were judged.
    public static func render(_ verdicts: [HeadToHead], for group: CellGroup) -> String {
        let chosen = verdicts.filter { $0.group == group }
        guard let first = chosen.first else { return "" }
        let lines = chosen.map { verdict in
            "  at \(verdict.workers) worker\(verdict.workers == 1 ? "" : "s"): \(verdict.sentence)"
        }
        return "fastest model by worker count (\(first.howJudged)):\n" + lines.joined(separator: "\n") + "\n"
    }

    /// `paired by round; sign-test p Holm-corrected over 5 comparisons; equivalent: within ±2%`.
    public var howJudged: String {
        "paired by round; sign-test p \(HolmCorrection.describe(familySize: familySize))"
            + (policy.family == .run && familySize > 1 ? " of the whole run" : "")
            + "; equivalent: the interval within ±\(policy.marginPercent) of 1"
    }
}
