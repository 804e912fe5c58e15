import Foundation
import Workloads

/// The contents of meta.json: what was run, where, with what, and how it ended.
struct RunMetadata: Codable, Sendable {
    /// `running` while measuring; `complete`, `failed` (some cells failed),
    /// `interrupted` or `abandoned` (a run hung) at the end.
    var status: String
    var runID: String
    var commandLine: [String]
    var startedAt: String
    var endedAt: String?
    var host: HostInfo
    var swiftVersion: String
    var buildConfiguration: String
    var harnessVersion: String
    var gitCommit: String?
    var loadAverageStart: Double?
    var loadAverageEnd: Double?
    var parameters: Parameters
    var cells: Int
    var measuredRuns: Int
    var failures: [CellFailure]

    /// Every setting that shaped the matrix.
    struct Parameters: Codable, Sendable {
        var workloads: [String]
        var models: [String]
        var workers: [Int]
        var processes: Int
        var tasks: Int?
        var items: Int?
        var runs: Int
        var warmup: Int
        var seed: UInt64
        var timeoutSeconds: Double
        var maxTimeSeconds: Double?
        var quick: Bool
        var workload: WorkloadParametersRecord
        var chunkSize: Int?
        var dispatch: String

        enum CodingKeys: String, CodingKey {
            case workloads, models, workers, processes, tasks, items, runs, warmup, seed, quick, workload, dispatch
            case timeoutSeconds = "timeout_s"
            case maxTimeSeconds = "max_time_s"
            case chunkSize = "chunksize"
        }
    }

    enum CodingKeys: String, CodingKey {
        case status
        case runID = "run_id"
        case commandLine = "command_line"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case host
        case swiftVersion = "swift_version"
        case buildConfiguration = "build_configuration"
        case harnessVersion = "harness_version"
        case gitCommit = "git_commit"
        case loadAverageStart = "load_average_start"
        case loadAverageEnd = "load_average_end"
        case parameters
        case cells
        case measuredRuns = "measured_runs"
        case failures
    }

    init(runID: String, plan: MatrixPlan, commandLine: [String], startedAt: Date, ownHTTPServer: Bool = false) {
        let options = plan.options
        status = "running"
        self.runID = runID
        self.commandLine = commandLine
        self.startedAt = RunMetadata.timestamp(startedAt)
        host = HostInfo.current()
        swiftVersion = BuildInfo.swiftVersion
        buildConfiguration = BuildInfo.configuration
        harnessVersion = BuildInfo.version
        gitCommit = BuildInfo.gitCommit()
        loadAverageStart = HostInfo.loadAverage()
        parameters = Parameters(
            workloads: options.workloads, models: options.models.map(\.rawValue), workers: options.workers,
            processes: options.processes, tasks: options.tasks, items: options.items, runs: options.runs, warmup: options.warmup,
            seed: options.seed, timeoutSeconds: options.timeoutSeconds, maxTimeSeconds: options.maxTimeSeconds,
            quick: options.quick, workload: WorkloadParametersRecord(options.parameters),
            chunkSize: options.pool.chunkSize, dispatch: options.pool.dispatch.rawValue)
        if ownHTTPServer {
            // The address of bench's own server lives only as long as the run: not a parameter anyone gave.
            parameters.workload.httpServer = "started by bench at \(options.parameters.httpURL ?? "?")"
            parameters.workload.httpURL = nil
        } else if options.parameters.httpURL != nil {
            parameters.workload.httpServer = "external (--http-url)"
        }
        cells = plan.cells.count
        measuredRuns = 0
        failures = []
    }

    /// Marks the end of the run.
    mutating func finish(status: String, outcome: RunOutcome, at date: Date) {
        self.status = status
        endedAt = RunMetadata.timestamp(date)
        loadAverageEnd = HostInfo.loadAverage()
        measuredRuns = outcome.samples.count
        failures = outcome.failures
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Workload parameters under the same names as their command-line flags.
struct WorkloadParametersRecord: Codable, Sendable {
    var iterations: Int
    var sleepMs: Int
    var httpLatencyMs: Int
    var httpBytes: Int
    var keepAlive: Bool
    var httpClient: String
    /// Given with --http-url; nil when bench started its own server.
    var httpURL: String?
    /// `external (--http-url)` or `started by bench at <url>`; nil without http cells.
    var httpServer: String?
    var sink: String

    enum CodingKeys: String, CodingKey {
        case iterations
        case sleepMs = "sleep_ms"
        case httpLatencyMs = "http_latency_ms"
        case httpBytes = "http_bytes"
        case keepAlive = "keep_alive"
        case httpClient = "http_client"
        case httpURL = "http_url"
        case httpServer = "http_server"
        case sink
    }
}

extension WorkloadParametersRecord {
    init(_ parameters: WorkloadParameters) {
        iterations = parameters.iterations
        sleepMs = parameters.sleepMilliseconds
        httpLatencyMs = parameters.httpLatencyMilliseconds
        httpBytes = parameters.httpBytes
        keepAlive = parameters.keepAlive
        httpClient = parameters.httpClient
        httpURL = parameters.httpURL
        sink = parameters.sink
    }
}
