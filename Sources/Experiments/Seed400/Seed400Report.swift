import Foundation
import Harness
import Workloads

/// The seed-400 results beside the tutorial's: a table per sink on the
/// terminal and `experiment.csv` for plot.sh.
struct Seed400Report {
    let results: InvocationResults
    let sinks: [SinkKind]
    let items: Int
    /// Python's split of the items (`even` or `tutorial`).
    var split = "even"

    var summaries: [CellSummary] { results.summaries }

    static let csvHeader = [
        "sink", "config", "language", "processes", "threads", "items", "seed_s", "measured_median_s",
        "measured_min_s", "measured_max_s", "runs", "ratio_4x400_1x400", "ratio_ci_lo", "ratio_ci_hi", "verdict",
    ]

    /// The measured cell of a configuration, in Swift (`hybrid`) or Python.
    func summary(_ configuration: Seed400Configuration, sink: SinkKind, python: Bool) -> CellSummary? {
        summaries.first {
            $0.cell.model == (python ? TutorialProgramModel.modelName : "hybrid") && $0.cell.shape == configuration.shape
                && $0.cell.parameters.text("sink") == sink.rawValue
        }
    }

    func csv() -> String {
        var lines = [CSVFormat.line(Self.csvHeader)]
        for sink in sinks {
            for configuration in Seed400Configuration.all {
                for python in [true, false] {
                    guard let summary = summary(configuration, sink: sink, python: python) else { continue }
                    let isClaim = configuration == Seed400Configuration.fourProcesses
                    let claim = isClaim ? ratio(sink: sink, python: python) : nil
                    lines.append(CSVFormat.line([
                        sink.rawValue, configuration.name, python ? "python" : "swift", String(configuration.processes),
                        String(configuration.threads), String(items), CSVFormat.decimal(configuration.seedSeconds, places: 3),
                        CSVFormat.seconds(summary.wall.median), CSVFormat.seconds(summary.wall.minimum),
                        CSVFormat.seconds(summary.wall.maximum), String(summary.wall.count),
                        CSVFormat.decimal(claim?.value, places: 4), CSVFormat.decimal(claim?.interval?.lowerBound, places: 4),
                        CSVFormat.decimal(claim?.interval?.upperBound, places: 4),
                        isClaim ? verdicts[ClaimKey(sink: sink, python: python)]?.csvValue ?? "" : "",
                    ]))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per sink: seed, Python and Swift medians per configuration, the
    /// 4x400 / 1x400 ratios, and the CPU and context switches behind them.
    func table() -> String {
        var text = ""
        for sink in sinks {
            text += "\nseed-400, \(items) items printed to the \(sink.rawValue) sink (medians; seed: Python on Windows, \(Seed400Configuration.seedItems) items)\n"
            let printed = TutorialProgramModel.printedItems(items: items, processes: Seed400Configuration.fourProcesses.processes, split: split)
            if printed.count < items {
                text += "Python with --split tutorial: its \(Seed400Configuration.fourProcesses.processes)-process configurations print \(printed.count) of the \(items) items (the tutorial's ranges leave out \(items - printed.count))\n"
            }
            let header = ["configuration", "seed", "Python", "Swift", "Swift/Python", "CPU s Py | Sw", "vol. switches Py | Sw", "invol. switches Py | Sw"]
            var rows: [[String]] = []
            for configuration in Seed400Configuration.all {
                let python = summary(configuration, sink: sink, python: true)
                let swift = summary(configuration, sink: sink, python: false)
                rows.append([
                    configuration.description,
                    configuration.seedSeconds.map { String(format: "%.0f s", $0) } ?? "-",
                    python.map { TerminalTable.duration($0.wall.median) } ?? "-",
                    swift.map { TerminalTable.duration($0.wall.median) } ?? "-",
                    ratio(swift?.wall.median, python?.wall.median),
                    pair(python.map { $0.userSeconds + $0.systemSeconds }, swift.map { $0.userSeconds + $0.systemSeconds }, "%.2f"),
                    pair(python?.voluntarySwitches, swift?.voluntarySwitches, "%.0f"),
                    pair(python?.involuntarySwitches, swift?.involuntarySwitches, "%.0f"),
                ])
            }
            let one = Seed400Configuration.oneProcess
            let four = Seed400Configuration.fourProcesses
            rows.append([
                "ratio 4x400 / 1x400", ratio(four.seedSeconds, one.seedSeconds),
                ratio(sink: sink, python: true)?.description ?? "-", ratio(sink: sink, python: false)?.description ?? "-",
                "", "", "", "",
            ])
            let mark = results.disturbed ? VerdictPolicy.disturbedMark : ""
            rows.append([
                "claim: 4x400 slower", "holds", verdicts[ClaimKey(sink: sink, python: true)].map { $0.rawValue + mark } ?? "-",
                verdicts[ClaimKey(sink: sink, python: false)].map { $0.rawValue + mark } ?? "-", "", "", "", "",
            ])
            text += TextTable(header: header, rows: rows).render() + "\n"
        }
        return text + "  \(ClaimsReport.familyNote(checks.count))\n"
    }

    /// One check of the claim: a sink and a language.
    struct ClaimKey: Hashable {
        let sink: SinkKind
        let python: Bool
    }

    /// The claims table (its own layout above is what the terminal shows): written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "seed-400: the seed's claim, measured (4x400 / 1x400 median wall)", checks: checks.map(\.check))
    }

    /// The claim "4x400 is slower than 1x400" (a ratio above 1), per sink and language measured.
    var checks: [(key: ClaimKey, check: ClaimCheck)] {
        sinks.flatMap { sink in
            [true, false].compactMap { python -> (ClaimKey, ClaimCheck)? in
                guard let ratio = ratio(sink: sink, python: python) else { return nil }
                return (ClaimKey(sink: sink, python: python), ClaimCheck(
                    id: "4x400-slower-\(sink.rawValue)", claim: Seed400Experiment.claim, prediction: "4x400 / 1x400 > 1",
                    language: python ? "python" : "swift", measured: ratio, line: 1, above: true))
            }
        }
    }

    /// The checks' verdicts, judged as one family (Holm).
    var verdicts: [ClaimKey: ClaimVerdict] {
        let checks = checks
        return Dictionary(uniqueKeysWithValues: zip(checks.map(\.key), ClaimCheck.verdicts(checks.map(\.check))))
    }

    /// The 4x400 / 1x400 ratio of median walls, with its 95% interval.
    func ratio(sink: SinkKind, python: Bool) -> Estimate? {
        guard let four = summary(Seed400Configuration.fourProcesses, sink: sink, python: python),
              let one = summary(Seed400Configuration.oneProcess, sink: sink, python: python) else { return nil }
        return Estimate(numerator: results.walls(of: four.cell), denominator: results.walls(of: one.cell))
    }

    private func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "-" }
        return String(format: "%.2f", numerator / denominator)
    }

    private func pair(_ python: Double?, _ swift: Double?, _ format: String) -> String {
        "\(python.map { String(format: format, $0) } ?? "-") | \(swift.map { String(format: format, $0) } ?? "-")"
    }
}
