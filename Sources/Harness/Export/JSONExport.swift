import Foundation

/// `--export-json`: summary rows, verdicts, fits, the claims table and
/// meta.json as one JSON document.
public struct JSONExport: Exporter {
    public init() {}

    public var format: String { "json" }
    public var help: String { "also write summary, verdicts, fits, claims and meta as JSON" }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(try data(document)) + [UInt8(ascii: "\n")]
    }

    public func data(_ document: ExportDocument) throws -> Data {
        let report = document.report
        let summaryRows: [JSONValue] = report.summaries.map { summary in
            .object(Dictionary(uniqueKeysWithValues: zip(ResultsCSV.summaryHeader, ResultsCSV.summaryRow(summary)).map { key, value in
                (key, Double(value).map { JSONValue.number($0) } ?? (value.isEmpty ? .null : .string(value)))
            }))
        }
        let verdictRows: [JSONValue] = report.verdicts.map { verdict in
            .object([
                "workload": .string(verdict.group.workload), "params": .string(verdict.group.parameters.description),
                "tasks": .integer(verdict.group.tasks), "workers": .integer(verdict.workers),
                "interpreter": verdict.group.interpreter.map { .string($0) } ?? .null,
                "fastest": .string(HeadToHead.name(verdict.fastest)), "runner_up": .string(HeadToHead.name(verdict.runnerUp)),
                "ratio": .number(verdict.ratio.value), "ratio_ci_lo": verdict.ratio.interval.map { .number($0.lowerBound) } ?? .null,
                "ratio_ci_hi": verdict.ratio.interval.map { .number($0.upperBound) } ?? .null,
                "ratio_ci_coverage": verdict.ratio.coverage.map { .number($0) } ?? .null,
                "rounds_won": .integer(verdict.roundsWon), "rounds": .integer(verdict.rounds), "clear": .bool(verdict.isClear),
                "verdict": .string(verdict.outcome.rawValue), "p": .number(verdict.pValue), "p_holm": .number(verdict.adjustedPValue),
                "family_size": .integer(verdict.familySize), "margin": .number(verdict.policy.margin),
                "disturbed": .bool(verdict.policy.disturbed), "sentence": .string(verdict.sentence), "reason": verdict.reason.map { .string($0) } ?? .null,
            ])
        }
        let fitRows: [JSONValue] = report.fits.map { fit in
            var object: [String: JSONValue] = [
                "workload": .string(fit.group.workload), "params": .string(fit.group.parameters.description),
                "tasks": .integer(fit.group.tasks), "model": .string(fit.model), "sentence": .string(fit.sentence),
                "interpreter": fit.group.interpreter.map { .string($0) } ?? .null,
            ]
            if case let .fitted(parameters) = fit.outcome {
                object["sigma"] = .number(parameters.sigma.value)
                object["kappa"] = .number(parameters.kappa.value)
                object["best_workers"] = fit.prediction.map { .number($0.workers) } ?? .null
                object["best_speedup"] = fit.prediction.map { .number($0.speedup) } ?? .null
                object["best_extrapolated"] = fit.prediction.map { .bool($0.isExtrapolated) } ?? .null
                object["curve_peak_workers"] = parameters.bestWorkers.map { .number($0) } ?? .null
            }
            return .object(object)
        }
        var top: [String: JSONValue] = [
            "summary": .array(summaryRows), "verdicts": .array(verdictRows), "fits": .array(fitRows), "meta": document.meta ?? .null,
        ]
        if let claims = document.claims {
            top["claims"] = .object(["title": .string(claims.title), "checks": .array(claims.rows.map(Self.object))])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JSONValue.object(top))
    }

    private static func object(_ row: ClaimRow) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return .object([
            "claim_id": .string(row.id), "claim": .string(row.claim), "source": .string(row.source), "prediction": .string(row.prediction),
            "language": .string(row.language), "value": number(row.value), "ci_lo": number(row.interval?.lowerBound),
            "ci_hi": number(row.interval?.upperBound), "coverage": number(row.coverage), "measured": .string(row.measured),
            "line": .number(row.line), "direction": .string(row.above ? "above" : "below"), "p": .number(row.p), "p_holm": .number(row.holmP),
            "verdict": .string(row.verdict.rawValue),
        ])
    }
}
