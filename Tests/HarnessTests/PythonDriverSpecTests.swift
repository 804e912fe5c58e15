import Foundation
import Testing
import Engine
import Workloads
@testable import Harness

/// The spec bench sends the Python driver: the driver has no defaults of its
/// own (python/README.md), so every key and every declared parameter must be in it.
@Suite("Python driver spec")
struct PythonDriverSpecTests {
    static let keys: Set<String> = [
        "model", "workload", "params", "tasks", "processes", "threads", "in_flight", "chunksize", "start_method",
        "timeout_s", "task_timing", "parent_pid",
    ]

    static func spec(_ workload: String, _ parameters: ParameterValues, shape: Shape = .threads(2)) throws -> [String: Any] {
        let model = PythonDriverModel(name: "python-async", summary: "", layout: .inFlight, baseline: "python-serial", runtime: PythonRuntime(options: PythonOptions()))
        let job = Job(
            // The spec names the workload and its parameters; the object itself stays in bench.
            workload: NoopWorkload(), workloadName: workload, parameters: parameters, tasks: 4,
            shape: shape, timeoutSeconds: 30)
        let text = try model.specification(job)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? [String: Any])
    }

    @Test func everyKeyIsSentNullWhereTheModelLacksTheDimension() throws {
        let spec = try Self.spec("xor", ParameterValues(["iterations": .number(7)]), shape: .inFlight(3))
        #expect(Set(spec.keys) == Self.keys)
        #expect(spec["threads"] is NSNull && spec["chunksize"] is NSNull && spec["start_method"] is NSNull)
        #expect(spec["in_flight"] as? Int == 3)
    }

    @Test func everyDeclaredParameterIsSentEvenWhenTheJobLacksIt() throws {
        for declaration in WorkloadRegistry.builtIn where declaration.hasPythonVersion {
            let spec = try Self.spec(declaration.name, ParameterValues())
            let parameters = try #require(spec["params"] as? [String: Any])
            #expect(Set(parameters.keys) == Set(declaration.parameters.map(\.name)), "\(declaration.name)")
        }
        let xor = try #require(try Self.spec("xor", ParameterValues())["params"] as? [String: Any])
        #expect(xor["iterations"] as? Int == 2_000_000)
    }

    @Test func aDamagedModelRegistryLineIsAnErrorNamingItsLine() throws {
        let good = "# comment\npython-serial\tserial\tserial\tone thread\n\npython-hybrid\thybrid\tprocesses-x-threads\tP x T\n"
        let entries = try PythonModels.parse(good, path: "registry.tsv")
        #expect(entries.map(\.name) == ["python-serial", "python-hybrid"] && entries[1].layout == .processesTimesThreads)
        // CRLF line ends read as LF, as Python's universal newlines read them.
        #expect(try PythonModels.parse(good.replacingOccurrences(of: "\n", with: "\r\n"), path: "registry.tsv").map(\.summary) == ["one thread", "P x T"])
        let serial = "python-serial\tserial\tserial\tone thread\n"
        let damaged = [
            (serial + "python-x\tx\tthreads\n", "registry.tsv:2: expected name, module, layout and summary"),
            (serial + "python-x\tx\tsideways\tsummary\n", "registry.tsv:2: expected name, module, layout and summary"),
            (serial + "\tx\tthreads\tsummary\n", "registry.tsv:2: expected name, module, layout and summary"),
            (serial + "python-serial\tthread\tthreads\tagain\n", "registry.tsv:2: a second model named python-serial"),
            ("python-thread\tthread\tthreads\tfirst\n", "registry.tsv:1: the first model is every Python speedup's baseline"),
            ("# only a comment\n", "registry.tsv lists no model"),
        ]
        for (text, message) in damaged {
            #expect {
                _ = try PythonModels.parse(text, path: "registry.tsv")
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }
}
