import Foundation
import Platform

/// One of the experiments' Python probes (python/seed_*.py): given a spec,
/// it measures one configuration `samples` times in CPython and writes one
/// JSON line on fd 3: `{"samples": [{"metric": value, ...}, ...], "python": "3.11.7"}`,
/// or `{"error": "what — how to fix"}` with exit status 1 (a party that
/// died, a message lost or doubled, a timeout). Each script's docstring has
/// its spec.
public struct PythonProbe: Sendable {
    public let interpreter: PythonInterpreter
    /// The script's path, absolute.
    public let script: String
    /// The script as the package names it, e.g. `python/seed_channels.py`.
    public let name: String

    /// The script beside this build and the interpreter (`--python`, or
    /// python3 on PATH); a usage error, before anything runs, when either is missing.
    public static func locate(_ name: String, interpreter path: String?) throws -> PythonProbe {
        guard let script = PackageFile.locate(name) else {
            throw BenchError.usage("\(name) is not beside this build", fix: "run bench from its package, or pass --no-python")
        }
        do {
            return PythonProbe(interpreter: try PythonInterpreter.resolve(path), script: script.path, name: name)
        } catch let error as PythonInterpreter.Missing {
            throw BenchError.usage(error.what, fix: error.fix + ", or pass --no-python")
        }
    }

    /// What the script reported.
    struct Report: Decodable {
        let samples: [[String: Double]]?
        let error: String?
    }

    /// Runs the script on `spec`; its samples, each a value per metric.
    public func run(_ spec: [String: JSONValue], timeoutSeconds: Double) throws -> [[String: Double]] {
        var spec = spec
        spec["timeout_s"] = .number(timeoutSeconds)
        spec["parent_pid"] = .integer(Int(getpid()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(JSONValue.object(spec)), as: UTF8.self)
        let run = try PythonScriptRun.run(
            interpreter: interpreter.path, script: script, arguments: [text], timeoutSeconds: timeoutSeconds, what: "the Python probe \(name)")
        let report = try? JSONDecoder().decode(Report.self, from: Data(run.reportLine.utf8))
        if let message = report?.error {
            throw PythonScriptRun.failure(message, fix: "run \(script) by hand with the same spec to see why")
        }
        guard run.status.isSuccess, let samples = report?.samples, !samples.isEmpty else {
            throw BenchError.runFailed(
                "the Python probe \(name) (pid \(run.pid)) \(run.status) without a report: \(run.lastErrorLine)",
                fix: "run \(script) by hand with the same spec to see why")
        }
        return samples
    }

    public var metadata: JSONValue {
        .object(["interpreter": interpreter.metadata, "script": .string(script)])
    }
}
