import Engine
import Foundation
import Harness

/// Lookups an experiment's report makes in its results: a cell by what it
/// ran, speedups and ratios with their intervals.
extension InvocationResults {
    /// The cell of `model` on `workload` with `workers` workers, among the
    /// cells whose parameters `matching` accepts.
    public func cell(
        _ model: String, _ workload: String, workers: Int = 1, matching: (Cell) -> Bool = { _ in true }
    ) -> Cell? {
        summaries.map(\.cell).first { $0.model == model && $0.workload == workload && $0.shape.workers == workers && matching($0) }
    }

    /// baseline's median wall / cell's, with the interval: a speedup, or how many times `cell` is faster.
    public func ratio(_ baseline: Cell?, over cell: Cell?) -> Estimate? {
        guard let baseline, let cell else { return nil }
        return Estimate(numerator: walls(of: baseline), denominator: walls(of: cell))
    }

    /// The median of each sample's CPU seconds per wall second (cores kept busy), with its interval.
    public func cpuUtilisation(of cell: Cell?) -> Estimate? {
        guard let cell else { return nil }
        return Estimate(median: samples.filter { $0.cell == cell && $0.ok && $0.wallSeconds > 0 }.map { $0.cpuSeconds / $0.wallSeconds })
    }
}
