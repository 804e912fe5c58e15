import Foundation
import Glibc
import Platform
import Synchronization

/// One run's folder under the results root: `raw.csv` grows row by row,
/// `meta.json` says whether the run is still going, and `summary.csv` plus
/// the `latest` link appear only when the run has ended.
public final class RunFolder: SampleRecorder, @unchecked Sendable {
    /// Where the folder lives; changes only when `move(toRoot:)` moves a finished run.
    public private(set) var root: String
    public let id: String
    /// The folder's path.
    public private(set) var path: String
    private let lock = Mutex<State>(State())
    private let raw: CSVFile
    /// Space for the final meta.json and summary.csv, released when the run ends.
    private let reserve: DiskReserve
    /// Whose speedup is measured against whose, for summary.csv.
    private let languages: ModelLanguages

    /// Mutable state behind the lock: the watchdog may finish the folder from another thread.
    private struct State {
        var metadata: RunMetadata?
        var finished = false
        /// The samples whose rows reached raw.csv, in order: what summary.csv and meta.json count.
        var written: [Sample] = []
    }

    /// Creates `root/<UTC yyyymmddThhmmssZ>-<label>/` (with a numeric suffix if
    /// that exists), its `raw.csv` with the header, and a `running` meta.json.
    public init(
        root: String, label: String, plan: MatrixPlan, commandLine: [String], now: Date = Date(), experiment: String? = nil,
        languages: ModelLanguages = .catalog
    ) throws {
        self.root = root
        self.languages = languages
        try FileWriter.makeFolders(root)
        let (id, path) = try Self.makeUniqueFolder(in: root, named: Self.stamp(now) + "-" + label)
        (self.id, self.path) = (id, path)
        let metadata = RunMetadata(runID: id, plan: plan, commandLine: commandLine, startedAt: now, experiment: experiment)
        do {
            reserve = try DiskReserve(in: path, bytes: DiskReserve.bytes(cells: plan.cells.count))
            raw = try CSVFile(path: path + "/raw.csv", header: ResultsCSV.rawHeader)
            try FileWriter.replace(path + "/meta.json", with: Array(metadata.encoded()))
        } catch {
            // Nothing was measured: no folder is left that a reader could take for a run.
            Self.remove(path, files: ["raw.csv", "meta.json"])
            throw error
        }
        lock.withLock { $0.metadata = metadata }
    }

    /// Removes the listed files and then the folder, if it is empty by then.
    private static func remove(_ path: String, files: [String]) {
        for file in files { unlink(path + "/" + file) }
        rmdir(path)
    }

