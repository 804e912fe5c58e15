import Foundation
import Platform

/// A finished run read back from its folder through the run data model
/// (`ResultsCSV`): every sample of raw.csv, its cells numbered in
/// summary.csv's order (the matrix's), and meta.json. From these `bench
/// report` rebuilds what the run concluded, and `bench compare` takes each
/// cell's wall and CPU times, keyed by what identifies a cell across runs.
///
/// Columns are found by name, so raw.csv of either CSV contract reads: v1
/// (no `params`) and v2, with or without the later columns. Every row must
/// have the header's field count, or the file is damaged (an error naming
/// the line); only a last row without its line end, which a crash in the
/// middle of a write leaves, is skipped, with a warning (`warnings`).
public struct RecordedRun {
    public let id: String
    public let folder: String
    /// Every sample of raw.csv, good or not, in the file's order.
    public let samples: [Sample]
    /// Cells with samples in raw.csv that summary.csv leaves out: the cells
    /// that failed (their summaries were left out so that they never look measured).
    public let failedCells: Set<Cell>
    /// raw.csv's header as read: writing the samples with it writes the file again.
    public let rawColumns: [String]
    /// The wall times of every cell's good samples, keyed for matching across runs.
    public let walls: [RecordedCell: [Double]]
    /// CPU seconds (user + sys) of the same samples, in the same order.
    public let cpu: [RecordedCell: [Double]]
    /// meta.json, when it reads.
    public let meta: JSONValue?
    /// meta.json's status (`complete`, `running`, `failed`...), nil when unreadable.
    public var status: String? { meta?["status"]?.string }
    /// What was skipped while reading (a last row cut short), for the reader to print.
    public let warnings: [String]

    /// The columns a raw.csv must have to be read.
    static let requiredColumns = ["run_id", "workload", "model", "processes", "threads", "workers", "tasks", "work", "work_unit", "wall_s", "ok"]

    /// Reads `folder/raw.csv`, summary.csv's order of cells and meta.json.
    public init(folder: String) throws {
        self.folder = folder
        let rawPath = folder + "/raw.csv"
        guard FileManager.default.fileExists(atPath: rawPath) else {
            throw BenchError.usage("no raw.csv in \(folder)", fix: "give a run folder, e.g. results/latest")
        }
        let (header, rows, warnings) = try Self.table(rawPath, required: Self.requiredColumns)
        let meta = FileManager.default.contents(atPath: folder + "/meta.json").flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
        let quick = meta?["parameters"]?["quick"] == .bool(true)
        // The cells in the matrix's order: summary.csv's, then any it leaves out as raw.csv first has them.
        var order: [[String]: Int] = [:]
        let summarized = (try? Self.table(folder + "/summary.csv", required: ["workload", "model"]))?.rows ?? nil
        for (_, row) in summarized ?? [] where order[ResultsCSV.cellKey(row)] == nil {
            order[ResultsCSV.cellKey(row)] = order.count
        }
        var cells: [[String]: Cell] = [:]
        var failed: Set<Cell> = []
        var samples: [Sample] = []
        var walls: [RecordedCell: [Double]] = [:]
        var cpu: [RecordedCell: [Double]] = [:]
        var runID = (folder as NSString).lastPathComponent
        for (line, row) in rows {
            let key = ResultsCSV.cellKey(row)
            let cell = cells[key] ?? {
                let index = order[key] ?? order.count + cells.count
                let made = ResultsCSV.cell(row, index: index, quick: quick)
                if summarized != nil && order[key] == nil { failed.insert(made) }
                return made
            }()
            cells[key] = cell
            let sample: Sample
            do {
                sample = try ResultsCSV.sample(of: cell, row)
            } catch {
                throw BenchError.runFailed("\(rawPath):\(line): a measure (wall_s, ok...) is not a number", fix: CSVLines.damagedFix)
            }
            samples.append(sample)
            runID = row.text("run_id")
            guard sample.ok else { continue }
            let recorded = RecordedCell(row)
            walls[recorded, default: []].append(sample.wallSeconds)
            cpu[recorded, default: []].append(sample.cpuSeconds)
        }
        id = runID
        self.samples = samples
        failedCells = failed
        rawColumns = header
        self.warnings = warnings
        self.walls = walls
        self.cpu = cpu
        self.meta = meta
    }

