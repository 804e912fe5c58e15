import Testing
import Workloads
@testable import Engine
@testable import LocalHTTP
import Platform
import TestSupport

/// process-pool and hybrid must give serial's checksum for every workload,
/// whatever the shape and dispatch: the guarantee that their speedups
/// compare the same work.
@Suite("Pool models agree with serial")
struct PoolChecksumTests {
    static let cases: [(String, Shape, PoolOptions, String)] = [
        ("process-pool", .processes(1, threadsEach: 1), PoolOptions(), "one worker"),
        ("process-pool", .processes(3, threadsEach: 1), PoolOptions(), "several workers"),
        ("process-pool", .processes(3, threadsEach: 1), PoolOptions(chunkSize: 1), "chunksize 1"),
        ("process-pool", .processes(2, threadsEach: 1), PoolOptions(chunkSize: 100), "one chunk larger than the tasks"),
        ("hybrid", .processes(2, threadsEach: 3), PoolOptions(dispatch: .static), "static blocks"),
        ("hybrid", .processes(2, threadsEach: 3), PoolOptions(dispatch: .dynamic), "dynamic chunks"),
        ("hybrid", .processes(3, threadsEach: 2), PoolOptions(chunkSize: 1, dispatch: .dynamic), "dynamic chunksize 1"),
        ("process-async", .processes(3, inFlightEach: 4), PoolOptions(), "async windows"),
        ("process-pool", .processes(2, threadsEach: 1), PoolOptions(dispatch: .lockstep), "lockstep"),
        ("hybrid", .processes(2, threadsEach: 3), PoolOptions(dispatch: .lockstep), "hybrid lockstep"),
    ]

    @Test(arguments: ["xor", "sleep", "noop"], StartMethod.allCases)
    func everyPoolShapeMatchesSerialUnderEachStartMethod(workload: String, startMethod: StartMethod) async throws {
        let tasks = 23
        let serial = try await TestRun.execute("serial", workload: workload, tasks: tasks, shape: .serial)
        #expect(serial.checksum.taskCount == tasks)
        for (model, shape, pool, what) in Self.cases {
            var pool = pool
            pool.startMethod = startMethod
            let execution = try await TestRun.execute(model, workload: workload, tasks: tasks, shape: shape, pool: pool)
            #expect(execution.checksum == serial.checksum, "\(model) \(shape) \(what) on \(workload), \(startMethod)")
        }
    }

    @Test(arguments: StartMethod.allCases)
    func largeResultsCrossWholeFromEveryThreadOfEveryWorker(startMethod: StartMethod) async throws {
        // Results far above PIPE_BUF, from several threads of one worker at once:
        // their messages must arrive whole, never interleaved, or the parent's digests differ.
        let values = try TestRun.values("profile", ["result-bytes": .number(300_001), "cpu-us": .number(50), "wait-ms": .number(0)])
        let serial = try await TestRun.execute("serial", workload: "profile", values: values, tasks: 19, shape: .serial)
        for (model, shape, pool) in [
            ("hybrid", Shape.processes(2, threadsEach: 3), PoolOptions(dispatch: .dynamic)),
            ("process-pool", .processes(3, threadsEach: 1), PoolOptions(chunkSize: 1)),
            ("process-async", .processes(2, inFlightEach: 4), PoolOptions()),
        ] {
            var pool = pool
            pool.startMethod = startMethod
            let execution = try await TestRun.execute(model, workload: "profile", values: values, tasks: 19, shape: shape, pool: pool)
            #expect(execution.checksum == serial.checksum, "\(model) \(shape), \(startMethod)")
        }
    }

