import Engine
import Platform
import Workloads

/// The run data model: the columns of `raw.csv` (one row per sample) and
/// `summary.csv` (one row per cell), written and read here and nowhere else
/// (DESIGN.md, "results/ and CSV"). What one row says of its cell is one
/// table of columns both files share; a raw.csv row reads back into the
/// sample it was written from, so that everything a run concludes (its
/// summaries, verdicts and fits) can be rebuilt from raw.csv alone: `bench
/// report`, `bench compare`.
public enum ResultsCSV {
    /// A column: its name and how a row's field is written.
    struct Column<Row>: Sendable {
        let name: String
        let write: @Sendable (Row) -> String

        init(_ name: String, _ write: @escaping @Sendable (Row) -> String) {
            self.name = name
            self.write = write
        }
    }

    /// A sample and the run it belongs to: what a raw.csv row is written from.
    typealias RawRow = (sample: Sample, runID: String)

    // MARK: - The columns

    /// What identifies a cell, `workload` to `work_unit`, in both files (its
    /// parameters and CPUs come later, in `params` and `cpus`: columns are only ever appended).
    static let cellColumns: [Column<Cell>] = [
        Column("workload") { $0.workload },
        Column("kind") { $0.kind.rawValue },
        Column("model") { $0.model },
        Column("processes") { String($0.shape.processes) },
        Column("threads") { CSVFormat.integer($0.shape.threads) },
        Column("workers") { String($0.shape.workers) },
        Column("tasks") { String($0.tasks) },
        Column("work") { CSVFormat.integer($0.work.amount) },
        Column("work_unit") { $0.work.unit },
    ]

    /// The v3 columns (DESIGN.md, "New columns"), after every v2 column, in
    /// raw.csv and summary.csv alike: proportional and unique memory, the
    /// threads' run-queue wait and migrations, the hardware counters.
    public static let measuredColumns = ["pss_kb", "uss_kb", "runq_wait_s", "migrations", "cycles", "instructions", "cache_misses"]

    static let rawColumns: [Column<RawRow>] =
        [Column("run_id") { $0.runID }, Column("order") { String($0.sample.order) }]
        + cellColumns.map { column in Column(column.name) { column.write($0.sample.cell) } }
        + [
            Column("repeat") { String($0.sample.repetition) },
            Column("wall_s") { CSVFormat.seconds($0.sample.wallSeconds) },
            Column("setup_s") { CSVFormat.seconds($0.sample.setupSeconds) },
            Column("user_s") { CSVFormat.decimal($0.sample.usage.userSeconds, places: 6) },
            Column("sys_s") { CSVFormat.decimal($0.sample.usage.systemSeconds, places: 6) },
            Column("max_rss_kb") { String($0.sample.maxRSSKilobytes) },
            Column("vcsw") { String($0.sample.usage.voluntarySwitches) },
            Column("ivcsw") { String($0.sample.usage.involuntarySwitches) },
            Column("checksum") { $0.sample.checksum.description },
            Column("ok") { $0.sample.ok ? "true" : "false" },
            Column("task_p50_s") { CSVFormat.seconds($0.sample.taskLatency?.p50) },
            Column("task_p99_s") { CSVFormat.seconds($0.sample.taskLatency?.p99) },
            Column("params") { $0.sample.cell.parameters.description },
            Column("queue_p50_s") { CSVFormat.seconds($0.sample.queueDelay?.p50) },
            Column("queue_p99_s") { CSVFormat.seconds($0.sample.queueDelay?.p99) },
            Column("cpus") { $0.sample.cell.cpus.map(Cell.cpuList) ?? "" },
            Column("pss_kb") { CSVFormat.integer($0.sample.account.memory?.pssKilobytes) },
            Column("uss_kb") { CSVFormat.integer($0.sample.account.memory?.ussKilobytes) },
            Column("runq_wait_s") { CSVFormat.seconds($0.sample.account.scheduling?.runQueueWaitSeconds) },
            Column("migrations") { CSVFormat.integer($0.sample.account.scheduling?.migrations) },
            Column("cycles") { CSVFormat.integer($0.sample.counters?.cycles) },
            Column("instructions") { CSVFormat.integer($0.sample.counters?.instructions) },
            Column("cache_misses") { CSVFormat.integer($0.sample.counters?.cacheMisses) },
            Column("interpreter") { $0.sample.cell.interpreter ?? "" },
        ]

