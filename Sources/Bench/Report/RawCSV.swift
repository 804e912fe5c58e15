/// The columns of `raw.csv`, one row per measured run (DESIGN.md).
enum RawCSV {
    static let header = [
        "run_id", "order", "workload", "kind", "model", "processes", "threads", "workers", "tasks",
        "work", "work_unit", "repeat", "wall_s", "setup_s", "user_s", "sys_s", "max_rss_kb",
        "vcsw", "ivcsw", "checksum", "ok",
    ]

    static func row(_ sample: Sample, runID: String) -> [String] {
        let cell = sample.cell
        return [
            runID,
            String(sample.order),
            cell.workload,
            cell.kind.rawValue,
            cell.model.rawValue,
            String(cell.shape.processes),
            CSVFormat.integer(cell.shape.threads),
            String(cell.shape.workers),
            String(cell.tasks),
            CSVFormat.integer(cell.work.amount),
            cell.work.unit,
            String(sample.repetition),
            CSVFormat.seconds(sample.wallSeconds),
            CSVFormat.seconds(sample.setupSeconds),
            CSVFormat.decimal(sample.usage.userSeconds, places: 6),
            CSVFormat.decimal(sample.usage.systemSeconds, places: 6),
            String(sample.maxRSSKilobytes),
            String(sample.usage.voluntarySwitches),
            String(sample.usage.involuntarySwitches),
            sample.checksum.description,
            sample.ok ? "true" : "false",
        ]
    }
}