    /// A CSV file's header and rows (with their line numbers), every row
    /// checked to have the header's field count; a last row without its line
    /// end is skipped with a warning.
    static func table(_ path: String, required: [String]) throws -> (header: [String], rows: [(line: Int, fields: ResultsCSV.RowFields)], warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError.io("cannot read \(path)", errno: errno)
        }
        let file = CSVLines(data)
        var lines = file.lines
        guard let headerLine = lines.first else {
            throw BenchError.runFailed("\(path) is empty", fix: "give a folder written by bench run")
        }
        let header = CSVFormat.fields(of: headerLine)
        try CSVLines.checkHeader(header, has: required, path: path)
        var warnings: [String] = []
        if lines.count > 1 && !file.endsWithLineBreak {
            warnings.append("\(path) line \(lines.count): the last row has no line end (cut short by a crash?); it is skipped")
            lines.removeLast()
        }
        var rows: [(Int, ResultsCSV.RowFields)] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = CSVFormat.fields(of: line)
            try CSVLines.checkFieldCount(fields, header: header, place: "\(path):\(offset + 1)")
            rows.append((offset + 1, ResultsCSV.RowFields(header: header, fields: fields)))
        }
        return (header, rows, warnings)
    }

    /// How the cells were run beyond what identifies them, from meta.json:
    /// two runs that differ here measured different things under the same
    /// cell names. "unknown" where meta.json does not say (an older run).
    public var runSettings: [(name: String, value: String)] {
        let parameters = meta?["parameters"]
        return [
            ("--start-method", Self.text(parameters?["start_method"])),
            ("--chunksize", parameters == nil ? "unknown" : parameters?["chunksize"].map { Self.text($0) } ?? "default"),
            ("--dispatch", Self.text(parameters?["dispatch"])),
            ("task timing", Self.text(parameters?["task_timing"])),
            ("the Python start method", Self.text(meta?["notes"]?["python"]?["start_method"])),
        ]
    }

    /// A meta.json value as one word, "unknown" when absent or null.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case let .string(text): text
        case let .integer(number): String(number)
        case let .number(number): String(number)
        case let .bool(flag): String(flag)
        default: "unknown"
        }
    }

    /// The versions of an interpreter axis (meta.json's notes.python.interpreters), e.g. `3.11.7, 3.13.0`.
    private var pythonVersions: String {
        guard case let .array(interpreters)? = meta?["notes"]?["python"]?["interpreters"] else { return "unknown" }
        return interpreters.compactMap { $0["version"]?.string }.joined(separator: ", ")
    }

    /// What makes two runs comparable, from meta.json: where, on what, built how.
    public var setting: [(name: String, value: String)] {
        let text = Self.text
        return [
            ("host", text(meta?["host"]?["host_name"])), ("cores", text(meta?["host"]?["logical_cores"])),
            ("CPU quota", text(meta?["host"]?["cgroup_cpu_quota"])), ("CPU model", text(meta?["host"]?["cpu_model"])),
            ("build", text(meta?["build_configuration"])), ("Swift", text(meta?["swift_version"])),
            ("Python", meta?["notes"]?["python"]?["version"].map(text) ?? pythonVersions),
        ]
    }
}

/// What makes two runs' cells the same cell: every column of raw.csv that
/// describes the cell rather than one measurement of it, as written.
public struct RecordedCell: Hashable, Comparable {
    let workload: String
    let model: String
    let processes: String
    let threads: String
    let workers: String
    let tasks: String
    let work: String
    let workUnit: String
    /// The `params` column; nil for a v1 file, which matches any v2 params
    /// only through `withoutParameters`.
    let params: String?
    /// The `cpus` column: the CPUs the cell was pinned to, "" when it was not.
    let cpus: String
    /// The `interpreter` column: the cell's interpreter on the interpreter axis, "" off it.
    let interpreter: String

    init(
        workload: String, model: String, processes: String, threads: String, workers: String, tasks: String, work: String,
        workUnit: String, params: String?, cpus: String, interpreter: String
    ) {
        self.workload = workload
        self.model = model
        self.processes = processes
        self.threads = threads
        self.workers = workers
        self.tasks = tasks
        self.work = work
        self.workUnit = workUnit
        self.params = params
        self.cpus = cpus
        self.interpreter = interpreter
    }

    /// The cell of a raw.csv row.
    init(_ row: ResultsCSV.RowFields) {
        self.init(
            workload: row.text("workload"), model: row.text("model"), processes: row.text("processes"), threads: row.text("threads"),
            workers: row.text("workers"), tasks: row.text("tasks"), work: row.text("work"), workUnit: row.text("work_unit"),
            params: row["params"],
            // Runs from before --cpus existed were not pinned.
            cpus: row.text("cpus"),
            // Runs from before the interpreter axis had one interpreter.
            interpreter: row.text("interpreter"))
    }

    var label: String {
        let shape = threads.isEmpty ? "\(workers) in flight" : "\(processes)x\(threads)"
        let size = work.isEmpty ? "" : " x \(work) \(workUnit)"
        let parameters = params.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
        let pinned = cpus.isEmpty ? "" : " on CPUs \(cpus)"
        let python = interpreter.isEmpty ? "" : " under \(interpreter)"
        return "\(workload) \(model) \(shape) (\(tasks) tasks\(size))\(parameters)\(pinned)\(python)"
    }

    /// The same cell without its parameters: how a v1 run meets a v2 one.
    var withoutParameters: RecordedCell {
        RecordedCell(
            workload: workload, model: model, processes: processes, threads: threads, workers: workers, tasks: tasks,
            work: work, workUnit: workUnit, params: nil, cpus: cpus, interpreter: interpreter)
    }

    public static func < (lhs: RecordedCell, rhs: RecordedCell) -> Bool {
        (lhs.workload, lhs.model, Int(lhs.workers) ?? 0, lhs.label) < (rhs.workload, rhs.model, Int(rhs.workers) ?? 0, rhs.label)
    }
}
