import Foundation

/// The end-of-run table on stdout: per workload, every cell's median wall
/// time with its interval, speedup over serial and efficiency.
enum TerminalTable {
    static func render(_ summaries: [CellSummary]) -> String {
        var output = ""
        var workloadsInOrder: [String] = []
        for summary in summaries where !workloadsInOrder.contains(summary.cell.workload) {
            workloadsInOrder.append(summary.cell.workload)
        }
        for workload in workloadsInOrder {
            let rows = summaries.filter { $0.cell.workload == workload }
            output += heading(for: rows) + "\n"
            output += table(rows) + "\n"
        }
        return output
    }

    private static func heading(for rows: [CellSummary]) -> String {
        let cell = rows[0].cell
        var text = "\(cell.workload) (\(cell.kind.rawValue)): \(cell.tasks) tasks"
        if let amount = cell.work.amount { text += " x \(amount) \(cell.work.unit)" }
        // The xor loop's cost per iteration is the CPU floor every xor cell rests on.
        if cell.workload == "xor", let amount = cell.work.amount,
           let serial = rows.first(where: { $0.cell.model == .serial }) {
            let nanoseconds = serial.wall.median * 1e9 / Double(cell.tasks * amount)
            text += "; serial loop \(String(format: "%.3f", nanoseconds)) ns/iteration"
        }
        return text
    }

    private static func table(_ rows: [CellSummary]) -> String {
        let header = ["model", "shape", "workers", "median wall", "95% CI of median", "per task", "speedup", "efficiency", "cpu util"]
        let body = rows.map { summary -> [String] in
            [
                summary.cell.model.rawValue,
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

    /// A duration with a unit a reader takes in at a glance: µs, ms or s.
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.2f µs", seconds * 1e6)
        case ..<1: String(format: "%.2f ms", seconds * 1e3)
        default: String(format: "%.3f s", seconds)
        }
    }
}
