import Experiments
import Foundation
import Harness
import Platform

/// What a finished run folder concludes, rebuilt from its files alone: the
/// samples of raw.csv judged as the run judged them (its experiment's model
/// baselines and verdict family, meta.json's margin, precision and
/// disturbed mark), and claims.csv. What `bench docs` renders a report view from.
enum RecordedDocument {
    static func read(_ folder: URL) throws -> ExportDocument {
        let run = try RecordedRun(folder: folder.path)
        let meta = run.meta
        let experiment = meta?["experiment"]?.string.flatMap(ExperimentRegistry.experiment(named:))
        let parameters = meta?["parameters"]
        let policy = VerdictPolicy(
            margin: number(parameters?["margin"]) ?? VerdictPolicy.defaultMargin, family: experiment?.verdictFamily ?? .group,
            disturbed: meta?["disturbed"] == .bool(true))
        let report = RunReport(
            samples: run.samples, excluding: run.failedCells, languages: ModelLanguages(catalogAnd: experiment?.modelBaselines ?? [:]),
            policy: policy, precision: number(parameters?["auto_sampling"]?["precision"]))
        return ExportDocument(runID: run.id, report: report, claims: try ClaimsCSV.read(folder: folder.path), meta: meta)
    }

    /// JSON writes 0.0 as 0: both kinds read as numbers.
    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case let .integer(number)?: Double(number)
        case let .number(number)?: number
        default: nil
        }
    }
}
