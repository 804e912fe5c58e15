import Platform
import Glibc
import Synchronization
import Workloads

/// What a thread team reports about one drain of its task source.
public struct ThreadTeamResult: Sendable {
    public var checksum: Checksum
    /// Before the first thread was created, when the last one existed (gate
    /// opened), and when the last thread finished its tasks.
    public var timeline: SampleTimeline
    /// Every thread's task times merged; nil when the team did not time its tasks.
    public var taskTimes: TaskTimes?
}

/// Whether and from when a team times its tasks (a task's queueing delay is
/// counted from the sample's start).
public enum TaskTiming: Sendable, Equatable {
    case off
    /// From the moment the team starts creating its threads (the thread model).
    case fromTeamStart
    /// From this `MonotonicClock` reading (a pool worker: its parent's start).
    case from(UInt64)
}

/// Why a team could not run.
public enum ThreadTeamError: ReportableError {
    case cannotStartThread(index: Int, of: Int, errno: Int32)

    public var what: String {
        switch self {
        case let .cannotStartThread(index, count, code):
            "could not start thread \(index + 1) of \(count): \(SystemCallError.describe(code))"
        }
    }

    public var fix: String { "lower --workers, or raise the thread limit (ulimit -u) and memory" }
    public var exitCode: ExitCode { .runFailed }
}

/// N OS threads, created for one drain and joined after it, each taking task
/// indices from a shared `TaskSource` until it is empty. The `thread` model is
/// one team; a `hybrid` worker process runs one team of its own.
///
/// A thread that runs out of tasks waits, rather than ending, until every
/// thread has and the caller's `whileThreadsExist` has run: a thread's
/// scheduler statistics (run-queue wait, migrations) can be read only while
/// it exists, and ending threads one by one would lose the early ones'.
public enum ThreadTeam {
    /// Stack per thread: ample for the workloads (plain sockets, one printed
    /// line), and cheap to create. Measured on 400 threads here: with 128 KiB
    /// stacks creation took 6 ms, with 512 KiB 9 ms, with 2 MiB 10 ms, and that
    /// is part of every thread cell's wall time.
    static let stackBytes = 128 * 1024

    /// Runs `threads` threads until `source` is empty. `onReady` is called once
    /// every thread exists, just before they are let go: a worker process
    /// reports ready there, so its thread start-up counts as setup.
    /// `whileThreadsExist` is called with the result once every task is done,
    /// before any thread ends (not after a failure), on the thread that
    /// finished last: a worker process sends its final report from there at
    /// once, without first waking the thread that waits to join the team
    /// (tens of µs, a time slice when the cores are busy). What it throws,
    /// `drain` throws once the threads are joined.
    public static func drain(
        _ source: any TaskSource, threads: Int, workload: any Workload, timing: TaskTiming = .off, onReady: () -> Void = {},
        whileThreadsExist: (ThreadTeamResult) throws -> Void = { _ in }
    ) throws -> ThreadTeamResult {
        precondition(threads >= 1)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackBytes)
        defer { pthread_attr_destroy(&attributes) }

        // The team's memory, task-time histograms included, exists before the clock starts:
        // bench's own bookkeeping is not the model's setup.
        let team = TeamState(threads: threads, source: source, workload: workload, timesTasks: timing != .off)
        team.startedAt = MonotonicClock.now()
        switch timing {
        case .off: break
        case .fromTeamStart: team.timingOrigin = team.startedAt
        case let .from(reading): team.timingOrigin = reading
        }
        // The caller's closure is called only while drain waits below, and forgotten before it returns.
        return try withoutActuallyEscaping(whileThreadsExist) { hook in
            team.whileThreadsExist = hook
            defer { team.whileThreadsExist = nil }
            var handles: [pthread_t] = []
            handles.reserveCapacity(threads)
            var startFailure: ThreadTeamError?
            for index in 0..<threads {
                let context = Unmanaged.passRetained(ThreadContext(team: team, index: index)).toOpaque()
                var handle = pthread_t()
                let status = pthread_create(&handle, &attributes, { raw in
                    let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                    context.team.work(threadIndex: context.index)
                    return nil
                }, context)
                if status != 0 {
                    Unmanaged<ThreadContext>.fromOpaque(context).release()
                    startFailure = .cannotStartThread(index: index, of: threads, errno: status)
                    team.abandon()
                    break
                }
                handles.append(handle)
            }
            team.readyAt = MonotonicClock.now()
            if startFailure == nil {
                onReady()
            }
            team.gate.open()
            // Only a team whose every thread started can finish; the others end as soon as they are let go.
            if startFailure == nil {
                team.waitUntilFinished()
            }
            team.exitGate.open()
            for handle in handles {
                pthread_join(handle, nil)
            }
            if let startFailure { throw startFailure }
            if let error = team.firstError.withLock({ $0 }) { throw error }
            if let error = team.callerError { throw error }
            return team.result!
        }
    }
}

/// Handed to one pthread: which team, which thread.
private final class ThreadContext {
    let team: TeamState
    let index: Int

    init(team: TeamState, index: Int) {
        self.team = team
        self.index = index
    }
}

