import Engine
import Foundation
import Platform

/// Everything a finished run concludes, in the forms it is read: the
/// terminal (a table per group, then its verdicts and fits), Markdown, JSON,
/// and fits.csv for the charts. Built from samples only.
public struct RunReport: Sendable {
    public let summaries: [CellSummary]
    public let verdicts: [HeadToHead]
    public let fits: [ScalingFit]

    let languages: ModelLanguages
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

    var groups: [CellGroup] { CellGroup.of(summaries.map(\.cell)) }

    /// What bench prints at the end of a run.
    public func terminal() -> String {
        groups.map { group in
            TerminalTable.render(summaries.filter { CellGroup($0.cell) == group }, languages: languages, precision: precision)
                + HeadToHead.render(verdicts, for: group) + ScalingFit.render(fits, for: group)
        }.joined()
    }

    /// The same as Markdown, ready for a README or an issue.
    public func markdown(runID: String) -> String {
        var text = "# bench run \(runID)\n"
        for group in groups {
            let rows = summaries.filter { CellGroup($0.cell) == group }
            text += "\n## \(group.label)\n\n"
            let header = ["model", "shape", "workers", "n", "median wall", "95% CI", "±", "speedup", "efficiency", "cpu util", "task p50", "task p99"]
            text += "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
            for summary in rows {
                text += "| " + markdownFields(summary).joined(separator: " | ") + " |\n"
            }
            if rows.contains(where: TerminalTable.isSuperlinear) {
                text += "\n" + TerminalTable.superlinearNote + "\n"
            }
            for note in languages.python.footnotes(rows.map(\.cell)) {
                text += "\n" + note + "\n"
            }
            if let precision, rows.contains(where: { TerminalTable.stoppedShort($0, precision: precision) }) {
                text += "\n\\* stopped short of ±\(TerminalTable.percent(precision)): --max-runs, --max-time or --budget came first\n"
            }
            let verdictLines = verdicts.filter { $0.group == group }
            if let first = verdictLines.first {
                text += "\nFastest by worker count (\(first.howJudged)):\n\n"
                text += verdictLines.map { "- \($0.workers) worker\($0.workers == 1 ? "" : "s"): \($0.sentence)" }.joined(separator: "\n") + "\n"
            }
            let fitLines = fits.filter { $0.group == group }
            if !fitLines.isEmpty {
                text += "\nScaling fit (Universal Scalability Law):\n\n" + fitLines.map { "- \($0.sentence)" }.joined(separator: "\n") + "\n"
            }
        }
        return text
    }

    private func markdownFields(_ summary: CellSummary) -> [String] {
        let efficiency: String = summary.efficiency.map { String(format: "%.2f", $0) } ?? "-"
        let utilisation: String = summary.cpuUtilisation.map { String(format: "%.2f", $0) } ?? "-"
        let p50: String = summary.taskLatency.map { TerminalTable.duration($0.p50) } ?? "-"
        let p99: String = summary.taskLatency.map { TerminalTable.duration($0.p99) } ?? "-"
        return [
            languages.label(of: summary.cell), summary.cell.shape.description, String(summary.cell.shape.workers), String(summary.wall.count),
            TerminalTable.duration(summary.wall.median), TerminalTable.interval(summary),
            TerminalTable.halfWidth(summary, precision: precision).replacingOccurrences(of: "*", with: "\\*"), TerminalTable.speedup(summary), efficiency,
            utilisation, p50, p99,
        ]
    }

    /// Summary rows, verdicts, fits and the run's meta.json as one JSON document.
    public func json(meta: JSONValue?) throws -> Data {
        let summaryRows: [JSONValue] = summaries.map { summary in
            .object(Dictionary(uniqueKeysWithValues: zip(SummaryCSV.header, SummaryCSV.row(summary)).map { key, value in
                (key, Double(value).map { JSONValue.number($0) } ?? (value.isEmpty ? .null : .string(value)))
            }))
        }
        let verdictRows: [JSONValue] = verdicts.map { verdict in
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
        let fitRows: [JSONValue] = fits.map { fit in
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
        let document: JSONValue = .object([
            "summary": .array(summaryRows), "verdicts": .array(verdictRows), "fits": .array(fitRows), "meta": meta ?? .null,
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
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
