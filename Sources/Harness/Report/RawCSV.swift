/// The columns of `raw.csv`, one row per measured sample (DESIGN.md, CSV contract v2).
public enum RawCSV {
    public static let header = [
        "run_id", "order", "workload", "kind", "model", "processes", "threads", "workers", "tasks",
        "work", "work_unit", "repeat", "wall_s", "setup_s", "user_s", "sys_s", "max_rss_kb",
        "vcsw", "ivcsw", "checksum", "ok", "task_p50_s", "task_p99_s", "params", "queue_p50_s", "queue_p99_s", "cpus",
    ] + measuredColumns + axisColumns

    /// The v3 columns (DESIGN.md, "New columns"), after every v2 column, in
    /// raw.csv and summary.csv alike: proportional and unique memory, the
    /// threads' run-queue wait and migrations, the hardware counters.
    static let measuredColumns = ["pss_kb", "uss_kb", "runq_wait_s", "migrations", "cycles", "instructions", "cache_misses"]

    /// Axes of the matrix added after the v3 columns, in raw.csv and
    /// summary.csv alike: the interpreter of a python-* cell when `--python`
    /// lists several (empty otherwise, and for Swift cells).
    static let axisColumns = ["interpreter"]

    static func row(_ sample: Sample, runID: String) -> [String] {
        let cell = sample.cell
        return [
            runID,
            String(sample.order),
        ] + cell.identityFields + [
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
            CSVFormat.seconds(sample.taskLatency?.p50),
            CSVFormat.seconds(sample.taskLatency?.p99),
            cell.parameters.description,
            CSVFormat.seconds(sample.queueDelay?.p50),
            CSVFormat.seconds(sample.queueDelay?.p99),
            cell.cpus.map(Cell.cpuList) ?? "",
            CSVFormat.integer(sample.account.memory?.pssKilobytes),
            CSVFormat.integer(sample.account.memory?.ussKilobytes),
            CSVFormat.seconds(sample.account.scheduling?.runQueueWaitSeconds),
            CSVFormat.integer(sample.account.scheduling?.migrations),
            CSVFormat.integer(sample.counters?.cycles),
            CSVFormat.integer(sample.counters?.instructions),
            CSVFormat.integer(sample.counters?.cacheMisses),
            cell.interpreter ?? "",
        ]
    }
}
