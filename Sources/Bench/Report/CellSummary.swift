import Workloads

/// The statistics of one cell's measured runs, exactly what a `summary.csv`
/// row holds. Built from samples only: exporters never re-measure.
struct CellSummary: Sendable {
    let cell: Cell
    let wall: Statistics
    let wallInterval: ClosedRange<Double>?
    /// Nil when the run has no serial cell with the same workload, work and tasks.
    let speedup: Double?
    let speedupInterval: ClosedRange<Double>?
    let userSeconds: Double
    let systemSeconds: Double
    let maxRSSKilobytes: Double
    let voluntarySwitches: Double
    let involuntarySwitches: Double

    var efficiency: Double? { speedup.map { $0 / Double(cell.shape.workers) } }
    var throughput: Double? { wall.median > 0 ? Double(cell.tasks) / wall.median : nil }
    /// The median of each run's own (user + sys) / wall: adding the median user
    /// time to the median system time of different runs could claim more busy
    /// cores than the machine has.
    let cpuUtilisation: Double?

    /// One summary per cell that has at least one good sample and did not
    /// fail, in matrix order.
    static func summarize(_ samples: [Sample], excluding failed: Set<Cell> = []) -> [CellSummary] {
        let good = samples.filter { $0.ok && !failed.contains($0.cell) }
        let byCell = Dictionary(grouping: good, by: \.cell)
        let baselines: [BaselineKey: [Double]] = Dictionary(
            uniqueKeysWithValues: byCell.filter { $0.key.model == .serial }.map {
                (BaselineKey($0.key), $0.value.map(\.wallSeconds))
            })
        return byCell.keys.sorted().compactMap { cell in
            let cellSamples = byCell[cell]!
            let walls = cellSamples.map(\.wallSeconds)
            guard let wall = Statistics(walls) else { return nil }
            let baseline = baselines[BaselineKey(cell)]
            let speedup = baseline.flatMap(Statistics.median).map { wall.median > 0 ? $0 / wall.median : nil } ?? nil
            func median(_ value: (Sample) -> Double) -> Double {
                Statistics.median(cellSamples.map(value)) ?? 0
            }
            return CellSummary(
                cell: cell, wall: wall, wallInterval: Statistics.medianInterval(walls),
                speedup: speedup,
                speedupInterval: baseline.flatMap { Statistics.ratioInterval(baseline: $0, values: walls) },
                userSeconds: median { $0.usage.userSeconds },
                systemSeconds: median { $0.usage.systemSeconds },
                maxRSSKilobytes: median { Double($0.maxRSSKilobytes) },
                voluntarySwitches: median { Double($0.usage.voluntarySwitches) },
                involuntarySwitches: median { Double($0.usage.involuntarySwitches) },
                cpuUtilisation: Statistics.median(cellSamples.filter { $0.wallSeconds > 0 }.map { $0.cpuSeconds / $0.wallSeconds }))
        }
    }
}

/// Cells whose serial run is their speedup baseline: same workload, work and tasks.
struct BaselineKey: Hashable {
    let workload: String
    let work: WorkSize
    let tasks: Int

    init(_ cell: Cell) {
        workload = cell.workload
        work = cell.work
        tasks = cell.tasks
    }
}
