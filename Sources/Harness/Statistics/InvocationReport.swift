import Engine
import Foundation
import Platform

/// Everything a finished run concludes: its cells' summaries, the verdicts
/// of each group's worker counts and the scaling fits, built from samples
/// only. The exporters (`Export/`) render it; fits.csv is written from it.
public struct InvocationReport: Sendable {
    public let summaries: [CellSummary]
    public let verdicts: [HeadToHead]
    public let fits: [ScalingFit]

    /// Which model is measured against which.
    public let languages: ModelLanguages
    /// How the verdicts were judged (margin, family, a disturbed machine).
    public let policy: VerdictPolicy
    /// The target of `--runs auto`; nil for a fixed count of samples.
    public let precision: Double?

    public init(
        samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog, policy: VerdictPolicy = VerdictPolicy(),
        precision: Double? = nil
    ) {
        self.languages = languages
        self.policy = policy
        self.precision = precision
        summaries = CellSummary.summarize(samples, excluding: failed, languages: languages)
        verdicts = HeadToHead.verdicts(samples, excluding: failed, languages: languages, policy: policy)
        fits = ScalingFit.fits(samples, excluding: failed, languages: languages)
    }

    /// The same conclusions, already drawn (`only(workload:)`).
    init(
        summaries: [CellSummary], verdicts: [HeadToHead], fits: [ScalingFit], languages: ModelLanguages, policy: VerdictPolicy, precision: Double?
    ) {
        self.summaries = summaries
        self.verdicts = verdicts
        self.fits = fits
        self.languages = languages
        self.policy = policy
        self.precision = precision
    }

    /// The groups of its cells (a workload with one parameter set and task count), in matrix order.
    public var groups: [CellGroup] { CellGroup.of(summaries.map(\.cell)) }

    /// Only `workload`'s cells, with their verdicts and fits.
    public func only(workload: String) -> InvocationReport {
        InvocationReport(
            summaries: summaries.filter { $0.cell.workload == workload }, verdicts: verdicts.filter { $0.group.workload == workload },
            fits: fits.filter { $0.group.workload == workload }, languages: languages, policy: policy, precision: precision)
    }

    /// fits.csv: one row per fitted model, for the speedup charts' curves
    /// (`interpreter`: the group's on the interpreter axis, empty off it).
    public static let fitsHeader = ["workload", "params", "tasks", "model", "sigma", "sigma_ci_lo", "sigma_ci_hi", "kappa", "kappa_ci_lo", "kappa_ci_hi", "best_workers", "best_speedup", "interpreter"]

    public func fitsCSV() -> String {
        var lines = [CSVFormat.line(Self.fitsHeader)]
        for fit in fits {
            guard case let .fitted(parameters) = fit.outcome else { continue }
            lines.append(CSVFormat.line([
                fit.group.workload, fit.group.parameters.description, String(fit.group.tasks), fit.model,
                CSVFormat.decimal(parameters.sigma.value, places: 6), CSVFormat.decimal(parameters.sigma.interval?.lowerBound, places: 6),
                CSVFormat.decimal(parameters.sigma.interval?.upperBound, places: 6), CSVFormat.decimal(parameters.kappa.value, places: 8),
                CSVFormat.decimal(parameters.kappa.interval?.lowerBound, places: 8), CSVFormat.decimal(parameters.kappa.interval?.upperBound, places: 8),
                CSVFormat.decimal(fit.prediction?.workers, places: 2), CSVFormat.decimal(fit.prediction?.speedup, places: 4),
                fit.group.interpreter ?? "",
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