/// State the threads of one drain share. Each thread writes only its own slot,
/// and the creator reads the slots after joining, so the slots need no lock.
private final class TeamState: @unchecked Sendable {
    let gate = StartGate()
    /// Shut until the creator has read what it needs of the finished threads.
    let exitGate = StartGate()
    /// Set, under its lock, by the last thread to finish its tasks.
    private let finished = LockedCondition()
    private var allFinished = false
    let source: any TaskSource
    let workload: any Workload
    let failed = Atomic<Bool>(false)
    let firstError = Mutex<(any Error)?>(nil)
    /// Threads still working; the one that brings it to zero reads `usageAtFinish` and sets `allFinished`.
    private let working: Atomic<Int>
    /// Written once by the last thread to finish, read by the creator once `allFinished` is set.
    private(set) var usageAtFinish = ResourceUsage.zero
    private let checksums: UnsafeMutableBufferPointer<Checksum>
    private let finishTimes: UnsafeMutableBufferPointer<UInt64>
    /// Each thread's task times (empty when not timing): its histograms are
    /// allocated here, before the gate opens, never while tasks run.
    private let taskTimes: UnsafeMutableBufferPointer<TaskTimes>
    /// When the sample began, for queueing delays; set before any thread
    /// starts (thread creation orders the write before their reads), nil when
    /// not timing.
    var timingOrigin: UInt64?
    /// Before the first thread was created, and once the last one existed:
    /// set by the creator before the gate opens.
    var startedAt: UInt64 = 0
    var readyAt: UInt64 = 0
    /// The caller's `whileThreadsExist`, called by the last thread to finish;
    /// then its result, or what the caller threw (read by the creator once
    /// `allFinished` is set).
    var whileThreadsExist: ((ThreadTeamResult) throws -> Void)?
    private(set) var result: ThreadTeamResult?
    private(set) var callerError: (any Error)?

    init(threads: Int, source: any TaskSource, workload: any Workload, timesTasks: Bool) {
        self.source = source
        self.workload = workload
        taskTimes = .allocate(capacity: timesTasks ? threads : 0)
        // One fresh histogram pair per slot: `initialize(repeating:)` would share one buffer,
        // and each thread's first record would copy it (malloc and 5 KiB) while tasks run.
        for slot in 0..<taskTimes.count { (taskTimes.baseAddress! + slot).initialize(to: TaskTimes()) }
        working = Atomic(threads)
        checksums = .allocate(capacity: threads)
        checksums.initialize(repeating: Checksum())
        finishTimes = .allocate(capacity: threads)
        finishTimes.initialize(repeating: 0)
    }

    deinit {
        checksums.deallocate()
        finishTimes.deallocate()
        _ = taskTimes.deinitialize()
        taskTimes.deallocate()
    }

    /// Tells threads that already exist to do nothing (a later thread failed to start).
    func abandon() {
        failed.store(true, ordering: .relaxed)
    }

    func work(threadIndex: Int) {
        gate.wait()
        var checksum = Checksum()
        do {
            let session = try workload.makeSession()
            if let origin = timingOrigin {
                // Two clock reads per task, into this thread's own slot: no lock, no allocation.
                while !failed.load(ordering: .relaxed), let task = source.next() {
                    let start = MonotonicClock.now()
                    checksum.add(task: task, result: try session.run(task: task))
                    taskTimes[threadIndex].record(origin: origin, start: start, end: MonotonicClock.now())
                }
            } else {
                while !failed.load(ordering: .relaxed), let task = source.next() {
                    checksum.add(task: task, result: try session.run(task: task))
                }
            }
        } catch {
            failed.store(true, ordering: .relaxed)
            firstError.withLock { if $0 == nil { $0 = error } }
        }
        checksums[threadIndex] = checksum
        finishTimes[threadIndex] = MonotonicClock.now()
        if working.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            usageAtFinish = ResourceUsage.currentProcess()
            if firstError.withLock({ $0 }) == nil {
                // Every other thread wrote its slots before its decrement, which this one's ordered after.
                let outcome = ThreadTeamResult(
                    checksum: combinedChecksum(),
                    timeline: SampleTimeline(startedAt: startedAt, readyAt: readyAt, finishedAt: latestFinish(), usageAtFinish: usageAtFinish),
                    taskTimes: combinedTaskTimes())
                do {
                    try whileThreadsExist?(outcome)
                } catch {
                    callerError = error
                }
                result = outcome
            }
            finished.lock()
            allFinished = true
            finished.signal()
            finished.unlock()
        }
        exitGate.wait()
    }

    /// Blocks the creator until the last thread has finished its tasks.
    func waitUntilFinished() {
        finished.lock()
        while !allFinished { finished.wait() }
        finished.unlock()
    }

    func combinedChecksum() -> Checksum {
        checksums.reduce(into: Checksum()) { $0.merge($1) }
    }

    func combinedTaskTimes() -> TaskTimes? {
        guard timingOrigin != nil else { return nil }
        return taskTimes.reduce(into: TaskTimes()) { $0.merge($1) }
    }

    func latestFinish() -> UInt64 {
        finishTimes.max() ?? MonotonicClock.now()
    }
}
