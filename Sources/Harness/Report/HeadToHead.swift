import Engine
import Foundation

/// Which model is fastest at each worker count, and how sure the run is.
///
/// Every round of the shuffled schedule measures every cell once, so each
/// round gives a paired observation of any two cells: the ratio of their
/// walls in that round. The verdict compares the fastest cell (by median)
/// with the runner-up over the rounds both have: the median paired ratio
/// with its bootstrap 95% interval, and the rounds the fastest won. When the
/// interval covers 1 there is no clear winner.
public struct HeadToHead: Sendable {
    public let group: CellGroup
    public let workers: Int
    public let fastest: Cell
    public let runnerUp: Cell
    /// runner-up's wall / fastest's, paired by round.
    public let ratio: Estimate
    public let roundsWon: Int
    public let rounds: Int

    public var isClear: Bool { (ratio.interval?.lowerBound ?? 0) > 1 }

    /// `thread beat process-pool in 5 of 5 rounds, 1.42× [1.35, 1.51]`, or `no clear winner: ...`.
    public var sentence: String {
        let who = "\(Self.name(fastest)) \(isClear ? "beat" : "vs") \(Self.name(runnerUp))"
        let detail = "\(isClear ? "" : "faster in ")\(roundsWon) of \(rounds) rounds, \(ratio.description(places: Self.places(ratio)).replacingOccurrences(of: " [", with: "× ["))"
        return isClear ? "\(who) in \(detail)" : "no clear winner: \(who), \(detail)"
    }

    /// Decimals enough that a clear win never reads 1.00× [1.00, 1.01]: three
    /// when the interval's low end is within 1% of 1, two otherwise.
    static func places(_ ratio: Estimate) -> Int {
        guard let low = ratio.interval?.lowerBound else { return 2 }
        return abs(low - 1) < 0.01 ? 3 : 2
    }

    /// A model with its shape where the worker count alone does not tell it (hybrid 4x1 vs 2x2).
    static func name(_ cell: Cell) -> String {
        cell.shape.processes > 1 && cell.shape.threads != nil && cell.model != "process-pool" && cell.model != "python-process-pool"
            ? "\(cell.model) \(cell.shape)" : cell.model
    }

    /// The verdicts of every group and worker count with at least two cells
    /// of one language and two rounds in common.
    public static func verdicts(
        _ samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog
    ) -> [HeadToHead] {
        let good = samples.filter { $0.ok && !failed.contains($0.cell) }
        let byCell = Dictionary(grouping: good, by: \.cell)
        var verdicts: [HeadToHead] = []
        for group in CellGroup.of(Array(byCell.keys)) {
            let cells = byCell.keys.filter { CellGroup($0) == group }
            let keys = Set(cells.map { Contest(language: languages.baseline(of: $0.model), workers: $0.shape.workers) })
            for key in keys.sorted(by: { ($0.language, $0.workers) < ($1.language, $1.workers) }) {
                let contenders = cells.filter { languages.baseline(of: $0.model) == key.language && $0.shape.workers == key.workers }
                    .compactMap { cell in Statistics.median(byCell[cell]!.map(\.wallSeconds)).map { (cell, $0) } }
                    .sorted { $0.1 < $1.1 }
                guard contenders.count >= 2 else { continue }
                let fastest = contenders[0].0
                let runnerUp = contenders[1].0
                let fastestRounds = Dictionary(byCell[fastest]!.map { ($0.repetition, $0.wallSeconds) }) { first, _ in first }
                let pairs = byCell[runnerUp]!.compactMap { sample in fastestRounds[sample.repetition].map { sample.wallSeconds / $0 } }
                guard pairs.count >= 2, let median = Statistics.median(pairs) else { continue }
                verdicts.append(HeadToHead(
                    group: group, workers: key.workers, fastest: fastest, runnerUp: runnerUp,
                    ratio: Estimate(value: median, interval: Statistics.medianInterval(pairs)),
                    roundsWon: pairs.filter { $0 > 1 }.count, rounds: pairs.count))
            }
        }
        return verdicts
    }

    private struct Contest: Hashable {
        let language: String
        let workers: Int
    }

    /// The verdicts of `group`, one line per worker count.
    public static func render(_ verdicts: [HeadToHead], for group: CellGroup) -> String {
        let lines = verdicts.filter { $0.group == group }.map { verdict in
            "  at \(verdict.workers) worker\(verdict.workers == 1 ? "" : "s"): \(verdict.sentence)"
        }
        return lines.isEmpty ? "" : "fastest model by worker count (paired by round):\n" + lines.joined(separator: "\n") + "\n"
    }
}
