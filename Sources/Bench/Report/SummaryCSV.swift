/// The columns of `summary.csv`, one row per cell (DESIGN.md).
enum SummaryCSV {
    static let header = [
        "workload", "kind", "model", "processes", "threads", "workers", "tasks", "work", "work_unit",
        "runs", "wall_median_s", "wall_min_s", "wall_max_s", "wall_mean_s", "wall_stddev_s",
        "wall_ci_lo_s", "wall_ci_hi_s", "speedup", "speedup_ci_lo", "speedup_ci_hi", "efficiency",
        "throughput_tps", "cpu_util", "user_s", "sys_s", "max_rss_kb", "vcsw", "ivcsw", "outliers",
    ]

    static func row(_ summary: CellSummary) -> [String] {
        let cell = summary.cell
        let wall = summary.wall
        return [
            cell.workload,
            cell.kind.rawValue,
            cell.model.rawValue,
            String(cell.shape.processes),
            CSVFormat.integer(cell.shape.threads),
            String(cell.shape.workers),
            String(cell.tasks),
            CSVFormat.integer(cell.work.amount),
            cell.work.unit,
            String(wall.count),
            CSVFormat.seconds(wall.median),
            CSVFormat.seconds(wall.minimum),
            CSVFormat.seconds(wall.maximum),
            CSVFormat.seconds(wall.mean),
            CSVFormat.seconds(wall.standardDeviation),
            CSVFormat.seconds(summary.wallInterval?.lowerBound),
            CSVFormat.seconds(summary.wallInterval?.upperBound),
            CSVFormat.decimal(summary.speedup, places: 4),
            CSVFormat.decimal(summary.speedupInterval?.lowerBound, places: 4),
            CSVFormat.decimal(summary.speedupInterval?.upperBound, places: 4),
            CSVFormat.decimal(summary.efficiency, places: 4),
            CSVFormat.decimal(summary.throughput, places: 3),
            CSVFormat.decimal(summary.cpuUtilisation, places: 4),
            CSVFormat.decimal(summary.userSeconds, places: 6),
            CSVFormat.decimal(summary.systemSeconds, places: 6),
            CSVFormat.decimal(summary.maxRSSKilobytes, places: 0),
            CSVFormat.decimal(summary.voluntarySwitches, places: 1),
            CSVFormat.decimal(summary.involuntarySwitches, places: 1),
            String(wall.outliers),
        ]
    }
}
