import Foundation
import Harness
import Platform
import Servers
import Workloads

/// A server model started for a measurement: a Swift model as `bench-worker
/// server NAME`, a CPython one as `python3 python/servers/<script>.py`, both
/// on 127.0.0.1 with the port the kernel chose, in a process group of their
/// own. They stop when their standard input ends, so none outlives bench,
/// even a SIGKILLed one; `stop()` kills the whole group after 2 s and reaps it.
public final class ServerUnderTest {
    public let model: String
    public let language: String
    private let process: ServerProcess

    /// Starts `model` (a name of `ServerModelRegistry`) with `setup`; Python
    /// models need `python`. Throws a usage error for an unknown model.
    public init(_ model: String, setup: ServerSetup, python: PythonInterpreter?) throws {
        self.model = model
        var options = [
            "--port", String(setup.port), "--processes", String(setup.processes), "--threads", String(setup.threads),
            "--cpu-us", String(setup.cpuMicroseconds), "--wait-ms", String(setup.waitMilliseconds), "--result-bytes", String(setup.resultBytes),
        ]
        if setup.sharedCounter { options.append("--shared-counter") }
        if ServerModelRegistry.swiftModel(named: model) != nil {
            language = "swift"
            options += ["--loops", String(setup.loops), "--iteration-ps", String(setup.iterationPicoseconds)]
            process = try ServerProcess(
                executable: try HelperExecutable.resolve(), arguments: HelperExecutable.arguments([ServerRole.role, model] + options),
                what: "the \(model) server (bench-worker server)", fix: "run bench-worker server \(model) by hand to see why")
        } else if let entry = ServerModelRegistry.pythonModel(named: model) {
            language = "python"
            guard let python else {
                throw BenchError.usage("\(model) needs python3", fix: "install python3, give --python PATH, or leave the python-* models out")
            }
            guard let script = PackageFile.locate(entry.script) else {
                throw BenchError.usage("\(entry.script) is not beside this build", fix: "run bench from its package, or leave the python-* models out")
            }
            process = try ServerProcess(
                executable: python.path, arguments: [script.path] + options, what: "the \(model) server (\(entry.script))",
                fix: "run \(python.path) \(script.path) by hand to see why")
        } else {
            throw BenchError.usage("unknown server model '\(model)'", fix: "choose from \(ServerModelRegistry.names.joined(separator: ", "))")
        }
    }

    deinit {
        process.stop()
    }

    public var port: UInt16 { process.port }
    public var pid: Int32 { process.pid }

    /// The server's processes: its own and its workers'.
    public var processes: [Int32] { ProcessMemory.tree(of: process.pid) }

    /// The summed PSS of the server's processes, in MiB.
    public var pssMebibytes: Double { Double(ProcessMemory.treePssKibibytes(of: process.pid)) / 1024 }

    /// Stops it and reaps it (its workers with it). Safe to call more than once.
    public func stop() {
        process.stop()
    }
}