    static let summaryColumns: [Column<CellSummary>] =
        cellColumns.map { column in Column(column.name) { column.write($0.cell) } }
        + [
            Column("runs") { String($0.wall.count) },
            Column("wall_median_s") { CSVFormat.seconds($0.wall.median) },
            Column("wall_min_s") { CSVFormat.seconds($0.wall.minimum) },
            Column("wall_max_s") { CSVFormat.seconds($0.wall.maximum) },
            Column("wall_mean_s") { CSVFormat.seconds($0.wall.mean) },
            Column("wall_stddev_s") { CSVFormat.seconds($0.wall.standardDeviation) },
            Column("wall_ci_lo_s") { CSVFormat.seconds($0.wallInterval?.lowerBound) },
            Column("wall_ci_hi_s") { CSVFormat.seconds($0.wallInterval?.upperBound) },
            Column("speedup") { CSVFormat.decimal($0.speedup, places: 4) },
            Column("speedup_ci_lo") { CSVFormat.decimal($0.speedupInterval?.lowerBound, places: 4) },
            Column("speedup_ci_hi") { CSVFormat.decimal($0.speedupInterval?.upperBound, places: 4) },
            Column("efficiency") { CSVFormat.decimal($0.efficiency, places: 4) },
            Column("throughput_tps") { CSVFormat.decimal($0.throughput, places: 3) },
            Column("cpu_util") { CSVFormat.decimal($0.cpuUtilisation, places: 4) },
            Column("user_s") { CSVFormat.decimal($0.userSeconds, places: 6) },
            Column("sys_s") { CSVFormat.decimal($0.systemSeconds, places: 6) },
            Column("max_rss_kb") { CSVFormat.decimal($0.maxRSSKilobytes, places: 0) },
            Column("vcsw") { CSVFormat.decimal($0.voluntarySwitches, places: 1) },
            Column("ivcsw") { CSVFormat.decimal($0.involuntarySwitches, places: 1) },
            Column("outliers") { String($0.wall.outliers) },
            Column("task_p50_s") { CSVFormat.seconds($0.taskLatency?.p50) },
            Column("task_p99_s") { CSVFormat.seconds($0.taskLatency?.p99) },
            Column("params") { $0.cell.parameters.description },
            Column("queue_p50_s") { CSVFormat.seconds($0.queueDelay?.p50) },
            Column("queue_p99_s") { CSVFormat.seconds($0.queueDelay?.p99) },
            Column("cpus") { $0.cell.cpus.map(Cell.cpuList) ?? "" },
            Column("pss_kb") { CSVFormat.decimal($0.measured.pssKilobytes, places: 0) },
            Column("uss_kb") { CSVFormat.decimal($0.measured.ussKilobytes, places: 0) },
            Column("runq_wait_s") { CSVFormat.seconds($0.measured.runQueueWaitSeconds) },
            Column("migrations") { CSVFormat.decimal($0.measured.migrations, places: 1) },
            Column("cycles") { CSVFormat.decimal($0.measured.cycles, places: 0) },
            Column("instructions") { CSVFormat.decimal($0.measured.instructions, places: 0) },
            Column("cache_misses") { CSVFormat.decimal($0.measured.cacheMisses, places: 0) },
            Column("interpreter") { $0.cell.interpreter ?? "" },
        ]

    // MARK: - Writing

    /// raw.csv's header.
    public static let rawHeader = rawColumns.map(\.name)

    /// summary.csv's header.
    public static let summaryHeader = summaryColumns.map(\.name)

    /// A raw.csv row; `columns` (a header read from an older file) writes
    /// those columns only, in their order, so that a file read back is written again byte for byte.
    public static func rawRow(_ sample: Sample, runID: String, columns: [String] = rawHeader) -> [String] {
        fields(of: (sample, runID), in: rawColumns, named: columns)
    }

    /// A summary.csv row, of `columns` as `rawRow`.
    public static func summaryRow(_ summary: CellSummary, columns: [String] = summaryHeader) -> [String] {
        fields(of: summary, in: summaryColumns, named: columns)
    }

    /// summary.csv whole: its header and one line per cell.
    public static func summaryText(_ summaries: [CellSummary], columns: [String] = summaryHeader) -> String {
        ([CSVFormat.line(columns)] + summaries.map { CSVFormat.line(summaryRow($0, columns: columns)) }).map { $0 + "\n" }.joined()
    }

    private static func fields<Row>(of row: Row, in table: [Column<Row>], named names: [String]) -> [String] {
        if names.count == table.count && zip(names, table).allSatisfy({ $0 == $1.name }) {
            return table.map { $0.write(row) }
        }
        return names.map { name in table.first { $0.name == name }?.write(row) ?? "" }
    }

    /// `sample` with every figure as raw.csv holds it (seconds to the
    /// nanosecond, CPU time to the microsecond): what the run concludes from
    /// is then exactly what a reader of raw.csv can conclude again.
    public static func asWritten(_ sample: Sample) -> Sample {
        let row = RowFields(header: rawHeader, fields: rawRow(sample, runID: ""))
        guard let read = try? self.sample(of: sample.cell, row) else { return sample }
        // The checksum keeps its task count (a failed check names it), which raw.csv does not hold.
        return Sample(
            cell: sample.cell, order: sample.order, repetition: sample.repetition, wallSeconds: read.wallSeconds,
            setupSeconds: read.setupSeconds, usage: read.usage, maxRSSKilobytes: sample.maxRSSKilobytes, checksum: sample.checksum,
            ok: sample.ok, taskLatency: read.taskLatency, queueDelay: read.queueDelay, account: read.account, counters: sample.counters)
    }

    // MARK: - Reading

