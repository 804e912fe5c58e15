import Foundation
import Glibc
import Synchronization

/// One run's folder under the results root: `raw.csv` grows row by row,
/// `meta.json` says whether the run is still going, and `summary.csv` plus
/// the `latest` link appear only when the run has ended.
final class RunFolder: RunRecorder, @unchecked Sendable {
    let root: URL
    let id: String
    let url: URL
    private let lock = Mutex<State>(State())
    private let raw: CSVFile

    /// Mutable state behind the lock: the watchdog may finish the folder from another thread.
    private struct State {
        var metadata: RunMetadata?
        var finished = false
    }

    /// Creates `root/<UTC yyyymmddThhmmssZ>-<label>/` (with a numeric suffix if
    /// that exists), its `raw.csv` with the header, and a `running` meta.json.
    init(
        root: String, label: String, plan: MatrixPlan, commandLine: [String], now: Date = Date(), ownHTTPServer: Bool = false
    ) throws {
        self.root = URL(fileURLWithPath: root)
        let base = RunFolder.stamp(now) + "-" + label
        var candidate = base
        var suffix = 2
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: self.root, withIntermediateDirectories: true)
        } catch {
            throw BenchError.io("cannot create results folder \(root): \(error.localizedDescription)")
        }
        // mkdir is atomic: if it fails with EEXIST another run owns that name; try the next.
        while mkdir(self.root.appendingPathComponent(candidate).path, 0o755) != 0 {
            guard errno == EEXIST else {
                throw BenchError.io("cannot create \(self.root.appendingPathComponent(candidate).path): \(String(cString: strerror(errno)))")
            }
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        id = candidate
        url = self.root.appendingPathComponent(candidate)
        raw = try CSVFile(path: url.appendingPathComponent("raw.csv").path, header: RawCSV.header)
        let metadata = RunMetadata(
            runID: id, plan: plan, commandLine: commandLine, startedAt: now, ownHTTPServer: ownHTTPServer)
        try lock.withLock { state in
            state.metadata = metadata
            try write(metadata.encoded(), to: "meta.json")
        }
    }

    func record(_ sample: Sample) throws {
        try lock.withLock { state in
            guard !state.finished else { return }
            try raw.append(RawCSV.row(sample, runID: id))
        }
    }

    /// Writes summary.csv and the final meta.json; points `latest` here when
    /// the run is complete (DESIGN: the newest complete run; a run with failed
    /// cells or an interrupted one is kept but not made `latest`).
    func finish(_ outcome: RunOutcome) throws {
        let status = outcome.interrupted ? "interrupted" : outcome.failures.isEmpty ? "complete" : "failed"
        try close(outcome, status: status)
        if status == "complete" {
            try pointLatestHere()
        }
    }

    func abandon(because reason: String, soFar: RunOutcome) {
        printError("\(reason) — raise --timeout, or look for a hung task; the rows measured so far are in \(url.path)")
        var outcome = soFar
        outcome.failures.append(CellFailure(cell: "run", message: reason))
        try? close(outcome, status: "abandoned")
    }

    private func close(_ outcome: RunOutcome, status: String) throws {
        try lock.withLock { state in
            guard !state.finished, var metadata = state.metadata else { return }
            state.finished = true
            let summaries = CellSummary.summarize(outcome.samples, excluding: outcome.failedCells)
            let lines = [CSVFormat.line(SummaryCSV.header)] + summaries.map { CSVFormat.line(SummaryCSV.row($0)) }
            try write(Data((lines.joined(separator: "\n") + "\n").utf8), to: "summary.csv")
            metadata.finish(status: status, outcome: outcome, at: Date())
            try write(metadata.encoded(), to: "meta.json")
            state.metadata = metadata
        }
    }

    /// Whole-file writes go through a temporary file and a rename, so a reader
    /// never sees half a summary.
    func write(_ data: Data, to name: String) throws {
        let target = url.appendingPathComponent(name)
        do {
            try data.write(to: target, options: .atomic)
        } catch {
            throw BenchError.io("cannot write \(target.path): \(error.localizedDescription)")
        }
    }

    /// Replaces `root/latest` with a relative link to this run, atomically.
    private func pointLatestHere() throws {
        let latest = root.appendingPathComponent("latest").path
        let temporary = root.appendingPathComponent(".latest-\(getpid())").path
        unlink(temporary)
        guard symlink(id, temporary) == 0, rename(temporary, latest) == 0 else {
            throw BenchError.io("cannot update \(latest): \(String(cString: strerror(errno)))")
        }
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }
}