    @Test func profileWaitingOnTheServerAgreesUnderEveryModel() async throws {
        // Worker processes find the server through the parameters the fixture resolved.
        let values = try TestRun.values("profile", ["wait": .text("http"), "wait-ms": .number(1), "cpu-us": .number(50)])
        let serial = try await TestRun.execute("serial", workload: "profile", values: values, tasks: 13, shape: .serial)
        for (model, shape) in [
            ("thread", Shape.threads(4)), ("async", .inFlight(4)), ("process-pool", .processes(2, threadsEach: 1)),
            ("process-async", .processes(2, inFlightEach: 3)),
        ] {
            let execution = try await TestRun.execute(model, workload: "profile", values: values, tasks: 13, shape: shape)
            #expect(execution.checksum == serial.checksum, "\(model) \(shape)")
        }
    }

    @Test func moreWorkersThanTasksStillRunsEachTaskOnce() async throws {
        let serial = try await TestRun.execute("serial", workload: "noop", tasks: 3, shape: .serial)
        let pool = try await TestRun.execute("process-pool", workload: "noop", tasks: 3, shape: .processes(6, threadsEach: 1))
        let hybridStatic = try await TestRun.execute("hybrid", workload: "noop", tasks: 3, shape: .processes(5, threadsEach: 2))
        let hybridDynamic = try await TestRun.execute(
            "hybrid", workload: "noop", tasks: 3, shape: .processes(5, threadsEach: 2), pool: PoolOptions(dispatch: .dynamic))
        #expect(pool.checksum == serial.checksum)
        #expect(hybridStatic.checksum == serial.checksum)
        #expect(hybridDynamic.checksum == serial.checksum)
    }

    @Test func manySmallChunksArePipelined() async throws {
        // 5,000 one-task chunks: exercises window growth and batched reports.
        let serial = try await TestRun.execute("serial", workload: "noop", tasks: 5_000, shape: .serial)
        let pool = try await TestRun.execute(
            "process-pool", workload: "noop", tasks: 5_000, shape: .processes(2, threadsEach: 1), pool: PoolOptions(chunkSize: 1))
        #expect(pool.checksum == serial.checksum)
    }

    @Test func accountsForEveryWorker() async throws {
        let execution = try await TestRun.execute(
            "hybrid", workload: "xor", tasks: 8, shape: .processes(2, threadsEach: 2))
        #expect(execution.setupSeconds > 0)
        #expect(execution.setupSeconds < execution.wallSeconds)
        // Each worker is a whole Swift process: it has a peak of its own and used some CPU.
        #expect(execution.workerPeakKilobytes > 2 * 1_000)
        #expect(execution.workerUsage.userSeconds + execution.workerUsage.systemSeconds > 0)
        #expect(execution.workerUsage.voluntarySwitches > 0)
    }

    @Test func lockstepKeepsOneTaskInFlight() async throws {
        // 40 tasks of 5 ms on 2 workers: in lockstep they cannot overlap (200 ms and
        // more after setup); chunks of one task, pipelined, do (about half of that).
        let values = try TestRun.values("sleep", ["sleep-ms": .number(5)])
        func run(_ dispatch: PoolOptions.Dispatch) async throws -> Execution {
            try await TestRun.execute(
                "process-pool", workload: "sleep", values: values, tasks: 40, shape: .processes(2, threadsEach: 1),
                pool: PoolOptions(chunkSize: 1, dispatch: dispatch))
        }
        let lockstep = try await run(.lockstep)
        let pipelined = try await run(.dynamic)
        #expect(lockstep.checksum == pipelined.checksum)
        #expect(lockstep.wallSeconds - lockstep.setupSeconds > 0.19, "tasks overlapped: \(lockstep.wallSeconds)")
        #expect(pipelined.wallSeconds - pipelined.setupSeconds < lockstep.wallSeconds - lockstep.setupSeconds)
    }

    @Test func defaultChunkSizeIsPythonPools() {
        #expect(TaskAssignment.defaultChunkSize(tasks: 64, processes: 2) == 8)
        #expect(TaskAssignment.defaultChunkSize(tasks: 65, processes: 2) == 9)
        #expect(TaskAssignment.defaultChunkSize(tasks: 3, processes: 64) == 1)
        let blocks = (0..<3).map { TaskAssignment.block($0, of: 3, tasks: 10) }
        #expect(blocks == [0..<3, 3..<6, 6..<10])
    }
}
