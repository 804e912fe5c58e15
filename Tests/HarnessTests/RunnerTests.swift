import Foundation
import Testing
import Workloads
import Engine
@testable import Harness
import Platform
import TestSupport

/// The runner's guarantees, checked with models that misbehave on purpose
/// and with the built binary under the flags that bound or stop a run.
@Suite("Runner", .serialized)
struct RunnerTests {
    /// Serial, but task 0 is never run: the checksum cannot match.
    struct LosingModel: ConcurrencyModel {
        var name: String { "thread" }
        var summary: String { "loses task 0" }

        func shapes(workers: [Int], processes: [Int]) -> [Shape] {
            workers.map { .threads($0) }
        }

        func execute(_ job: Job) throws -> Execution {
            var checksum = Checksum()
            for task in 1..<job.tasks {
                checksum.add(task: task, result: try job.workload.run(task: task))
            }
            return Execution(checksum: checksum, wallSeconds: 0.001, setupSeconds: 0)
        }
    }

    @Test func aChecksumMismatchIsARowMarkedFalseAndAFailedCell() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var options = MatrixOptions()
        options.workloads = ["noop"]
        options.models = ["serial", "thread"]
        options.workers = [2]
        options.tasks = 10
        options.runs = .fixed(2)
        options.warmup = 0
        let plan = try MatrixPlan(options)
        let run = try RunFolder(root: folder.url.path, label: "mismatch", plan: plan, commandLine: ["test"])
        let outcome = try await offCooperativePool {
            try Runner(plan: plan, progress: ProgressLine(enabled: false)) { name in
                name == "thread" ? LosingModel() : ModelRegistry.model(named: name)
            }.run(recordingInto: run)
        }
        try run.finish(outcome)
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first?.message.contains("checksum mismatch") == true)
        #expect(outcome.failures.first?.message.contains(" — ") == true)
        let raw = try CSVTable(path: run.path + "/raw.csv")
        let threadRows = raw.rows(matching: ["model": "thread"])
        // The bad run is kept, marked false; the cell takes no more runs after failing.
        #expect(threadRows.count == 1)
        #expect(threadRows.allSatisfy { $0["ok"] == "false" })
        let summary = try CSVTable(path: run.path + "/summary.csv")
        #expect(!summary.column("model").contains("thread"))
        #expect(summary.column("model").contains("serial"))
        // A run with a failed cell is kept, but latest points only at complete runs.
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("latest").path))
    }
}
