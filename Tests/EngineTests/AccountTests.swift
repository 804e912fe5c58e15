import Glibc
import Synchronization
import Testing
import Workloads
@testable import Broker
@testable import Engine
import Platform
import TestSupport

/// What each model reports of its processes' memory and scheduling: read
/// while the threads that did the work still exist, summed over every worker.
@Suite("Process accounts of the models")
struct AccountTests {
    /// Records which threads ran its tasks.
    final class ThreadRecorder: Workload {
        let threads = Mutex<Set<Int32>>([])
        var name: String { "thread-recorder" }
        var kind: WorkloadKind { .cpu }
        var work: WorkSize { .none }

        func run(task: Int) throws -> UInt64 {
            threads.withLock { _ = $0.insert(ThreadIDs.current) }
            usleep(1_000)
            return UInt64(task)
        }
    }

    static func exists(_ thread: Int32) -> Bool {
        access("/proc/self/task/\(thread)", F_OK) == 0
    }

    @Test func aTeamsThreadsExistUntilItsCallerHasReadThem() async throws {
        let workload = ThreadRecorder()
        let seenInside = try await offCooperativePool {
            var seen: [Int32: Bool] = [:]
            _ = try ThreadTeam.drain(RangeTaskQueue(0..<40), threads: 8, workload: workload, whileThreadsExist: { result in
                #expect(result.checksum.taskCount == 40)
                for thread in workload.threads.withLock({ $0 }) { seen[thread] = Self.exists(thread) }
            })
            return seen
        }
        let threads = workload.threads.withLock { $0 }
        #expect(threads.count >= 2, "several threads took tasks")
        #expect(seenInside.count == threads.count && seenInside.values.allSatisfy { $0 }, "\(seenInside)")
        #expect(threads.allSatisfy { !Self.exists($0) }, "joined once drain returns")
    }

    @Test func whatTheCallerThrowsComesOutOnceTheThreadsAreJoined() async throws {
        struct Refused: Error {}
        let workload = ThreadRecorder()
        await #expect(throws: Refused.self) {
            try await offCooperativePool {
                _ = try ThreadTeam.drain(RangeTaskQueue(0..<4), threads: 2, workload: workload, whileThreadsExist: { _ in throw Refused() })
            }
        }
        #expect(workload.threads.withLock { $0 }.allSatisfy { !Self.exists($0) })
    }

    /// Every worker's account arrives and sums: PSS within the summed peak RSS, USS within PSS.
    @Test(arguments: [
        ("process-pool", Shape.processes(3, threadsEach: 1)), ("hybrid", .processes(2, threadsEach: 3)),
        ("process-async", .processes(2, inFlightEach: 4)),
    ] as [(String, Shape)])
    func everyWorkerReportsItsAccount(model: String, shape: Shape) async throws {
        let execution = try await TestRun.execute(model, workload: "sleep", tasks: 12, shape: shape)
        let memory = try #require(execution.workerAccount.memory)
        #expect(memory.ussKilobytes > 0 && memory.ussKilobytes <= memory.pssKilobytes)
        #expect(memory.pssKilobytes <= execution.workerPeakKilobytes)
        if SchedulerStatistics.isAvailable {
            let scheduling = try #require(execution.workerAccount.scheduling)
            #expect(scheduling.runQueueWaitNanoseconds >= 0)
        } else {
            #expect(execution.workerAccount.scheduling == nil)
        }
    }

    @Test func theThreadModelReadsItsThreadsBeforeTheyEnd() async throws {
        let execution = try await TestRun.execute("thread", workload: "sleep", tasks: 12, shape: .threads(6))
        let threads = try #require(execution.ownSchedulingAtFinish)
        if SchedulerStatistics.isAvailable {
            #expect(threads.count >= 7, "the team and its caller: \(threads.count)")
        }
        #expect(execution.workerAccount == .zero, "no worker processes")
    }
}