    /// One row of a file, its fields found by column name.
    public struct RowFields {
        let column: [String: Int]
        let fields: [String]

        public init(header: [String], fields: [String]) {
            column = Dictionary(header.enumerated().map { ($1, $0) }) { first, _ in first }
            self.fields = fields
        }

        /// The field of `name`, nil when the file has no such column.
        public subscript(name: String) -> String? {
            column[name].flatMap { $0 < fields.count ? fields[$0] : nil }
        }

        /// The field of `name`, empty when absent.
        func text(_ name: String) -> String { self[name] ?? "" }
        func double(_ name: String) -> Double? { self[name].flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil } }
        func integer(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
    }

    /// The cell a row describes, its parameters parsed through its workload's
    /// declaration (a value it declares gets its kind: a number, a flag;
    /// anything else, a workload this program does not know included, is kept
    /// as text) and `distinguishing` drawn as the plan draws it: the parameters
    /// that differ from the declared defaults (`quick`: the quick ones).
    public static func cell(_ row: RowFields, index: Int, quick: Bool) -> Cell {
        let workload = row.text("workload")
        let declaration = WorkloadRegistry.declaration(named: workload)
        var parameters = ParameterValues()
        for (name, value) in (try? ParameterValues.pairs(row.text("params"))) ?? [] {
            parameters[name] = declaration?.parameter(named: name).flatMap { try? $0.parse(value) } ?? .text(value)
        }
        let distinguishing = Cell.distinguishing(parameters, from: declaration, quick: quick)
        let processes = max(1, row.integer("processes") ?? 1)
        let workers = max(1, row.integer("workers") ?? 1)
        let shape: Shape = if let threads = row.integer("threads") {
            .processes(processes, threadsEach: threads)
        } else if processes == 1 {
            .inFlight(workers)
        } else {
            .processes(processes, inFlightEach: max(1, workers / processes))
        }
        let cpus = row.text("cpus").split(separator: "+").compactMap { Int($0) }
        return Cell(
            index: index, workload: workload, kind: WorkloadKind(rawValue: row.text("kind")) ?? declaration?.kind ?? .cpu,
            work: WorkSize(amount: row.integer("work"), unit: row.text("work_unit")), parameters: parameters, model: row.text("model"),
            shape: shape, tasks: row.integer("tasks") ?? 0, distinguishing: distinguishing, cpus: cpus.isEmpty ? nil : cpus,
            // Runs from before the interpreter axis had one interpreter.
            interpreter: row["interpreter"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// What identifies a row's cell across the files of a run: its cell columns, params and cpus as written.
    public static func cellKey(_ row: RowFields) -> [String] {
        (cellColumns.map(\.name) + ["params", "cpus", "interpreter"]).map { row.text($0) }
    }

    /// The sample a raw.csv row holds, of `cell` (`cell(_:index:quick:)`).
    /// Throws when `wall_s` is not a number; a column the file lacks is a figure not measured.
    public static func sample(of cell: Cell, _ row: RowFields) throws -> Sample {
        guard let wall = row.double("wall_s") else {
            throw BenchError.runFailed("no numeric wall_s", fix: "the file is damaged")
        }
        func latency(_ prefix: String) -> LatencyPercentiles? {
            guard let p50 = row.double(prefix + "_p50_s"), let p99 = row.double(prefix + "_p99_s") else { return nil }
            return LatencyPercentiles(p50: p50, p99: p99)
        }
        let memory = row.integer("pss_kb").flatMap { pss in row.integer("uss_kb").map { ProportionalMemory(pssKilobytes: pss, ussKilobytes: $0) } }
        let scheduling = row.double("runq_wait_s").map {
            SchedulerStatistics(runQueueWaitNanoseconds: Int(($0 * 1e9).rounded()), migrations: row.integer("migrations"))
        }
        var counters: HardwareCounters?
        if let cycles = row.integer("cycles"), let instructions = row.integer("instructions"), let misses = row.integer("cache_misses") {
            counters = HardwareCounters(cycles: cycles, instructions: instructions, cacheMisses: misses)
        }
        let checksum = row.text("checksum")
        return Sample(
            cell: cell, order: row.integer("order") ?? 0, repetition: row.integer("repeat") ?? 0, wallSeconds: wall,
            setupSeconds: row.double("setup_s") ?? 0,
            usage: ResourceUsage(
                userSeconds: row.double("user_s") ?? 0, systemSeconds: row.double("sys_s") ?? 0,
                voluntarySwitches: row.integer("vcsw") ?? 0, involuntarySwitches: row.integer("ivcsw") ?? 0),
            maxRSSKilobytes: row.integer("max_rss_kb") ?? 0,
            checksum: Checksum(value: UInt64(checksum.hasPrefix("0x") ? String(checksum.dropFirst(2)) : checksum, radix: 16) ?? 0, taskCount: cell.tasks),
            ok: row.text("ok") == "true", taskLatency: latency("task"), queueDelay: latency("queue"),
            account: ProcessAccount(memory: memory, scheduling: scheduling), counters: counters)
    }
}
