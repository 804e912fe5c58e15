import Engine
import Synchronization
import Platform
import TestSupport
import Workloads

/// Runs models the way the runner does, for the Engine's tests: the
/// workload made from its declared parameters, its fixture (server, sink)
/// around the sample, the model executed off the cooperative pool.
enum TestRun {
    /// Parameters made small where a test needs no big task.
    static let small: [String: ParameterValue] = [
        "iterations": .number(10_000), "sleep-ms": .number(1), "http-latency-ms": .number(1),
        // No test may redirect the test process's stdout to a sink it then checks: other
        // suites print meanwhile. /dev/null takes whatever they print and checks nothing.
        "sink": .text("devnull"),
        // A program that prints a different number of bytes per task, so a mispaired result shows.
        "command": .text("printf %s {task}"),
    ]

    /// The declared parameters of `workload`, small, with `overrides` on top.
    static func values(_ workload: String, _ overrides: [String: ParameterValue] = [:]) throws -> ParameterValues {
        let declaration = try require(WorkloadRegistry.declaration(named: workload), workload)
        var values = declaration.defaults(quick: true)
        for (name, value) in small.merging(overrides, uniquingKeysWith: { $1 }) where declaration.parameter(named: name) != nil {
            values[name] = value
        }
        return values
    }

    /// One sample of `model` on `workload`, its fixture started around it and stopped after.
    static func execute(
        _ model: String, workload name: String, values: ParameterValues? = nil, tasks: Int, shape: Shape,
        pool: PoolOptions = PoolOptions()
    ) async throws -> Execution {
        useBuiltBenchForWorkers()
        let declaration = try require(WorkloadRegistry.declaration(named: name), name)
        let values = try values ?? Self.values(name)
        let fixture = try declaration.fixture?.start(values)
        defer { fixture?.stop() }
        let resolved = fixture?.resolve(values) ?? values
        let job = Job(
            workload: try declaration.make(resolved), workloadName: name, parameters: resolved, tasks: tasks, shape: shape,
            pool: pool, timeoutSeconds: 60)
        let concurrencyModel = try require(ModelRegistry.model(named: model), model)
        let box = FixtureBox(fixture)
        return try await offCooperativePool {
            let fixture = box.fixture
            // One sample with a fixture at a time, as in the runner: print's sink takes the
            // process's fd 1, and two samples redirecting it at once undo each other's
            // (seen: "cannot write to standard output: Bad file descriptor").
            return try fixture == nil ? concurrencyModel.execute(job) : Self.oneAtATime.withLock { _ in
                try fixture?.sampleWillStart()
                do {
                    let execution = try concurrencyModel.execute(job)
                    try fixture?.sampleDidEnd(tasks: execution.tasksRun ?? 0..<tasks)
                    return execution
                } catch {
                    fixture?.sampleAbandoned()
                    throw error
                }
            }
        }
    }

    private static let oneAtATime = Mutex<Void>(())
}

/// Carries a fixture to the thread that runs the sample (the runner keeps it on one thread).
private final class FixtureBox: @unchecked Sendable {
    let fixture: (any WorkloadFixture)?

    init(_ fixture: (any WorkloadFixture)?) {
        self.fixture = fixture
    }
}

/// `#require` for plain functions: throws instead of recording an issue.
func require<Value>(_ value: Value?, _ what: String = "a value") throws -> Value {
    guard let value else { throw TestFailure(what: "missing \(what)") }
    return value
}

/// A precondition of a test that did not hold.
struct TestFailure: Error {
    let what: String
}
