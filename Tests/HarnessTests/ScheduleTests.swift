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

/// `--runs auto`'s stopping rule, on walls whose intervals are known.
@Suite("Auto sampling")
struct AutoSamplingTests {
    let sampling = AutoSampling()

    func needsAnother(_ walls: [Double], minimum: Int = 6, measured: Double = 0, maxTime: Double? = nil, elapsed: Double = 0) -> Bool {
        sampling.needsAnother(walls: walls, minimum: minimum, measuredSeconds: measured, maxTimeSeconds: maxTime, elapsedSeconds: elapsed)
    }

    @Test func aCellStopsWhenItsIntervalIsWithinThePrecision() {
        let steady = [1.0, 1.01, 0.99, 1.005, 0.995, 1.0]
        #expect(needsAnother(Array(steady.prefix(5))), "below 6 there is no interval yet")
        #expect(!needsAnother(steady), "[0.99, 1.01] is ±1%")
        let noisy = [1.0, 1.1, 0.9, 1.05, 0.95, 1.0]
        #expect(needsAnother(noisy), "[0.9, 1.1] is ±10%")
        #expect(needsAnother(steady, minimum: 8), "a family's minimum comes first")
    }

    @Test func theBoundsStopItBeyondSixButNeverBelow() {
        let noisy = [1.0, 1.1, 0.9, 1.05, 0.95, 1.0]
        #expect(!needsAnother(noisy + Array(repeating: 1, count: 14)), "--max-runs 20")
        #expect(!needsAnother(noisy, measured: 5, maxTime: 5))
        #expect(!needsAnother(noisy, elapsed: 1_000), "--budget")
        #expect(!needsAnother(noisy, minimum: 8, elapsed: 1_000), "the budget bounds a family's minimum too")
        #expect(needsAnother([1, 2, 3], measured: 5, maxTime: 1, elapsed: 1_000), "never below the 6 of an interval")
        var claims = sampling
        claims.claimsMinimum = 10
        #expect(claims.needsAnother(walls: noisy, minimum: 10, measuredSeconds: 5, maxTimeSeconds: 1, elapsedSeconds: 1_000),
                "an experiment's claims minimum is not cut by the budget or --max-time")
        #expect(!claims.needsAnother(walls: noisy + [1, 1, 1, 1], minimum: 10, measuredSeconds: 0, maxTimeSeconds: nil, elapsedSeconds: 1_000))
    }

    /// m comparisons need a unanimous sign test at p ≤ 5%/m: 2^(1−n) ≤ 0.05/m.
    @Test func familiesNeedMoreRounds() {
        #expect(OrderStatistics.minimumCount(forMiss: 0.05) == 6)
        #expect(OrderStatistics.minimumCount(forMiss: 0.05 / 5) == 8)
        #expect(OrderStatistics.minimumCount(forMiss: 0.05 / 120) == 13)
        #expect(AutoSampling.minimum(forClaims: 14) == 11, "two medians' [min, max] within 0.05/28 together")
    }
}

@Suite("Machine load")
struct MachineLoadTests {
    static let quiet = MachineLoad.Window(seconds: 10, otherCPUCores: 0.1, otherRunnable: 0.2, stealPercent: 0.5)

    @Test func aRunIsDisturbedWhenOthersTakeHalfTheCoresOrTheHypervisorSteals() {
        let calm = MachineLoad(cores: 2, loadAverageStart: 3, loadAverageMax: 9, before: Self.quiet, during: Self.quiet, busiestOthers: [])
        #expect(!calm.isDisturbed, "bench's own load (the load average) does not count")
        let busy = MachineLoad(
            cores: 2, loadAverageStart: 0.1, loadAverageMax: 0.1, before: Self.quiet,
            during: .init(seconds: 10, otherCPUCores: 1.2, otherRunnable: 0.5, stealPercent: 0), busiestOthers: [])
        #expect(busy.reasons == ["other processes kept 1.20 of 2 cores busy during measuring"])
        let crowded = MachineLoad(
            cores: 2, loadAverageStart: 0.1, loadAverageMax: 0.1,
            before: .init(seconds: 0.2, otherCPUCores: 0, otherRunnable: 3, stealPercent: 0), during: Self.quiet, busiestOthers: [])
        #expect(crowded.isDisturbed)
        let stolen = MachineLoad(
            cores: 2, loadAverageStart: 0.1, loadAverageMax: 0.1, before: Self.quiet,
            during: .init(seconds: 10, otherCPUCores: 0, otherRunnable: 0, stealPercent: 6), busiestOthers: [])
        #expect(stolen.reasons == ["the hypervisor stole 6.0% of the CPU time during measuring"])
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