    /// `root/name`, or `name-2`, `name-3`... when it exists: mkdir is atomic,
    /// so two invocations in the same second never share a folder.
    static func makeUniqueFolder(in root: String, named base: String) throws(BenchError) -> (id: String, path: String) {
        var candidate = base
        var suffix = 2
        while mkdir(root + "/" + candidate, 0o755) != 0 {
            guard errno == EEXIST else {
                throw BenchError.io("cannot create \(root)/\(candidate)", errno: errno)
            }
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return (candidate, root + "/" + candidate)
    }

    public func record(_ sample: Sample) throws {
        try lock.withLock { state in
            guard !state.finished else { return }
            try raw.append(ResultsCSV.rawRow(sample, runID: id))
            state.written.append(sample)
        }
    }

    /// Adds what the fixtures and models say of themselves to meta.json.
    public func annotate(fixtures: [String] = [], notes: [String: JSONValue] = [:], machineLoad: MachineLoad? = nil) throws {
        try lock.withLock { state in
            guard var metadata = state.metadata else { return }
            metadata.fixtures += fixtures
            metadata.notes.merge(notes) { $1 }
            if let machineLoad { metadata.record(machineLoad) }
            state.metadata = metadata
            try write(metadata.encoded(), to: "meta.json")
        }
    }

    /// Writes summary.csv (from `summaries` when the caller has them already)
    /// and the final meta.json; returns the status written (`complete` when
    /// nothing failed or was interrupted).
    @discardableResult
    public func finish(_ outcome: InvocationOutcome, summaries: [CellSummary]? = nil) throws -> String {
        let status = outcome.interrupted ? "interrupted" : outcome.failures.isEmpty ? "complete" : "failed"
        try close(outcome, status: status, summaries: summaries)
        return status
    }

    /// meta.json as last written.
    public var metadata: RunMetadata? {
        lock.withLock { $0.metadata }
    }

    /// meta.json as last written, as JSON (what an export carries).
    public func metaJSON() throws -> JSONValue? {
        try metadata.map { try JSONDecoder().decode(JSONValue.self, from: $0.encoded()) }
    }

    /// Marks the folder failed after an error that stopped the run (a full
    /// disk, say), keeping the summary of the samples that are whole.
    public func fail(_ outcome: InvocationOutcome, because reason: String) {
        var outcome = outcome
        outcome.failures.append(CellFailure(cell: "run", message: reason))
        try? close(outcome, status: "failed")
    }

    public func abandon(because reason: String, soFar: InvocationOutcome) {
        printError("\(reason) — raise --timeout, or look for a hung task; the rows measured so far are in \(path)")
        var outcome = soFar
        outcome.failures.append(CellFailure(cell: "run", message: reason))
        try? close(outcome, status: "abandoned")
    }

    /// A stop request found a sample still running: the folder ends
    /// `interrupted`, its summary covering the rows written before that sample.
    public func interrupt(soFar: InvocationOutcome) {
        var outcome = soFar
        outcome.interrupted = true
        try? close(outcome, status: "interrupted")
        let kept = lock.withLock { $0.written.count }
        printNote("bench: interrupted; the sample in progress was stopped; \(kept) samples kept, summary.csv covers them (\(path))")
    }

    private func close(_ outcome: InvocationOutcome, status: String, summaries known: [CellSummary]? = nil) throws {
        try lock.withLock { state in
            guard !state.finished, var metadata = state.metadata else { return }
            state.finished = true
            // A full disk stopped the run, perhaps: the reserved space is what the last files are written in.
            reserve.release()
            // Summaries and counts come from the rows that reached raw.csv, whatever the caller kept in memory.
            var outcome = outcome
            let known = outcome.samples.count == state.written.count ? known : nil
            outcome.samples = state.written
            let summaries = known ?? CellSummary.summarize(outcome.samples, excluding: outcome.failedCells, languages: languages)
            // meta.json is written even when summary.csv cannot be: it must say how the run ended.
            let summaryError = Result { try write(Data(ResultsCSV.summaryText(summaries).utf8), to: "summary.csv") }
            metadata.finish(status: status, outcome: outcome, at: Date())
            state.metadata = metadata
            try write(metadata.encoded(), to: "meta.json")
            try summaryError.get()
        }
    }

    /// Whole-file writes go through a temporary file and a rename, so a reader
    /// never sees half a file.
    public func write(_ data: Data, to name: String) throws {
        try FileWriter.replace(path + "/" + name, with: Array(data))
    }

    /// Moves the finished folder into `newRoot` (created if needed), keeping
    /// its name; returns its new path. Only after `finish`: nothing writes into it any more.
    public func move(toRoot newRoot: String) throws -> String {
        try FileWriter.makeFolders(newRoot)
        let destination = newRoot + "/" + id
        guard rename(path, destination) == 0 else {
            throw BenchError.io("cannot move \(path) to \(destination)", errno: errno)
        }
        (root, path) = (newRoot, destination)
        return destination
    }

    /// Replaces `root/latest` with a relative link to this run, atomically.
    /// Throws when it cannot (e.g. `latest` is a folder), leaving nothing behind.
    public func pointLatestHere() throws {
        let latest = root + "/latest"
        let temporary = root + "/.latest-\(getpid())"
        unlink(temporary)
        guard symlink(id, temporary) == 0 else {
            throw BenchError.io("cannot update \(latest)", errno: errno)
        }
        guard rename(temporary, latest) == 0 else {
            let code = errno
            unlink(temporary)
            throw BenchError.io("cannot update \(latest) (is it a folder?)", errno: code)
        }
    }

    public static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }
}
