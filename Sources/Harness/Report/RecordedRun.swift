import Foundation
import Platform

/// A finished run read back from its folder: the wall times of every cell's
/// good samples, keyed by what identifies a cell across runs.
///
/// Columns are found by name, so raw.csv of either CSV contract reads: v1
/// (no `params`) and v2. Every row must have the header's field count; a
/// row cut short is an error naming its line, never skipped.
public struct RecordedRun {
    public let id: String
    public let folder: String
    public let walls: [RecordedCell: [Double]]
    /// meta.json's status (`complete`, `running`, `failed`...), nil when unreadable.
    public let status: String?

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
        var walls: [RecordedCell: [Double]] = [:]
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
                params: column["params"].map { fields[$0] })
            walls[cell, default: []].append(wall)
        }
        id = runID
        self.walls = walls
        status = Self.status(of: folder)
    }

    /// meta.json's `status`, read without trusting the rest of the file.
    static func status(of folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/meta.json"),
              let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        return value["status"]?.string
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
    /// only through `matchesIgnoringParameters`.
    let params: String?

    var label: String {
        let shape = threads.isEmpty ? "\(workers) in flight" : "\(processes)x\(threads)"
        let size = work.isEmpty ? "" : " x \(work) \(workUnit)"
        let parameters = params.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
        return "\(workload) \(model) \(shape) (\(tasks) tasks\(size))\(parameters)"
    }

    /// The same cell without its parameters: how a v1 run meets a v2 one.
    var withoutParameters: RecordedCell {
        RecordedCell(
            workload: workload, model: model, processes: processes, threads: threads, workers: workers, tasks: tasks,
            work: work, workUnit: workUnit, params: nil)
    }

    public static func < (lhs: RecordedCell, rhs: RecordedCell) -> Bool {
        (lhs.workload, lhs.model, Int(lhs.workers) ?? 0, lhs.label) < (rhs.workload, rhs.model, Int(rhs.workers) ?? 0, rhs.label)
    }
}
