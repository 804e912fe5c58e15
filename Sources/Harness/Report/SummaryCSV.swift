/// The columns of `summary.csv`, one row per cell (DESIGN.md).
public enum SummaryCSV {
    public static let header = [
        "workload", "kind", "model", "processes", "threads", "workers", "tasks", "work", "work_unit",
        "runs", "wall_median_s", "wall_min_s", "wall_max_s", "wall_mean_s", "wall_stddev_s",
        "wall_ci_lo_s", "wall_ci_hi_s", "speedup", "speedup_ci_lo", "speedup_ci_hi", "efficiency",
        "throughput_tps", "cpu_util", "user_s", "sys_s", "max_rss_kb", "vcsw", "ivcsw", "outliers",
        "task_p50_s", "task_p99_s", "params", "queue_p50_s", "queue_p99_s", "cpus",
    ] + RawCSV.measuredColumns + RawCSV.axisColumns

    static func row(_ summary: CellSummary) -> [String] {
        let cell = summary.cell
        let wall = summary.wall
        return cell.identityFields + [
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
            CSVFormat.seconds(summary.taskLatency?.p50),
            CSVFormat.seconds(summary.taskLatency?.p99),
            cell.parameters.description,
            CSVFormat.seconds(summary.queueDelay?.p50),
            CSVFormat.seconds(summary.queueDelay?.p99),
            cell.cpus.map(Cell.cpuList) ?? "",
            CSVFormat.decimal(summary.measured.pssKilobytes, places: 0),
            CSVFormat.decimal(summary.measured.ussKilobytes, places: 0),
            CSVFormat.seconds(summary.measured.runQueueWaitSeconds),
            CSVFormat.decimal(summary.measured.migrations, places: 1),
            CSVFormat.decimal(summary.measured.cycles, places: 0),
            CSVFormat.decimal(summary.measured.instructions, places: 0),
            CSVFormat.decimal(summary.measured.cacheMisses, places: 0),
            cell.interpreter ?? "",
        ]
    }
}
