import Testing
import Workloads
@testable import Bench

/// Every model must give serial's checksum for every workload: the guarantee
/// that a speedup compares the same work.
@Suite("Models agree with serial")
struct ModelChecksumTests {
    static var parameters: WorkloadParameters {
        var parameters = WorkloadParameters()
        parameters.iterations = 10_000
        parameters.sleepMilliseconds = 1
        return parameters
    }

    static func execute(_ model: ModelName, workload name: String, tasks: Int, shape: Shape) async throws -> Execution {
        let workload = try WorkloadRegistry.make(name, parameters: parameters)
        let job = Job(
            workload: workload, workloadName: name, parameters: parameters, tasks: tasks, shape: shape,
            pool: PoolOptions(), timeoutSeconds: 60)
        let concurrencyModel = try #require(ModelRegistry.model(model))
        return try await offCooperativePool { try concurrencyModel.execute(job) }
    }

    static let inProcessShapes: [(ModelName, Shape)] = [
        (.thread, .threads(1)), (.thread, .threads(3)), (.thread, .threads(40)),
        (.async, .inFlight(1)), (.async, .inFlight(3)), (.async, .inFlight(40)),
    ]

    @Test(arguments: ["xor", "sleep", "noop"])
    func everyInProcessModelMatchesSerial(workload: String) async throws {
        let tasks = 23
        let serial = try await Self.execute(.serial, workload: workload, tasks: tasks, shape: .serial)
        #expect(serial.checksum.taskCount == tasks)
        for (model, shape) in Self.inProcessShapes {
            let execution = try await Self.execute(model, workload: workload, tasks: tasks, shape: shape)
            #expect(execution.checksum == serial.checksum, "\(model) \(shape) on \(workload)")
        }
    }

    @Test(arguments: ["xor", "sleep", "noop"])
    func referenceChecksumMatchesSerial(workload: String) async throws {
        let made = try WorkloadRegistry.make(workload, parameters: Self.parameters)
        let cell = Cell(
            index: 0, workload: workload, kind: made.kind, work: made.work, parameters: Self.parameters, model: .serial,
            shape: .serial, tasks: 17)
        let reference = try ReferenceChecksums().checksum(for: cell, workload: made)
        let serial = try await Self.execute(.serial, workload: workload, tasks: 17, shape: .serial)
        #expect(reference == serial.checksum)
    }

    @Test func moreWorkersThanTasksStillRunsEachTaskOnce() async throws {
        let serial = try await Self.execute(.serial, workload: "noop", tasks: 3, shape: .serial)
        let threads = try await Self.execute(.thread, workload: "noop", tasks: 3, shape: .threads(16))
        let async = try await Self.execute(.async, workload: "noop", tasks: 3, shape: .inFlight(16))
        #expect(threads.checksum == serial.checksum)
        #expect(async.checksum == serial.checksum)
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
        let execution = try await Self.execute(.thread, workload: "sleep", tasks: 8, shape: .threads(8))
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
        let smallTime = clock.measure { _ = try? small.run(task: 1) }
        let largeTime = clock.measure { _ = try? large.run(task: 1) }
        #expect(largeTime > smallTime * 10)
    }
}
