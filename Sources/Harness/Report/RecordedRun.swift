import Foundation
import Platform

/// A finished run read back from its folder: the wall times of every cell's
/// good samples, keyed by what identifies a cell across runs.
///
/// Columns are found by name, so raw.csv of either CSV contract reads: v1
/// (no `params`) and v2. Every row must have the header's field count, or
/// the file is damaged (an error naming the line); only a last row without
/// its line end, which a crash in the middle of a write leaves, is skipped,
/// with a warning (`warnings`).
public struct RecordedRun {
    public let id: String
    public let folder: String
    public let walls: [RecordedCell: [Double]]
    /// CPU seconds (user + sys) of the same samples, in the same order.
    public let cpu: [RecordedCell: [Double]]
    /// meta.json, when it reads.
    public let meta: JSONValue?
    /// meta.json's status (`complete`, `running`, `failed`...), nil when unreadable.
    public var status: String? { meta?["status"]?.string }
    /// What was skipped while reading (a last row cut short), for the reader to print.
    public let warnings: [String]

    /// The columns a raw.csv must have to be compared.
    static let requiredColumns = ["run_id", "workload", "model", "processes", "threads", "workers", "tasks", "work", "work_unit", "wall_s", "ok"]

    /// Reads `folder/raw.csv` (and meta.json's status).
    public init(folder: String) throws {
        self.folder = folder
        let rawPath = folder + "/raw.csv"
        guard FileManager.default.fileExists(atPath: rawPath) else {
            throw BenchError.usage("no raw.csv in \(folder)", fix: "give a run folder, e.g. results/latest")
        }
        guard let data = FileManager.default.contents(atPath: rawPath) else {
            throw BenchError.io("cannot read \(rawPath)", errno: errno)
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw BenchError.runFailed("\(rawPath) is empty", fix: "give a folder written by bench run")
        }
        let header = CSVFormat.fields(of: headerLine)
        let column = Dictionary(header.enumerated().map { ($1, $0) }) { first, _ in first }
        if let missing = Self.requiredColumns.first(where: { column[$0] == nil }) {
            throw BenchError.runFailed("\(rawPath) line 1: no \(missing) column", fix: "give a folder written by bench run")
        }
        var warnings: [String] = []
        if lines.count > 1 && !text.hasSuffix("\n") {
            // bench ends every row it writes with a line break: a last row without one was cut short.
            warnings.append("\(rawPath) line \(lines.count): the last row has no line end (cut short by a crash?); it is skipped")
            lines.removeLast()
        }
        var walls: [RecordedCell: [Double]] = [:]
        var cpu: [RecordedCell: [Double]] = [:]
        var runID = (folder as NSString).lastPathComponent
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = CSVFormat.fields(of: line)
            guard fields.count == header.count, let wall = Double(fields[column["wall_s"]!]), wall.isFinite else {
                throw BenchError.runFailed(
                    "\(rawPath) line \(offset + 1): expected \(header.count) fields with a numeric wall_s",
                    fix: "the file is damaged (cut short?); rerun the matrix")
            }
            runID = fields[column["run_id"]!]
            guard fields[column["ok"]!] == "true" else { continue }
            let cell = RecordedCell(
                workload: fields[column["workload"]!], model: fields[column["model"]!],
                processes: fields[column["processes"]!], threads: fields[column["threads"]!],
                workers: fields[column["workers"]!], tasks: fields[column["tasks"]!],
                work: fields[column["work"]!], workUnit: fields[column["work_unit"]!],
                params: column["params"].map { fields[$0] },
                // Runs from before --cpus existed were not pinned.
                cpus: column["cpus"].map { fields[$0] } ?? "",
                // Runs from before the interpreter axis had one interpreter.
                interpreter: column["interpreter"].map { fields[$0] } ?? "")
            walls[cell, default: []].append(wall)
            let user = column["user_s"].flatMap { Double(fields[$0]) } ?? 0
            let system = column["sys_s"].flatMap { Double(fields[$0]) } ?? 0
            cpu[cell, default: []].append(user + system)
        }
        id = runID
        self.warnings = warnings
        self.walls = walls
        self.cpu = cpu
        meta = FileManager.default.contents(atPath: folder + "/meta.json").flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
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
/// describes the cell rather than one measurement of it.
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
