import Foundation
import Platform

/// The floors of `bench calibrate`, read back from calibration.csv: what a
/// cell pays before its work whatever the model does well (starting its
/// threads or worker processes, a timer's oversleep). A change in a cell's
/// median smaller than its floor says nothing about the model.
public struct CalibrationFloors: Sendable {
    public let path: String
    let threadStart: Double
    let workerStart: Double
    let timer: Double

    /// The newest `*-calibrate/calibration.csv` in any of `roots`, or nil.
    public static func newest(in roots: [String]) -> CalibrationFloors? {
        var candidates: [String] = []
        for root in Set(roots) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            candidates += names.filter { $0.hasSuffix("-calibrate") }.map { root + "/" + $0 + "/calibration.csv" }
        }
        // Folder names begin with a UTC stamp: the largest is the newest.
        for path in candidates.sorted(by: { ($0 as NSString).deletingLastPathComponent.split(separator: "/").last ?? "" > ($1 as NSString).deletingLastPathComponent.split(separator: "/").last ?? "" }) {
            if let floors = CalibrationFloors(path: path) { return floors }
        }
        return nil
    }

    init?(path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var medians: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = CSVFormat.fields(of: line)
            guard fields.count >= 4, fields[1] == "s", let median = Double(fields[3]) else { continue }
            medians[fields[0]] = median
        }
        func first(_ prefix: String) -> Double? {
            medians.first { $0.key.hasPrefix(prefix) }?.value
        }
        guard let thread = first("thread create"), let worker = first("worker start: spawn") ?? first("worker start"),
              let timer = first("oversleep of 1 ms (blocking)") else { return nil }
        self.path = path
        threadStart = thread
        workerStart = worker
        self.timer = timer
    }

    /// The floor of one cell: starting all its threads or processes, or one
    /// timer's oversleep, whichever is larger.
    func floor(for cell: RecordedCell) -> Double {
        let processes = Double(cell.processes) ?? 1
        let workers = Double(cell.workers) ?? 1
        let start = ModelCatalog.model(named: cell.model)?.usesWorkerProcesses == true || processes > 1
            ? processes * workerStart : workers * threadStart
        return max(start, timer)
    }
}
