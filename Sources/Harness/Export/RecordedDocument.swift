import Foundation
import Platform

extension ExportDocument {
    /// What a finished run concluded, made again from its folder alone
    /// (`bench report`): the samples of raw.csv judged as the run judged them
    /// (meta.json's margin, precision and disturbed flag; the models'
    /// baselines and the verdict family of the experiment meta.json names, as
    /// `experiment` gives them by its name), claims.csv, meta.json.
    ///
    /// A folder that is not there, or has no raw.csv, is a usage error (exit
    /// 64); a damaged raw.csv, summary.csv or claims.csv is a run error (exit
    /// 1) naming the file and line, as plot.sh names them.
    public static func recorded(
        in folder: String,
        experiment: (String) -> (modelBaselines: [String: String], family: VerdictPolicy.Family)? = { _ in nil }
    ) throws -> ExportDocument {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw BenchError.usage("\(folder) is not a run folder", fix: "give one, e.g. bench report results/latest")
        }
        let run = try RecordedRun(folder: folder)
        let summary = folder + "/summary.csv"
        if FileManager.default.fileExists(atPath: summary) {
            // The report does not read it (raw.csv has every sample), but plot.sh does: a damaged one is said here too.
            _ = try RecordedRun.table(summary, required: ["workload", "model"])
        }
        let meta = run.meta
        let parameters = meta?["parameters"]
        let margin = number(parameters?["margin"]) ?? VerdictPolicy.defaultMargin
        let precision = number(parameters?["auto_sampling"]?["precision"])
        let declared = meta?["experiment"]?.string.flatMap(experiment)
        let policy = VerdictPolicy(margin: margin, family: declared?.family ?? .group, disturbed: meta?["disturbed"] == .bool(true))
        let report = InvocationReport(
            samples: run.samples, excluding: run.failedCells, languages: ModelLanguages(catalogAnd: declared?.modelBaselines ?? [:]), policy: policy,
            precision: precision)
        return ExportDocument(runID: run.id, report: report, claims: try ClaimsCSV.read(folder: folder), meta: meta, folder: folder)
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
