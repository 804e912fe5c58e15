import Engine
import Foundation
import Glibc
import Platform
import Workloads

/// A concurrency model run in CPython by python/bench_driver.py, one
/// driver process per sample: the interpreter starts outside the measured
/// span, the model's pool or threads inside it, and the driver reports what
/// it measured over the same span as bench's own models (DESIGN "Timing").
/// The workload, its parameters and its checksum are the same as Swift's.
public struct PythonDriverModel: ConcurrencyModel {
    /// Which dimensions of the matrix the model takes, by the word
    /// python/bench/models/registry.tsv gives it.
    public enum Layout: String, Sendable, CaseIterable {
        case serial
        case threads
        case processes
        case processesTimesThreads = "processes-x-threads"
        case inFlight = "in-flight"
        case processesTimesInFlight = "processes-x-in-flight"
    }

    public let name: String
    public let summary: String
    public let layout: Layout
    /// The registry's first model (python-serial).
    public let baseline: String
    let runtime: PythonRuntime
    /// The interpreter's name on the interpreter axis; nil: the invocation's one interpreter.
    var interpreter: String?

    public func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        switch layout {
        case .serial: [.serial]
        case .threads: workers.map { .threads($0) }
        case .processes: workers.map { .processes($0, threadsEach: 1) }
        case .processesTimesThreads: processes.flatMap { count in workers.map { .processes(count, threadsEach: $0) } }
        case .inFlight: workers.map { .inFlight($0) }
        case .processesTimesInFlight: processes.flatMap { count in workers.map { .processes(count, inFlightEach: $0) } }
        }
    }

    public func unsupported(_ workload: WorkloadDeclaration) -> String? {
        workload.hasPythonVersion ? nil : "\(PythonRuntime.driverScript) has no \(workload.name) workload"
    }

    /// The same model on the interpreter named `interpreter` of the axis.
    func on(_ interpreter: String?) -> PythonDriverModel {
        var model = self
        model.interpreter = interpreter
        return model
    }

    public func execute(_ job: Job) throws -> Execution {
        let resolved = try runtime.resolve(interpreter)
        let spec = try specification(job)
        // What ran, for a message about a driver that hung or died: the user's function, when it is one.
        let subject = (job.workload as? PythonFunctionWorkload).map { "\($0.callable) under \(name), run by the Python driver" } ?? "the Python driver"
        let run = try PythonScriptRun.run(
            interpreter: resolved.interpreter.path, script: resolved.driver, arguments: [spec], timeoutSeconds: job.timeoutSeconds,
            what: subject)
        let decoded = PythonDriverReport.decode(run.reportLine)
        if case let .failure(message, usage) = decoded {
            throw Self.failure(message, usage: usage)
        }
        guard run.status.isSuccess, case let .success(result) = decoded else {
            throw BenchError.runFailed(
                "\(subject) (pid \(run.pid)) \(run.status) without a report: \(run.lastErrorLine)",
                fix: "run \(resolved.driver) by hand with the same spec to see why")
        }
        runtime.record(result, model: name, interpreter: interpreter, workload: job.workloadName, parameters: job.parameters)
        guard let checksum = result.parsedChecksum else {
            throw BenchError.runFailed("the Python driver reported a malformed checksum '\(result.checksum)'", fix: "this is a bug in the driver")
        }
        var execution = Execution(
            checksum: checksum, wallSeconds: result.wallSeconds, setupSeconds: result.setupSeconds,
            workerUsage: result.usage, workerPeakKilobytes: result.peakKilobytes, ownUsage: .none)
        execution.workerAccount = result.account
        if let p50 = result.taskP50, let p99 = result.taskP99 {
            execution.taskLatency = LatencyPercentiles(p50: p50, p99: p99)
        }
        if let p50 = result.queueP50, let p99 = result.queueP99 {
            execution.queueDelay = LatencyPercentiles(p50: p50, p99: p99)
        }
        return execution
    }

    /// The one-sample spec the driver takes: every key, and every parameter of
    /// the workload (the driver has no defaults; python/README.md has the keys).
    func specification(_ job: Job) throws -> String {
        // Completed here whatever the caller resolved, so that every declared parameter reaches the driver.
        let values = try WorkloadRegistry.declaration(named: job.workloadName)?.complete(job.parameters) ?? job.parameters
        var parameters: [String: JSONValue] = [:]
        for name in values.names {
            if let value = values[name] { parameters[name] = value.jsonValue }
        }
        let spec: [String: JSONValue] = [
            "model": .string(name), "workload": .string(job.workloadName), "params": .object(parameters),
            "tasks": .integer(job.tasks), "processes": .integer(job.shape.processes),
            "threads": job.shape.threads.map { .integer($0) } ?? .null,
            "in_flight": .integer(job.shape.widthPerProcess),
            "chunksize": job.pool.chunkSize.map { .integer($0) } ?? .null,
            "start_method": runtime.options.startMethod.map { .string($0) } ?? .null,
            "timeout_s": .number(job.timeoutSeconds),
            "task_timing": .bool(job.timesTasks),
            "parent_pid": .integer(Int(getpid())),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    /// The driver's one-line error, `what — how to fix`, as a run failure,
    /// or as bad usage when the driver says the user's input is at fault.
    static func failure(_ message: String, usage: Bool = false) -> BenchError {
        let failure = PythonScriptRun.failure(message, fix: "see python/README.md")
        guard usage, case let .runFailed(what, fix) = failure else { return failure }
        return .usage(what, fix: fix)
    }
}
