import Foundation
import Workloads

/// The end-of-run table on stdout: per workload and parameter set, every
/// cell's median wall time with its interval, speedup over its baseline and
/// efficiency. `precision` is the target of `--runs auto` (nil for a fixed
/// count): cells whose interval stopped short of it are marked.
public enum TerminalTable {
    public static func render(_ summaries: [CellSummary], languages: ModelLanguages = .catalog, precision: Double? = nil) -> String {
        var output = ""
        var groups: [GroupKey] = []
        for summary in summaries where !groups.contains(GroupKey(summary.cell)) {
            groups.append(GroupKey(summary.cell))
        }
        for group in groups {
            let rows = summaries.filter { GroupKey($0.cell) == group }
            output += heading(for: rows, languages: languages) + "\n"
            output += table(rows, precision: precision, languages: languages) + "\n"
            for note in languages.python.footnotes(rows.map(\.cell)) {
                output += "  \(note)\n"
            }
            if let precision, rows.contains(where: { stoppedShort($0, precision: precision) }) {
                output += "  * stopped short of ±\(percent(precision)): --max-runs, --max-time or --budget came first\n"
            }
            if rows.contains(where: isSuperlinear) {
                output += "  \(superlinearNote)\n"
            }
            if let note = waitingNote(rows) { output += note + "\n" }
        }
        return output
    }

    /// Cells printed under one heading: one workload with one set of parameters and tasks.
    private struct GroupKey: Equatable {
        let workload: String
        let parameters: ParameterValues
        let tasks: Int
        let cpus: [Int]?
        let interpreter: String?

        init(_ cell: Cell) {
            workload = cell.workload
            parameters = cell.parameters
            tasks = cell.tasks
            cpus = cell.cpus
            interpreter = cell.interpreter
        }
    }

    private static func heading(for rows: [CellSummary], languages: ModelLanguages) -> String {
        let cell = rows[0].cell
        var text = "\(cell.workload) (\(cell.kind.rawValue)): \(cell.tasks) tasks"
        if let amount = cell.work.amount { text += " x \(amount) \(cell.work.unit)" }
        if !cell.distinguishing.isEmpty { text += " [\(cell.distinguishing)]" }
        if let cpus = cell.cpus { text += " on CPUs \(Cell.cpuList(cpus))" }
        if let interpreter = cell.interpreter { text += " under \(interpreter)" }
        // For CPU work, the serial cost per unit of work is the floor every cell rests on.
        if cell.kind == .cpu, let amount = cell.work.amount, amount > 0,
           let serial = rows.first(where: { languages.isBaseline($0.cell.model) }) {
            let nanoseconds = serial.wall.median * 1e9 / Double(cell.tasks * amount)
            let unit = cell.work.unit.hasSuffix("s") ? String(cell.work.unit.dropLast()) : cell.work.unit
            text += "; \(serial.cell.model) \(String(format: "%.3f", nanoseconds)) ns per \(unit)"
        }
        return text
    }

    private static func table(_ rows: [CellSummary], precision: Double?, languages: ModelLanguages) -> String {
        let header = ["model", "shape", "workers", "n", "median wall", "95% CI of median", "±", "per task", "speedup", "efficiency", "cpu util"]
        let body = rows.map { summary -> [String] in
            [
                languages.label(of: summary.cell),
                summary.cell.shape.description,
                String(summary.cell.shape.workers),
                String(summary.wall.count),
                duration(summary.wall.median),
                interval(summary),
                halfWidth(summary, precision: precision),
                duration(summary.wall.median / Double(summary.cell.tasks)),
                speedup(summary),
                summary.efficiency.map { String(format: "%.2f", $0) } ?? "-",
                summary.cpuUtilisation.map { String(format: "%.2f", $0) } ?? "-",
            ]
        }
        return TextTable(header: header, rows: body, leftAligned: [0, 1]).render()
    }

    /// A waiting share worth naming: below it, a cell's threads found a core almost at once.
    static let notableWaitingShare = 0.10

    /// One line naming the cells whose workers spent a notable share of their
    /// time waiting for a CPU (`MeasuredMedians.waitingShare`): the measured
    /// reason a cell with more runnable threads than cores is slow.
    static func waitingNote(_ rows: [CellSummary]) -> String? {
        let notable = rows.compactMap { summary -> String? in
            guard let share = summary.measured.waitingShare(wallSeconds: summary.wall.median, workers: summary.cell.shape.workers),
                  share >= notableWaitingShare else { return nil }
            return "\(summary.cell.model) \(summary.cell.shape) \(Int((share * 100).rounded()))%"
        }
        guard !notable.isEmpty else { return nil }
        return "  waiting for a CPU (run-queue wait / (wall x workers)): " + notable.joined(separator: ", ")
    }

    /// `1.42`, or `3.17!` when superlinear (`superlinearNote`); `-` without a baseline.
    public static func speedup(_ summary: CellSummary) -> String {
        summary.speedup.map { String(format: "%.2f", $0) + (isSuperlinear(summary) ? "!" : "") } ?? "-"
    }

    static func isSuperlinear(_ summary: CellSummary) -> Bool {
        summary.speedup.map { ScalingFit.isSuperlinear(speedup: $0, workers: summary.cell.shape.workers) } ?? false
    }

    public static let superlinearNote = "! speedup above workers x \(ScalingFit.superlinearFactor): superlinear, check the baseline"

    /// `46.70 ms - 47.90 ms (96.9%)`, or `n=3, no interval`: the same text in every export.
    public static func interval(_ summary: CellSummary) -> String {
        guard let interval = summary.wallInterval else { return ConfidenceInterval.tableShortfall(count: summary.wall.count) }
        return "\(duration(interval.lowerBound)) - \(duration(interval.upperBound))\(interval.coverageNote)"
    }

    /// The interval's half-width in percent of the median, `*` when `--runs auto` stopped short of its precision.
    public static func halfWidth(_ summary: CellSummary, precision: Double?) -> String {
        let mark = precision.map { stoppedShort(summary, precision: $0) ? "*" : "" } ?? ""
        return (summary.wallHalfWidth.map { percent($0) } ?? "-") + mark
    }

    /// Whether a cell ended without reaching the precision `--runs auto` aimed at.
    public static func stoppedShort(_ summary: CellSummary, precision: Double) -> Bool {
        (summary.wallHalfWidth ?? .infinity) > precision
    }

    /// `1.2%`, `0.05%`.
    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return (value < 0.1 ? String(format: "%.2f", value) : value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)) + "%"
    }

    /// A duration with a unit a reader takes in at a glance: µs, ms or s.
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.2f µs", seconds * 1e6)
        case ..<1: String(format: "%.2f ms", seconds * 1e3)
        default: String(format: "%.3f s", seconds)
        }
    }
}
