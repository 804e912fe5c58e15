import Engine
import Foundation
import Platform
import Workloads

/// The contents of meta.json: what was run, where, with what, and how it ended.
public struct RunMetadata: Codable, Sendable {
    /// `running` while measuring (with the pid that is measuring, so a reader
    /// can tell a live run from one that was killed); `complete`, `failed`
    /// (some cells failed), `interrupted` or `abandoned` (a sample hung) at the end.
    public var status: String
    public var runID: String
    public var pid: Int32
    public var commandLine: [String]
    public var startedAt: String
    public var endedAt: String?
    public var host: HostInfo
    public var swiftVersion: String
    public var buildConfiguration: String
    public var harnessVersion: String
    public var gitCommit: String?
    public var loadAverageStart: Double?
    public var loadAverageEnd: Double?
    /// The machine was busy while measuring (`MachineLoad`): its verdicts are marked. Nil until measured.
    public var disturbed: Bool?
    /// Why, when it was.
    public var disturbedBecause: [String]?
    /// What the machine did before and during the measuring.
    public var machineLoad: MachineLoad?
    /// The experiment that made the run, if any (plot.sh draws its chart).
    public var experiment: String?
    public var parameters: Parameters
    /// What the fixtures say of themselves, e.g. `started by bench at http://127.0.0.1:40123/`.
    public var fixtures: [String]
    /// Notes of the models and experiments: the fork server's start, the Python interpreter, a split.
    public var notes: [String: JSONValue]
    public var cells: Int
    public var measuredRuns: Int
    public var failures: [CellFailure]

    /// Every setting that shaped the matrix.
    public struct Parameters: Codable, Sendable {
        public var workloads: [String]
        public var models: [String]
        public var workers: [Int]
        public var processes: [Int]
        public var tasks: Int?
        public var workloadTasks: [String: Int]
        /// A whole number, or `auto`.
        public var runs: JSONValue
        /// `--runs auto`'s target and bounds; nil for a fixed count.
        public var autoSampling: AutoSamplingRecord?
        /// `--margin`: a winner within it of the runner-up is "equivalent".
        public var margin: Double
        public var warmup: Int
        public var seed: UInt64
        public var timeoutSeconds: Double
        public var maxTimeSeconds: Double?
        public var quick: Bool
        /// Each selected workload's declared parameters, under their flag
        /// names, with the values the matrix used (a list when scanned).
        public var workload: [String: [String: [JSONValue]]]
        public var chunkSize: Int?
        public var dispatch: String
        public var startMethod: String
        /// The `--cpus` sets; empty when not pinned.
        public var cpus: [[Int]]
        /// Whether tasks were timed (false with `--no-task-timing`).
        public var taskTiming: Bool
        /// Whether each sample's checksum was compared with the reference (false with `--no-verify`).
        public var verify: Bool

        enum CodingKeys: String, CodingKey {
            case workloads, models, workers, processes, tasks, runs, warmup, seed, quick, workload, dispatch, margin
            case autoSampling = "auto_sampling"
            case workloadTasks = "workload_tasks"
            case timeoutSeconds = "timeout_s"
            case maxTimeSeconds = "max_time_s"
            case chunkSize = "chunksize"
            case startMethod = "start_method"
            case cpus
            case taskTiming = "task_timing"
            case verify
        }
    }

    /// What `--runs auto` aimed at and was bounded by.
    public struct AutoSamplingRecord: Codable, Sendable {
        public var precision: Double
        public var minimumRuns: Int
        public var maxRuns: Int
        public var budgetSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case precision
            case minimumRuns = "minimum_runs"
            case maxRuns = "max_runs"
            case budgetSeconds = "budget_s"
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, pid, host, experiment, parameters, fixtures, notes, cells, failures, disturbed
        case disturbedBecause = "disturbed_because"
        case machineLoad = "machine_load"
        case runID = "run_id"
        case commandLine = "command_line"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case swiftVersion = "swift_version"
        case buildConfiguration = "build_configuration"
        case harnessVersion = "harness_version"
        case gitCommit = "git_commit"
        case loadAverageStart = "load_average_start"
        case loadAverageEnd = "load_average_end"
        case measuredRuns = "measured_runs"
    }

    init(runID: String, plan: MatrixPlan, commandLine: [String], startedAt: Date, experiment: String?) {
        let options = plan.options
        status = "running"
        self.runID = runID
        pid = getpid()
        self.commandLine = commandLine
        self.startedAt = RunMetadata.timestamp(startedAt)
        host = HostInfo.current()
        swiftVersion = BuildInfo.swiftVersion
        buildConfiguration = BuildInfo.configuration
        harnessVersion = BuildInfo.version
        gitCommit = BuildInfo.gitCommit()
        loadAverageStart = HostInfo.loadAverage()
        self.experiment = experiment
        var workload: [String: [String: [JSONValue]]] = [:]
        for name in Set(plan.cells.map(\.workload)) {
            guard let declaration = WorkloadRegistry.declaration(named: name) else { continue }
            var values: [String: [JSONValue]] = [:]
            for parameter in declaration.parameters {
                var seen: [ParameterValue] = []
                for cell in plan.cells where cell.workload == name {
                    if let value = cell.parameters[parameter.name], !seen.contains(value) { seen.append(value) }
                }
                values[parameter.name] = seen.map(\.jsonValue)
            }
            workload[name] = values
        }
        parameters = Parameters(
            workloads: options.workloads, models: options.models, workers: options.workers,
            processes: options.processes, tasks: options.tasks, workloadTasks: options.workloadTasks,
            runs: options.runs.fixedCount.map { .integer($0) } ?? .string(options.runs.description),
            autoSampling: options.runs == .auto ? AutoSamplingRecord(
                precision: options.sampling.precision, minimumRuns: options.sampling.minimumRuns(for: plan),
                maxRuns: options.sampling.maxRuns, budgetSeconds: options.sampling.budgetSeconds) : nil,
            margin: options.margin,
            warmup: options.warmup, seed: options.seed, timeoutSeconds: options.timeoutSeconds,
            maxTimeSeconds: options.maxTimeSeconds, quick: options.quick, workload: workload,
            chunkSize: options.pool.chunkSize, dispatch: options.pool.dispatch.rawValue,
            startMethod: options.pool.startMethod.rawValue, cpus: options.cpuSets, taskTiming: options.timesTasks,
            verify: options.verifiesChecksums)
        fixtures = []
        notes = [:]
        cells = plan.cells.count
        measuredRuns = 0
        failures = []
    }

    /// What the machine monitor saw, and the verdict on it.
    mutating func record(_ load: MachineLoad) {
        machineLoad = load
        disturbed = load.isDisturbed
        disturbedBecause = load.isDisturbed ? load.reasons : nil
    }

    /// Marks the end of the run.
    mutating func finish(status: String, outcome: InvocationOutcome, at date: Date) {
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

extension ParameterValue {
    /// The value's natural JSON form.
    public var jsonValue: JSONValue {
        switch self {
        case let .number(value): .integer(value)
        case let .flag(value): .bool(value)
        case let .text(value): .string(value)
        }
    }
}
