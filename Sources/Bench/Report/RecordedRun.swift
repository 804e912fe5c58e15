import Foundation

/// A finished run read back from its folder: the wall times of every cell's
/// good samples, keyed by what identifies a cell across runs.
struct RecordedRun {
    let id: String
    let folder: URL
    let walls: [RecordedCell: [Double]]

    /// Reads `folder/raw.csv`, checking its header and every row's field count.
    init(folder: URL) throws {
        self.folder = folder
        let rawURL = folder.appendingPathComponent("raw.csv")
        guard FileManager.default.fileExists(atPath: rawURL.path) else {
            throw BenchError.usage("no raw.csv in \(folder.path)", fix: "give a run folder, e.g. results/latest")
        }
        let text: String
        do {
            text = try String(contentsOf: rawURL, encoding: .utf8)
        } catch {
            throw BenchError.io("cannot read \(rawURL.path): \(error.localizedDescription)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let headerLine = lines.first, CSVFormat.fields(of: headerLine) == RawCSV.header else {
            throw BenchError.runFailed(
                "\(rawURL.path) line 1: not a raw.csv header", fix: "give a folder written by bench run")
        }
        let column = Dictionary(uniqueKeysWithValues: RawCSV.header.enumerated().map { ($1, $0) })
        var walls: [RecordedCell: [Double]] = [:]
        var runID = folder.lastPathComponent
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = CSVFormat.fields(of: line)
            guard fields.count == RawCSV.header.count, let wall = Double(fields[column["wall_s"]!]) else {
                throw BenchError.runFailed(
                    "\(rawURL.path) line \(offset + 1): expected \(RawCSV.header.count) fields with a numeric wall_s",
                    fix: "the file is damaged; rerun the matrix")
            }
            runID = fields[column["run_id"]!]
            guard fields[column["ok"]!] == "true" else { continue }
            let cell = RecordedCell(
                workload: fields[column["workload"]!], model: fields[column["model"]!],
                processes: fields[column["processes"]!], threads: fields[column["threads"]!],
                workers: fields[column["workers"]!], tasks: fields[column["tasks"]!],
                work: fields[column["work"]!], workUnit: fields[column["work_unit"]!])
            walls[cell, default: []].append(wall)
        }
        id = runID
        self.walls = walls
    }
}

/// What makes two runs' cells the same cell: every column of raw.csv that
/// describes the cell rather than one measurement of it.
struct RecordedCell: Hashable, Comparable {
    let workload: String
    let model: String
    let processes: String
    let threads: String
    let workers: String
    let tasks: String
    let work: String
    let workUnit: String

    var label: String {
        let shape = threads.isEmpty ? "\(workers) in flight" : "\(processes)x\(threads)"
        let size = work.isEmpty ? "" : " x \(work) \(workUnit)"
        return "\(workload) \(model) \(shape) (\(tasks) tasks\(size))"
    }

    static func < (lhs: RecordedCell, rhs: RecordedCell) -> Bool {
        (lhs.workload, lhs.model, Int(lhs.workers) ?? 0, lhs.label) < (rhs.workload, rhs.model, Int(rhs.workers) ?? 0, rhs.label)
    }
}
