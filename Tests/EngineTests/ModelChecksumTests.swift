import Testing
@testable import Engine
import Platform
import TestSupport
@testable import Workloads

/// Every model must give serial's checksum for every workload: the guarantee
/// that a speedup compares the same work. The cases come from the registries,
/// so a new workload or model is covered without a line here.
@Suite("Models agree with serial")
struct ModelChecksumTests {
    /// Every workload Swift runs (python-function is Python code: the python-* tests cover it).
    static let swiftWorkloads = WorkloadRegistry.all.filter { !$0.runsOnlyInPython }.map(\.name)

    static let cases: [(workload: String, model: String)] = swiftWorkloads.flatMap { workload in
        ModelRegistry.all.filter { !$0.isBaseline }.map { (workload, $0.name) }
    }

    @Test(arguments: cases)
    func everyModelMatchesSerialOnEveryWorkload(workload: String, model: String) async throws {
        let tasks = 23
        let serial = try await TestRun.execute("serial", workload: workload, tasks: tasks, shape: .serial)
        #expect(serial.checksum.taskCount == tasks)
        let concurrencyModel = try #require(ModelRegistry.model(named: model))
        // Fewer, as many and more workers than tasks; several processes where the model takes them.
        for shape in concurrencyModel.shapes(workers: [1, 3, 40], processes: [2]) {
            let execution = try await TestRun.execute(model, workload: workload, tasks: tasks, shape: shape)
            #expect(execution.checksum == serial.checksum, "\(model) \(shape) on \(workload)")
        }
    }

    @Test(arguments: swiftWorkloads)
    func serialMatchesTheAnalyticResultWhereOneIsKnown(workload: String) async throws {
        let declaration = try #require(WorkloadRegistry.declaration(named: workload))
        let made = try declaration.make(TestRun.values(workload))
        var analytic = Checksum()
        for task in 0..<17 {
            guard let expected = made.expectedResult(task: task) else { return }
            analytic.add(task: task, result: expected)
        }
        let serial = try await TestRun.execute("serial", workload: workload, tasks: 17, shape: .serial)
        #expect(serial.checksum == analytic)
    }

    @Test func checksumCatchesALostOrDuplicatedTask() {
        var all = Checksum()
        var duplicated = Checksum()
        for task in 0..<10 {
            all.add(task: task, result: UInt64(task))
            duplicated.add(task: task == 9 ? 8 : task, result: UInt64(task == 9 ? 8 : task))
        }
        #expect(all != duplicated)
        var swapped = Checksum()
        for task in 0..<10 { swapped.add(task: task, result: UInt64(9 - task)) }
        #expect(swapped != all)
    }

    @Test func threadSetupIsCountedInsideWall() async throws {
        let execution = try await TestRun.execute("thread", workload: "sleep", tasks: 8, shape: .threads(8))
        #expect(execution.setupSeconds > 0)
        #expect(execution.setupSeconds < execution.wallSeconds)
        // 8 tasks of 1 ms on 8 threads: loosely one sleep, far from eight.
        #expect(execution.wallSeconds < 0.5)
    }

    @Test func xorTimeGrowsWithIterations() throws {
        // Not a timing target: a folded or vectorised loop would not grow at all.
        let small = try XorWorkload(iterations: 100_000)
        let large = try XorWorkload(iterations: 10_000_000)
        let clock = ContinuousClock()
        // The fastest of five each: one preemption of the small run must not decide it.
        let smallTime = (0..<5).map { _ in clock.measure { _ = try? small.run(task: 1) } }.min()!
        let largeTime = (0..<5).map { _ in clock.measure { _ = try? large.run(task: 1) } }.min()!
        #expect(largeTime > smallTime * 10)
    }
}
