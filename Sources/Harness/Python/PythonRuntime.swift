import Foundation
import Platform
import Synchronization
import Workloads

/// The interpreters and driver of the Python models for one invocation:
/// each interpreter resolved once, before anything is measured, then shared
/// by every Python cell (`--python` and `--python-start-method` apply to
/// them all); and what the driver reported about how each cell ran, for the
/// tables' labels (`PythonCellLabels`).
public final class PythonRuntime: Sendable {
    public static let driverScript = "python/bench_driver.py"

    public let options: PythonOptions
    /// By the interpreter as given ("" for python3 on PATH).
    private let resolved = Mutex<[String: Result<Resolved, any Error>]>([:])
    private let observed = Mutex(PythonCellLabels())

    /// The interpreter and the driver script beside this build.
    public struct Resolved: Sendable {
        public let interpreter: PythonInterpreter
        public let driver: String
    }

    public init(options: PythonOptions) {
        self.options = options
    }

    /// Resolves the interpreter named `name` on the interpreter axis (nil:
    /// the one of a single-interpreter invocation) and finds the driver,
    /// once; throws a usage error saying how to install what is missing.
    public func resolve(_ name: String? = nil) throws -> Resolved {
        let given = options.interpreter(named: name)
        if let name, given == nil {
            throw BenchError.usage("no interpreter named \(name) among --python \(options.interpreters.joined(separator: ","))", fix: "this is a bug in bench")
        }
        return try resolved.withLock { cache in
            if let cached = cache[given ?? ""] { return try cached.get() }
            let result = Result { () throws -> Resolved in
                guard let driver = PackageFile.locate(Self.driverScript) else {
                    throw BenchError.usage(
                        "\(Self.driverScript) is not beside this build", fix: "run bench from its package (the Python models need the driver)")
                }
                return Resolved(interpreter: try PythonInterpreter.resolve(given), driver: driver.path)
            }
            cache[given ?? ""] = result
            return try result.get()
        }
    }

    /// What meta.json records: interpreter, version, GIL, start methods,
    /// switch interval; on the interpreter axis, each interpreter's under
    /// `interpreters`, with its axis name. Resolves every interpreter, so
    /// that an unusable one is an error before anything is measured. With
    /// `samples`, each interpreter also gets `samples_gil_enabled`: the values
    /// its samples' drivers reported.
    public func metadata(samples: PythonCellLabels? = nil) throws -> JSONValue {
        guard options.isAxis else {
            let resolved = try resolve()
            return .object(describe(resolved, name: nil, samples: samples).merging(["driver": .string(resolved.driver)]) { $1 })
        }
        var interpreters: [JSONValue] = []
        var driver = ""
        for name in options.axisNames {
            let resolved = try resolve(name)
            driver = resolved.driver
            interpreters.append(.object(describe(resolved, name: name, samples: samples).merging(["name": .string(name)]) { $1 }))
        }
        return .object(["driver": .string(driver), "interpreters": .array(interpreters)])
    }

    private func describe(_ resolved: Resolved, name: String?, samples: PythonCellLabels?) -> [String: JSONValue] {
        guard case var .object(fields) = resolved.interpreter.metadata else { return [:] }
        fields["start_method"] = .string(options.startMethod ?? resolved.interpreter.defaultStartMethod)
        if let samples {
            fields["samples_gil_enabled"] = .array(samples.reportedGIL(interpreter: name).map { .bool($0) })
        }
        return fields
    }

    /// Notes what the driver reported about one sample of a cell (its GIL, a function run through asyncio.to_thread).
    func record(_ report: PythonDriverReport, model: String, interpreter: String?, workload: String, parameters: ParameterValues) {
        observed.withLock { $0.record(report, model: model, interpreter: interpreter, workload: workload, parameters: parameters) }
    }

    /// What the driver reported so far, as the tables' labels.
    public var labels: PythonCellLabels {
        observed.withLock { $0 }
    }
}
