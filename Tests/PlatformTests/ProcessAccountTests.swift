import CEpoll
import Glibc
import Testing
@testable import Platform

/// What /proc and perf_event_open say about bench's processes beyond rusage:
/// parsed right, summed right, and unknown kept apart from 0.
@Suite("Process account")
struct ProcessAccountTests {
    @Test func smapsRollupGivesPSSAndPrivatePagesAsUSS() {
        let text = """
            561f90f91000-7ffcbb52a000 ---p 00000000 00:00 0                          [rollup]
            Rss:               13544 kB
            Pss:               12092 kB
            Pss_Dirty:          6896 kB
            Shared_Clean:       1640 kB
            Private_Clean:      5008 kB
            Private_Dirty:      6896 kB
            """
        #expect(ProportionalMemory.parse(text) == ProportionalMemory(pssKilobytes: 12_092, ussKilobytes: 11_904))
        #expect(ProportionalMemory.parse("Rss: 5 kB\n") == nil, "a file without the lines is unknown, not 0")
    }

    @Test func thisProcessHoldsNoMoreUniquelyThanProportionallyThanResidently() throws {
        let memory = try #require(ProportionalMemory.ofThisProcess())
        let resident = try #require(ProcFile.read("/proc/self/status").flatMap { ProcFile.field("VmRSS", in: $0) })
        #expect(memory.ussKilobytes > 0)
        #expect(memory.ussKilobytes <= memory.pssKilobytes)
        // Read a moment apart: allow the resident set a little growth in between.
        #expect(memory.pssKilobytes <= resident + 1_024, "PSS \(memory.pssKilobytes) kB, RSS \(resident) kB")
    }

    @Test func procFieldsAreFoundByTheirWholeNameAndColon() {
        let status = "Name:\tbench-worker\nVmHWM:\t    7452 kB\nVmRSS:\t 7000 kB\n"
        #expect(ProcFile.field("VmHWM", in: status) == 7_452)
        #expect(ProcFile.field("VmRSS", in: status) == 7_000)
        #expect(ProcFile.field("Vm", in: status) == nil, "a prefix of a name is not the name")
        #expect(ProcFile.field("Pss", in: "Pss_Dirty:  5 kB\nPss:   9 kB") == 9)
        #expect(ProcFile.field("Name", in: status) == nil, "no digits")
        #expect(ProcFile.field("VmHWM", in: "VmHWM: 99999999999999999999999 kB") == nil, "too large is unknown")
        #expect(ProcFile.integers(in: "2418607 10975045 109\n") == [2_418_607, 10_975_045, 109])
        #expect(ProcFile.integers(in: "").isEmpty)
        #expect(ProcFile.read("/nonexistent/file") == nil)
        let large = ProcFile.read("/proc/self/maps") ?? ""
        #expect(large.hasSuffix("\n"), "a file longer than one read comes whole")
    }

    @Test func migrationsComeFromTheSchedFile() {
        let text = "cat (21704, #threads: 1)\n----\nse.exec_start    :   1397008.032872\nse.nr_migrations     :    12\nnr_switches : 1\n"
        #expect(SchedulerStatistics.migrations(in: text) == 12)
        #expect(SchedulerStatistics.migrations(in: "nr_switches : 1\n") == nil)
    }

    @Test func aChangeCountsNewThreadsWholeAndKnownOnesFromBefore() {
        func stats(_ wait: Int, _ migrations: Int?) -> SchedulerStatistics {
            SchedulerStatistics(runQueueWaitNanoseconds: wait, migrations: migrations)
        }
        let before: [Int32: SchedulerStatistics] = [1: stats(100, 1), 2: stats(500, 2), 3: stats(50, 0)]
        // 1 went on; 2's id was reused by a new thread (its figures went down); 4 is new; 3 ended.
        let after: [Int32: SchedulerStatistics] = [1: stats(160, 3), 2: stats(20, 0), 4: stats(7, 1)]
        #expect(SchedulerStatistics.change(from: before, to: after) == stats(60 + 20 + 7, 2 + 0 + 1))
        #expect(SchedulerStatistics.change(from: [:], to: [1: stats(5, nil), 2: stats(6, 1)]) == stats(11, nil), "one unknown count makes the sum unknown")
        let account = ProcessAccount(memory: .zero, scheduling: stats(1, 1)) + ProcessAccount(memory: nil, scheduling: stats(2, 2))
        #expect(account == ProcessAccount(memory: nil, scheduling: stats(3, 3)))
    }

    @Test func everyThreadOfThisProcessIsListedWithItsWait() throws {
        try #require(SchedulerStatistics.isAvailable, "this kernel keeps no run-queue waits (CONFIG_SCHEDSTATS)")
        let threads = SchedulerStatistics.threadsOfThisProcess()
        #expect(threads[ThreadIDs.current] != nil, "the calling thread \(ThreadIDs.current) among \(threads.keys.sorted())")
        #expect(threads.values.allSatisfy { $0.runQueueWaitNanoseconds >= 0 })
        #expect(SchedulerStatistics.thread(-5) == nil)
    }

    /// The hardware counters are absent in most VMs (this one among them): then
    /// every reading is nil, and the session says why. The same session code
    /// with a software clock shows that a process started after it opened adds
    /// its counts to the parent's, as worker processes must.
    @Test func countersAreInheritedByProcessesStartedLater() throws {
        switch HardwareCounters.session {
        case .success: #expect(HardwareCounters.now() != nil)
        case let .failure(error):
            #expect(HardwareCounters.now() == nil)
            #expect(error.what.hasPrefix("perf_event_open: "))
        }
        let clock = PerfCounterSession.Event(type: PERF_TYPE_SOFTWARE.rawValue, config: UInt64(PERF_COUNT_SW_TASK_CLOCK.rawValue))
        let session: PerfCounterSession
        do {
            session = try PerfCounterSession(events: [clock])
        } catch {
            // No perf events at all (perf_event_paranoid 3, seccomp): nothing more to check.
            return
        }
        let before = session.read()[0]
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done"])
        let ended = child.wait()
        #expect(ended.status == .exited(0))
        let childNanoseconds = Int((ended.usage.userSeconds + ended.usage.systemSeconds) * 1e9)
        let counted = session.read()[0] - before
        // The child's task clock, plus whatever this process's own threads ran meanwhile.
        #expect(counted >= childNanoseconds / 2, "counted \(counted) ns, the children's CPU time \(childNanoseconds) ns")
    }
}
