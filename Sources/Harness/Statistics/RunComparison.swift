import Foundation

/// Two runs cell by cell: the ratio of median wall times (new / old) with its
/// order-statistic interval (`OrderStatistics.ratioOfMedians`), and whether
/// the change is beyond the threshold.
public struct RunComparison {
    /// One cell present in both runs.
    public struct Row {
        let cell: RecordedCell
        let oldMedian: Double
        let newMedian: Double
        /// New median over old: above 1 is slower.
        let ratio: Double
        /// Nil when the two runs' samples of the cell are too few for a 95% interval.
        let interval: ConfidenceInterval?
        let verdict: Verdict
        /// New CPU seconds over old (user + sys), with its interval.
        let cpu: Estimate?
        /// Whether the change of the median wall is smaller than the
        /// machine's floors for this cell; nil without a calibration.
        let withinFloors: Bool?
    }

    /// What a cell's change amounts to, given the threshold.
    enum Verdict: String {
        case regressed
        case improved
        case unchanged
        /// The runs have too few samples of the cell for an interval: no verdict.
        case inconclusive = "inconclusive (too few samples)"
    }

    public let rows: [Row]
    /// Cells measured in only one of the runs: not compared, but counted.
    public let unmatched: Int

    /// A cell regressed when its whole interval of new/old lies above
    /// 1 + threshold (and improved when wholly below 1 - threshold). Without an
    /// interval (fewer than 6 samples on a side, or 6 on both) there is no
    /// verdict: so few samples cannot tell a change from noise.
    public init(old: RecordedRun, new: RecordedRun, threshold: Double, floors: CalibrationFloors? = nil) {
        // A run of CSV contract v1 has no params column: compare the two on the other columns.
        let mixed = old.walls.keys.contains { $0.params == nil } != new.walls.keys.contains { $0.params == nil }
        let oldWalls = mixed ? Self.dropParameters(old.walls) : old.walls
        let newWalls = mixed ? Self.dropParameters(new.walls) : new.walls
        let oldCPU = mixed ? Self.dropParameters(old.cpu) : old.cpu
        let newCPU = mixed ? Self.dropParameters(new.cpu) : new.cpu
        var rows: [Row] = []
        for (cell, oldWalls) in oldWalls {
            guard let newWalls = newWalls[cell],
                  let oldMedian = Statistics.median(oldWalls), let newMedian = Statistics.median(newWalls), oldMedian > 0
            else { continue }
            let interval = OrderStatistics.ratioOfMedians(numerator: newWalls, denominator: oldWalls)
            let verdict: Verdict = if let interval {
                interval.lowerBound > 1 + threshold ? .regressed : interval.upperBound < 1 - threshold ? .improved : .unchanged
            } else {
                .inconclusive
            }
            let cpu = newCPU[cell].flatMap { new in oldCPU[cell].flatMap { old in Estimate(numerator: new, denominator: old) } }
            rows.append(Row(
                cell: cell, oldMedian: oldMedian, newMedian: newMedian, ratio: newMedian / oldMedian,
                interval: interval, verdict: verdict, cpu: cpu,
                withinFloors: floors.map { abs(newMedian - oldMedian) < $0.floor(for: cell) }))
        }
        self.rows = rows.sorted { $0.cell < $1.cell }
        let common = Set(oldWalls.keys).intersection(newWalls.keys).count
        unmatched = oldWalls.count + newWalls.count - 2 * common
    }

    private static func dropParameters(_ walls: [RecordedCell: [Double]]) -> [RecordedCell: [Double]] {
        Dictionary(walls.map { ($0.key.withoutParameters, $0.value) }) { $0 + $1 }
    }

    public var regressions: Int { rows.filter { $0.verdict == .regressed }.count }
    public var improvements: Int { rows.filter { $0.verdict == .improved }.count }
}

extension RunComparison {
    /// The comparison as a table, with a line of totals.
    public func render(old: RecordedRun, new: RecordedRun, thresholdPercent: Double) -> String {
        var text = "old: \(old.id)\nnew: \(new.id)\nthreshold: \(thresholdPercent)%\n\n"
        text += TextTable(header: Self.header, rows: tableRows, leftAligned: [0, 5, 7], indent: "").render()
        return text + "\n\n" + totals
    }

    /// The columns of the table, in the terminal and on the HTML page.
    public static let header = ["cell", "old median", "new median", "new/old", "95% CI", "verdict", "CPU new/old [95% CI]", "vs floors"]

    /// One row per cell under `header`, as plain text.
    public var tableRows: [[String]] {
        rows.map { row -> [String] in
            [
                row.cell.label,
                TerminalTable.duration(row.oldMedian),
                TerminalTable.duration(row.newMedian),
                String(format: "%.3f", row.ratio),
                row.interval.map { String(format: "%.3f - %.3f", $0.lowerBound, $0.upperBound) + $0.coverageNote } ?? "(too few samples)",
                row.verdict.rawValue,
                row.cpu?.description ?? "-",
                row.withinFloors.map { $0 ? "within" : "beyond" } ?? "-",
            ]
        }
    }

    /// Each row's model, for the HTML page's toggles.
    public var rowModels: [String] { rows.map(\.cell.model) }

    /// `105 cells compared: 2 regressed, 1 improved`, and the cells in only one run.
    public var totals: String {
        "\(rows.count) cells compared: \(regressions) regressed, \(improvements) improved"
            + (unmatched > 0 ? "; \(unmatched) cells in only one run were skipped" : "")
    }
}
