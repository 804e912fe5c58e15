import Foundation

/// The seed-400 results beside the tutorial's: a table per sink on the
/// terminal and `experiment.csv` for plot.sh.
struct Seed400Report {
    let summaries: [CellSummary]
    let sinks: [SinkKind]
    let items: Int

    static let csvHeader = [
        "sink", "config", "language", "processes", "threads", "items", "seed_s", "measured_median_s",
        "measured_min_s", "measured_max_s", "runs",
    ]

    /// The measured cell of a configuration, in Swift (`hybrid`) or Python.
    func summary(_ configuration: Seed400Configuration, sink: SinkKind, python: Bool) -> CellSummary? {
        summaries.first {
            $0.cell.model == (python ? .pythonHybrid : .hybrid) && $0.cell.shape == configuration.shape
                && $0.cell.parameters.sink == sink.rawValue
        }
    }

    func csv() -> String {
        var lines = [CSVFormat.line(Self.csvHeader)]
        for sink in sinks {
            for configuration in Seed400Configuration.all {
                for python in [true, false] {
                    guard let summary = summary(configuration, sink: sink, python: python) else { continue }
                    lines.append(CSVFormat.line([
                        sink.rawValue, configuration.name, python ? "python" : "swift", String(configuration.processes),
                        String(configuration.threads), String(items), CSVFormat.decimal(configuration.seedSeconds, places: 3),
                        CSVFormat.seconds(summary.wall.median), CSVFormat.seconds(summary.wall.minimum),
                        CSVFormat.seconds(summary.wall.maximum), String(summary.wall.count),
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
            func time(_ configuration: Seed400Configuration, python: Bool) -> Double? {
                summary(configuration, sink: sink, python: python)?.wall.median
            }
            rows.append([
                "ratio 4x400 / 1x400", ratio(four.seedSeconds, one.seedSeconds),
                ratio(time(four, python: true), time(one, python: true)), ratio(time(four, python: false), time(one, python: false)),
                "", "", "", "",
            ])
            text += TextTable(header: header, rows: rows).render() + "\n"
        }
        return text
    }

    private func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "-" }
        return String(format: "%.2f", numerator / denominator)
    }

    private func pair(_ python: Double?, _ swift: Double?, _ format: String) -> String {
        "\(python.map { String(format: format, $0) } ?? "-") | \(swift.map { String(format: format, $0) } ?? "-")"
    }
}
