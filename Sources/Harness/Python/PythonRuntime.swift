import Foundation
import Platform
import Synchronization

/// The interpreter and driver of the Python models for one invocation:
/// resolved once, before anything is measured, then shared by every
/// Python cell (`--python` and `--python-start-method` apply to them all).
public final class PythonRuntime: Sendable {
    public static let driverScript = "python/bench_driver.py"

    public let options: PythonOptions
    private let resolved = Mutex<Result<Resolved, any Error>?>(nil)

    /// The interpreter and the driver script beside this build.
    public struct Resolved: Sendable {
        public let interpreter: PythonInterpreter
        public let driver: String
    }

    public init(options: PythonOptions) {
        self.options = options
    }

    /// Resolves the interpreter and finds the driver (once); throws a usage
    /// error saying how to install what is missing.
    public func resolve() throws -> Resolved {
        try resolved.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { () throws -> Resolved in
                guard let driver = PackageFile.locate(Self.driverScript) else {
                    throw BenchError.usage(
                        "\(Self.driverScript) is not beside this build", fix: "run bench from its package (the Python models need the driver)")
                }
                return Resolved(interpreter: try PythonInterpreter.resolve(options.interpreter), driver: driver.path)
            }
            cached = result
            return try result.get()
        }
    }

    /// What meta.json records: interpreter, version, GIL, start methods, switch interval.
    public func metadata() throws -> JSONValue {
        let resolved = try resolve()
        guard case var .object(fields) = resolved.interpreter.metadata else { return resolved.interpreter.metadata }
        fields["driver"] = .string(resolved.driver)
        fields["start_method"] = .string(options.startMethod ?? resolved.interpreter.defaultStartMethod)
        return .object(fields)
    }
}
