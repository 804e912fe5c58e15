import Testing
import Workloads
import Engine
@testable import Harness
import Platform

/// What the plan refuses before anything runs, and how a workload's values
/// look in the params column.
@Suite("Plan checks")
struct PlanCheckTests {
    static func plan(workload: String, values: [String: ParameterValue], workers: [Int]) throws -> MatrixPlan {
        var options = MatrixOptions()
        options.workloads = [workload]
        options.models = ["thread"]
        options.workers = workers
        options.tasks = 8
        options.parameterValues = values.mapValues { [$0] }
        return try MatrixPlan(options)
    }

    @Test func tasksInFlightMustFitInMemory() throws {
        let plan = try Self.plan(workload: "profile", values: ["memory-kib": .number(1_024), "result-bytes": .number(0)], workers: [1, 4, 64])
        try MemoryFit.check(plan.cells, available: 8 << 20)
        // 8 tasks (not 64 workers) at once, 1 MiB each: 8 MiB fits, 8 MiB minus a byte does not.
        do {
            try MemoryFit.check(plan.cells, available: (8 << 20) - 1)
            Issue.record("accepted")
        } catch let error as BenchError {
            #expect(error.exitCode == .usage)
            #expect(error.what.contains("8 tasks at once x 1 MiB each need 8 MiB"), "\(error.what)")
            #expect(error.fix.contains("--memory-kib"))
        }
        #expect(throws: BenchError.self) {
            try Self.plan(workload: "profile", values: ["memory-kib": .number((SystemMemory.totalBytes ?? 0) / 1024)], workers: [8])
        }
    }

    @Test func theDefaultMatrixLeavesOutProfileAndExec() {
        #expect(MatrixOptions().workloads == ["xor", "sleep", "noop", "print", "http"])
        #expect(WorkloadRegistry.names.contains("profile") && WorkloadRegistry.names.contains("exec"))
    }

    @Test func aCommandInParamsHoldsOnlyWhatPlotShAcceptsAndReadsBack() throws {
        let command = #"sh -c "gzip -c 'big file' > /dev/null; echo {task}" ü"#
        let plan = try Self.plan(workload: "exec", values: ["command": .text(command)], workers: [2])
        let params = try #require(plan.cells.first?.parameters.description)
        #expect(params.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._=;:+/%-".contains($0)) }, "\(params)")
        let declaration = try #require(WorkloadRegistry.declaration(named: "exec"))
        #expect(try declaration.values(parsing: params)["command"] == .text(command))
    }
}
