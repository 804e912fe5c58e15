/// Two runs cell by cell: the ratio of median wall times (new / old) with a
/// bootstrap interval, and whether the change is beyond the threshold.
struct RunComparison {
    /// One cell present in both runs.
    struct Row {
        let cell: RecordedCell
        let oldMedian: Double
        let newMedian: Double
        /// New median over old: above 1 is slower.
        let ratio: Double
        /// Nil when either run has a single sample of the cell.
        let interval: ClosedRange<Double>?
        let verdict: Verdict
    }

    /// What a cell's change amounts to, given the threshold.
    enum Verdict: String {
        case regressed
        case improved
        case unchanged
    }

    let rows: [Row]
    /// Cells measured in only one of the runs: not compared, but counted.
    let unmatched: Int

    /// A cell regressed when its whole interval of new/old lies above
    /// 1 + threshold (and improved when wholly below 1 - threshold). Without an
    /// interval (one sample) the ratio itself is held to the threshold.
    init(old: RecordedRun, new: RecordedRun, threshold: Double) {
        var rows: [Row] = []
        for (cell, oldWalls) in old.walls {
            guard let newWalls = new.walls[cell],
                  let oldMedian = Statistics.median(oldWalls), let newMedian = Statistics.median(newWalls), oldMedian > 0
            else { continue }
            let interval = Statistics.ratioInterval(baseline: newWalls, values: oldWalls)
            let low = interval?.lowerBound ?? newMedian / oldMedian
            let high = interval?.upperBound ?? newMedian / oldMedian
            let verdict: Verdict = low > 1 + threshold ? .regressed : high < 1 - threshold ? .improved : .unchanged
            rows.append(Row(
                cell: cell, oldMedian: oldMedian, newMedian: newMedian, ratio: newMedian / oldMedian,
                interval: interval, verdict: verdict))
        }
        self.rows = rows.sorted { $0.cell < $1.cell }
        let common = Set(old.walls.keys).intersection(new.walls.keys).count
        unmatched = old.walls.count + new.walls.count - 2 * common
    }

    var regressions: Int { rows.filter { $0.verdict == .regressed }.count }
    var improvements: Int { rows.filter { $0.verdict == .improved }.count }
}
