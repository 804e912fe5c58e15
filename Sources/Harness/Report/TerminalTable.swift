import Foundation
import Workloads

/// The end-of-run table on stdout: per workload and parameter set, every
/// cell's median wall time with its interval, speedup over its baseline and
/// efficiency.
public enum TerminalTable {
    public static func render(_ summaries: [CellSummary], languages: ModelLanguages = .catalog) -> String {
        var output = ""
        var groups: [GroupKey] = []
        for summary in summaries where !groups.contains(GroupKey(summary.cell)) {
            groups.append(GroupKey(summary.cell))
        }
        for group in groups {
            let rows = summaries.filter { GroupKey($0.cell) == group }
            output += heading(for: rows, languages: languages) + "\n"
            output += table(rows) + "\n"
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

        init(_ cell: Cell) {
            workload = cell.workload
            parameters = cell.parameters
            tasks = cell.tasks
            cpus = cell.cpus
        }
    }

    private static func heading(for rows: [CellSummary], languages: ModelLanguages) -> String {
        let cell = rows[0].cell
        var text = "\(cell.workload) (\(cell.kind.rawValue)): \(cell.tasks) tasks"
        if let amount = cell.work.amount { text += " x \(amount) \(cell.work.unit)" }
        if !cell.distinguishing.isEmpty { text += " [\(cell.distinguishing)]" }
        if let cpus = cell.cpus { text += " on CPUs \(Cell.cpuList(cpus))" }
        // For CPU work, the serial cost per unit of work is the floor every cell rests on.
        if cell.kind == .cpu, let amount = cell.work.amount, amount > 0,
           let serial = rows.first(where: { languages.isBaseline($0.cell.model) }) {
            let nanoseconds = serial.wall.median * 1e9 / Double(cell.tasks * amount)
            let unit = cell.work.unit.hasSuffix("s") ? String(cell.work.unit.dropLast()) : cell.work.unit
            text += "; \(serial.cell.model) \(String(format: "%.3f", nanoseconds)) ns per \(unit)"
        }
        return text
    }

    private static func table(_ rows: [CellSummary]) -> String {
        let header = ["model", "shape", "workers", "median wall", "95% CI of median", "per task", "speedup", "efficiency", "cpu util"]
        let body = rows.map { summary -> [String] in
            [
                summary.cell.model,
                summary.cell.shape.description,
                String(summary.cell.shape.workers),
                duration(summary.wall.median),
                summary.wallInterval.map { "\(duration($0.lowerBound)) - \(duration($0.upperBound))" } ?? "-",
                duration(summary.wall.median / Double(summary.cell.tasks)),
                summary.speedup.map { String(format: "%.2f", $0) } ?? "-",
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

    /// A duration with a unit a reader takes in at a glance: µs, ms or s.
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.2f µs", seconds * 1e6)
        case ..<1: String(format: "%.2f ms", seconds * 1e3)
        default: String(format: "%.3f s", seconds)
        }
    }
}
