import Platform

/// A view of what a committed run concluded, rebuilt from its raw.csv (and
/// claims.csv) and written through bench's own Markdown export, so that a
/// published table is exactly what `--export-markdown` would give:
///
/// - `report WORKLOAD`: the workload's table, verdicts and fits;
/// - `table WORKLOAD`, `verdicts WORKLOAD`, `fits WORKLOAD`: one of those parts;
/// - `claims`: the experiment's claims table, with its p-values and verdicts.
///
/// A workload measured in several groups (parameter sets, task counts) shows
/// each group under its label in bold.
public struct ReportView: Sendable, Equatable {
    /// What part of a workload's report a block shows.
    public enum Part: String, Sendable, CaseIterable {
        case report, table, verdicts, fits
    }

    public enum Subject: Sendable, Equatable {
        case workload(String, Part)
        case claims
    }

    public let subject: Subject

    /// Every kind this view renders, as the word after the run folder.
    public static let kinds = Part.allCases.map(\.rawValue) + ["claims"]

    /// Reads `kind` and its arguments; nil when `kind` is not one of `kinds`.
    public init?(kind: String, arguments: [String]) throws(BenchError) {
        if kind == "claims" {
            guard arguments.isEmpty else {
                throw BenchError.usage("a claims view takes no arguments, got '\(arguments.joined(separator: " "))'", fix: "write RUN claims")
            }
            subject = .claims
            return
        }
        guard let part = Part(rawValue: kind) else { return nil }
        guard arguments.count == 1 else {
            throw BenchError.usage("a \(kind) view names one workload", fix: "e.g. results/reference \(kind) xor")
        }
        subject = .workload(arguments[0], part)
    }

    /// The view of `document`, as Markdown ending in a line break.
    public func render(_ document: ExportDocument) throws(BenchError) -> String {
        let export = MarkdownExport()
        switch subject {
        case .claims:
            guard let claims = document.claims else {
                throw BenchError.runFailed("run \(document.runID) has no claims.csv", fix: "show a run of an experiment that has claims, or use a csv view")
            }
            return MarkdownExport.claims(claims, disturbed: document.disturbed)
        case let .workload(workload, part):
            let report = document.report.only(workload: workload)
            let groups = report.groups
            guard !groups.isEmpty else {
                let measured = CellGroup.of(document.report.summaries.map(\.cell)).map(\.workload)
                throw BenchError.runFailed(
                    "run \(document.runID) measured no workload '\(workload)'",
                    fix: "name one of: \(measured.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", "))")
            }
            let sections = groups.map { group -> String in
                let text = switch part {
                case .report: export.section(for: group, in: report)
                case .table: export.table(for: group, in: report)
                case .verdicts: export.verdicts(for: group, in: report)
                case .fits: export.fits(for: group, in: report)
                }
                return groups.count > 1 && !text.isEmpty ? "**\(group.label)**\n\n" + text : text
            }
            let text = sections.filter { !$0.isEmpty }.joined(separator: "\n")
            guard !text.isEmpty else {
                throw BenchError.runFailed("run \(document.runID) has no \(part.rawValue) for \(workload)", fix: "show its table instead")
            }
            return text
        }
    }
}
