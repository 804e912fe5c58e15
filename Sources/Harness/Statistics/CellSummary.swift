import Engine
import Workloads

/// The statistics of one cell's measured samples, exactly what a
/// `summary.csv` row holds. Built from samples only: exporters never re-measure.
public struct CellSummary: Sendable {
    public let cell: Cell
    public let wall: Statistics
    /// The median's order-statistic interval; nil below 6 samples.
    public let wallInterval: ConfidenceInterval?
    /// Nil when the run has no baseline cell (serial of the same language)
    /// with the same workload, parameters and tasks.
    public let speedup: Double?
    /// The interval of the ratio of the two medians (`OrderStatistics.ratioOfMedians`).
    public let speedupInterval: ConfidenceInterval?
    public let userSeconds: Double
    public let systemSeconds: Double
    public let maxRSSKilobytes: Double
    public let voluntarySwitches: Double
    public let involuntarySwitches: Double
    /// Medians over samples of each sample's percentiles; nil where not taken.
    public let taskLatency: LatencyPercentiles?
    public let queueDelay: LatencyPercentiles?
    /// Medians over the samples that measured them (nil when none did) of
    /// PSS, USS, run-queue wait, migrations and the hardware counters.
    public var measured = MeasuredMedians()

    public var efficiency: Double? { speedup.map { $0 / Double(cell.shape.workers) } }
    /// Half the width of the median's interval over the median (0.02 is ±2%); nil without an interval.
    public var wallHalfWidth: Double? { wallInterval?.relativeHalfWidth(around: wall.median) }
    public var throughput: Double? { wall.median > 0 ? Double(cell.tasks) / wall.median : nil }
    /// The median of each sample's own (user + sys) / wall: adding the median
    /// user time to the median system time of different samples could claim
    /// more busy cores than the machine has.
    public let cpuUtilisation: Double?

    /// One summary per cell that has at least one good sample and did not
    /// fail, in matrix order; `languages` names each model's speedup baseline.
    public static func summarize(
        _ samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog
    ) -> [CellSummary] {
        let good = samples.filter { $0.ok && !failed.contains($0.cell) }
        let byCell = Dictionary(grouping: good, by: \.cell)
        var baselines: [BaselineKey: [Double]] = [:]
        // A baseline is its model's one-worker cell: a model that is its own baseline and
        // runs several shapes (seed-400's Python program) is measured against its 1x1.
        for (cell, cellSamples) in byCell where cell.shape.workers == 1 {
            baselines[BaselineKey(cell, model: cell.model)] = cellSamples.map(\.wallSeconds)
        }
        return byCell.keys.sorted().compactMap { cell in
            let cellSamples = byCell[cell]!
            let walls = cellSamples.map(\.wallSeconds)
            guard let wall = Statistics(walls) else { return nil }
            let reference = baselines[BaselineKey(cell, model: languages.baseline(of: cell.model))]
            let speedup = reference.flatMap(Statistics.median).flatMap { wall.median > 0 ? $0 / wall.median : nil }
            func median(_ value: (Sample) -> Double) -> Double {
                Statistics.median(cellSamples.map(value)) ?? 0
            }
            func medianLatency(_ value: (Sample) -> LatencyPercentiles?) -> LatencyPercentiles? {
                let values = cellSamples.compactMap(value)
                guard let p50 = Statistics.median(values.map(\.p50)), let p99 = Statistics.median(values.map(\.p99)) else { return nil }
                return LatencyPercentiles(p50: p50, p99: p99)
            }
            var summary = CellSummary(
                cell: cell, wall: wall, wallInterval: OrderStatistics.medianInterval(walls),
                speedup: speedup,
                speedupInterval: reference.flatMap { OrderStatistics.ratioOfMedians(numerator: $0, denominator: walls) },
                userSeconds: median { $0.usage.userSeconds },
                systemSeconds: median { $0.usage.systemSeconds },
                maxRSSKilobytes: median { Double($0.maxRSSKilobytes) },
                voluntarySwitches: median { Double($0.usage.voluntarySwitches) },
                involuntarySwitches: median { Double($0.usage.involuntarySwitches) },
                taskLatency: medianLatency(\.taskLatency), queueDelay: medianLatency(\.queueDelay),
                cpuUtilisation: Statistics.median(cellSamples.filter { $0.wallSeconds > 0 }.map { $0.cpuSeconds / $0.wallSeconds }))
            summary.measured = MeasuredMedians(cellSamples)
            return summary
        }
    }
}

/// The summary's medians of the v3 columns (`ResultsCSV.measuredColumns`): each
/// over the samples that have it, nil when none has.
public struct MeasuredMedians: Sendable {
    public var pssKilobytes: Double?
    public var ussKilobytes: Double?
    public var runQueueWaitSeconds: Double?
    public var migrations: Double?
    public var cycles: Double?
    public var instructions: Double?
    public var cacheMisses: Double?

    public init() {}

    init(_ samples: [Sample]) {
        func median(_ value: (Sample) -> Int?) -> Double? {
            Statistics.median(samples.compactMap(value).map(Double.init))
        }
        pssKilobytes = median { $0.account.memory?.pssKilobytes }
        ussKilobytes = median { $0.account.memory?.ussKilobytes }
        runQueueWaitSeconds = Statistics.median(samples.compactMap { $0.account.scheduling?.runQueueWaitSeconds })
        migrations = median { $0.account.scheduling?.migrations }
        cycles = median { $0.counters?.cycles }
        instructions = median { $0.counters?.instructions }
        cacheMisses = median { $0.counters?.cacheMisses }
    }

    /// The share of its workers' time that the cell spent waiting for a CPU:
    /// run-queue wait / (wall × workers), medians of both, where the wait is
    /// summed over every thread of every process of the cell (the workers, and
    /// a pool's parent, whose wait counts too: it is part of the cell). The
    /// mean number of threads waiting for a core is this × workers. 0 when every
    /// thread found a free core at once; near 1 - cores/workers when CPU-bound
    /// workers outnumber the cores; small for workers that mostly sleep, however
    /// long each wake-up waits. For the async shapes the workers are tasks in
    /// flight, not threads, so the share is of the tasks' time. Nil when the
    /// wait was not measured.
    public func waitingShare(wallSeconds: Double, workers: Int) -> Double? {
        guard let wait = runQueueWaitSeconds, wallSeconds > 0, workers > 0 else { return nil }
        return wait / (wallSeconds * Double(workers))
    }
}

/// Cells whose baseline model's samples give their speedup: same workload,
/// parameters and tasks, CPUs and interpreter, and the baseline's model name.
struct BaselineKey: Hashable {
    let workload: String
    let parameters: ParameterValues
    let tasks: Int
    let model: String
    let cpus: [Int]?
    let interpreter: String?

    init(_ cell: Cell, model: String) {
        workload = cell.workload
        parameters = cell.parameters
        tasks = cell.tasks
        self.model = model
        cpus = cell.cpus
        interpreter = cell.interpreter
    }
}
