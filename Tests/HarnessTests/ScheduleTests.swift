import Testing
import Workloads
import Engine
@testable import Harness
import Platform
import TestSupport

@Suite("Matrix and schedule")
struct ScheduleTests {
    @Test func serialAppearsOncePerWorkloadAndHybridMultipliesProcesses() throws {
        var options = MatrixOptions()
        options.workloads = ["xor", "sleep"]
        options.models = ["serial", "thread", "async"]
        options.workers = [1, 2, 4]
        let plan = try MatrixPlan(options)
        #expect(plan.cells.count == 2 * (1 + 3 + 3))
        #expect(plan.cells.filter { $0.model == "serial" }.count == 2)
        let hybrid = try #require(ModelRegistry.model(named: "hybrid"))
        #expect(hybrid.shapes(workers: [10], processes: [4]) == [.processes(4, threadsEach: 10)])
        #expect(hybrid.shapes(workers: [10], processes: [4])[0].workers == 40)
        #expect(hybrid.shapes(workers: [1, 2], processes: [2, 4]).count == 4, "--processes is a list: one cell per value")
    }

    @Test func scheduleIsSeededInterleavedAndOrdered() throws {
        var options = MatrixOptions()
        options.workloads = ["noop"]
        options.workers = [1, 2, 4]
        let cells = try MatrixPlan(options).cells
        let first = Schedule.make(cells: cells, runs: 3, warmup: 1, seed: 7)
        let again = Schedule.make(cells: cells, runs: 3, warmup: 1, seed: 7)
        let other = Schedule.make(cells: cells, runs: 3, warmup: 1, seed: 8)
        #expect(first == again)
        #expect(first != other)
        #expect(first.count == cells.count * 4)
        #expect(first.prefix(cells.count).allSatisfy { $0.isWarmup })
        let measured = first.filter { !$0.isWarmup }
        #expect(measured.map(\.order) == Array(1...measured.count))
        // Each round visits every cell once before any cell runs again.
        for round in 0..<3 {
            let roundCells = Set(measured[(round * cells.count)..<((round + 1) * cells.count)].map(\.cell))
            #expect(roundCells.count == cells.count)
        }
    }
}

@Suite("Python models in the matrix")
struct PythonPlanTests {
    @Test func aWorkloadWithoutAPythonVersionIsAnErrorNotASilentSkip() throws {
        let model = try #require(ModelCatalog.model(named: "python-thread"))
        let declaration = WorkloadDeclaration(
            name: "swift-only", kind: .cpu, summary: "no Python version", defaultTasks: 1, quickTasks: 1, hasPythonVersion: false
        ) { _ in NoopWorkload() }
        #expect(model.unsupported(declaration)?.contains("has no swift-only workload") == true)
        #expect(ModelCatalog.model(named: "thread")?.unsupported(declaration) == nil)
    }

    @Test func pythonModelsHaveTheSwiftModelsShapesAndTheirOwnBaseline() throws {
        for name in ["serial", "thread", "process-pool", "hybrid", "async", "process-async"] {
            let swift = try #require(ModelCatalog.model(named: name))
            let python = try #require(ModelCatalog.model(named: "python-" + name))
            #expect(swift.shapes(workers: [1, 3], processes: [2, 4]) == python.shapes(workers: [1, 3], processes: [2, 4]), "\(name)")
            #expect(python.baseline == "python-serial")
            #expect(swift.baseline == "serial")
        }
    }
}
