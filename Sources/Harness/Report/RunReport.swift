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

    public init(samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog) {
        self.languages = languages
        summaries = CellSummary.summarize(samples, excluding: failed, languages: languages)
        verdicts = HeadToHead.verdicts(samples, excluding: failed, languages: languages)
        fits = ScalingFit.fits(samples, excluding: failed, languages: languages)
    }

    var groups: [CellGroup] { CellGroup.of(summaries.map(\.cell)) }

    /// What bench prints at the end of a run.
    public func terminal() -> String {
        groups.map { group in
            TerminalTable.render(summaries.filter { CellGroup($0.cell) == group }, languages: languages)
                + HeadToHead.render(verdicts, for: group) + ScalingFit.render(fits, for: group)
        }.joined()
    }

    /// The same as Markdown, ready for a README or an issue.
    public func markdown(runID: String) -> String {
        var text = "# bench run \(runID)\n"
        for group in groups {
            let rows = summaries.filter { CellGroup($0.cell) == group }
            text += "\n## \(group.label)\n\n"
            let header = ["model", "shape", "workers", "median wall", "95% CI", "speedup", "efficiency", "cpu util", "task p50", "task p99"]
            text += "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
            for summary in rows {
                text += "| " + Self.markdownFields(summary).joined(separator: " | ") + " |\n"
            }
            let verdictLines = verdicts.filter { $0.group == group }
            if !verdictLines.isEmpty {
                text += "\nFastest by worker count (paired by round):\n\n"
                text += verdictLines.map { "- \($0.workers) worker\($0.workers == 1 ? "" : "s"): \($0.sentence)" }.joined(separator: "\n") + "\n"
            }
            let fitLines = fits.filter { $0.group == group }
            if !fitLines.isEmpty {
                text += "\nScaling fit (Universal Scalability Law):\n\n" + fitLines.map { "- \($0.sentence)" }.joined(separator: "\n") + "\n"
            }
        }
        return text
    }

    private static func markdownFields(_ summary: CellSummary) -> [String] {
        let interval: String = summary.wallInterval.map { "\(TerminalTable.duration($0.lowerBound)) – \(TerminalTable.duration($0.upperBound))" } ?? "-"
        let speedup: String = summary.speedup.map { String(format: "%.2f", $0) } ?? "-"
        let efficiency: String = summary.efficiency.map { String(format: "%.2f", $0) } ?? "-"
        let utilisation: String = summary.cpuUtilisation.map { String(format: "%.2f", $0) } ?? "-"
        let p50: String = summary.taskLatency.map { TerminalTable.duration($0.p50) } ?? "-"
        let p99: String = summary.taskLatency.map { TerminalTable.duration($0.p99) } ?? "-"
        return [
            summary.cell.model, summary.cell.shape.description, String(summary.cell.shape.workers),
            TerminalTable.duration(summary.wall.median), interval, speedup, efficiency, utilisation, p50, p99,
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
                "fastest": .string(HeadToHead.name(verdict.fastest)), "runner_up": .string(HeadToHead.name(verdict.runnerUp)),
                "ratio": .number(verdict.ratio.value), "ratio_ci_lo": verdict.ratio.interval.map { .number($0.lowerBound) } ?? .null,
                "ratio_ci_hi": verdict.ratio.interval.map { .number($0.upperBound) } ?? .null,
                "rounds_won": .integer(verdict.roundsWon), "rounds": .integer(verdict.rounds), "clear": .bool(verdict.isClear),
                "sentence": .string(verdict.sentence),
            ])
        }
        let fitRows: [JSONValue] = fits.map { fit in
            var object: [String: JSONValue] = [
                "workload": .string(fit.group.workload), "params": .string(fit.group.parameters.description),
                "tasks": .integer(fit.group.tasks), "model": .string(fit.model), "sentence": .string(fit.sentence),
            ]
            if case let .fitted(parameters) = fit.outcome {
                object["sigma"] = .number(parameters.sigma.value)
                object["kappa"] = .number(parameters.kappa.value)
                object["best_workers"] = parameters.bestWorkers.map { .number($0) } ?? .null
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

    /// fits.csv: one row per fitted model, for the speedup charts' curves.
    public static let fitsHeader = ["workload", "params", "tasks", "model", "sigma", "sigma_ci_lo", "sigma_ci_hi", "kappa", "kappa_ci_lo", "kappa_ci_hi", "best_workers", "best_speedup"]

    public func fitsCSV() -> String {
        var lines = [CSVFormat.line(Self.fitsHeader)]
        for fit in fits {
            guard case let .fitted(parameters) = fit.outcome else { continue }
            lines.append(CSVFormat.line([
                fit.group.workload, fit.group.parameters.description, String(fit.group.tasks), fit.model,
                CSVFormat.decimal(parameters.sigma.value, places: 6), CSVFormat.decimal(parameters.sigma.interval?.lowerBound, places: 6),
                CSVFormat.decimal(parameters.sigma.interval?.upperBound, places: 6), CSVFormat.decimal(parameters.kappa.value, places: 8),
                CSVFormat.decimal(parameters.kappa.interval?.lowerBound, places: 8), CSVFormat.decimal(parameters.kappa.interval?.upperBound, places: 8),
                CSVFormat.decimal(parameters.bestWorkers, places: 2), CSVFormat.decimal(parameters.bestSpeedup, places: 4),
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
