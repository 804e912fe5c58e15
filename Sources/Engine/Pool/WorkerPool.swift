import Glibc
import Platform
import Workloads

/// The parent side of a pool run: spawns the workers, starts each on its
/// first chunk as it becomes ready, keeps tasks flowing ahead of results, merges the
/// partial checksums, and reaps every worker: on success, on a fault and on
/// the timeout alike, so no run leaves a zombie or an orphan behind.
///
/// One thread (the caller's) drives everything with `poll(2)`: results are
/// read as they come, commands are written without blocking (each worker has
/// an outgoing buffer), and the deadline is the poll timeout.
public final class WorkerPool {
    private let configuration: PoolConfiguration
    private var slots: [Slot] = []
    private var startedAt: UInt64 = 0
    private var deadline: UInt64 = 0
    private var readyAt: UInt64?
    private var finishedAt: UInt64?
    /// This process's usage when the last final report arrived: the end of its CPU span.
    private var usageAtFinish: ResourceUsage?
    private var readyCount = 0
    private var finalCount = 0
    /// Next task index the parent's queue hands out (`.chunks` and `.lockstep`).
    private var nextTask = 0
    private var tasksDone = 0
    private var checksum = Checksum()
    private var workerUsage = ResourceUsage.zero
    private var workerPeakKilobytes = 0
    private var workerAccount = ProcessAccount.zero
    /// Every worker's task times merged, when the setup asked for them.
    private var taskTimes: TaskTimes?
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// How long a worker that closed its pipe may take to become a zombie
    /// before it is killed: exiting takes microseconds; this only bounds the odd case.
    private static let exitGraceNanoseconds: UInt64 = 2_000_000_000

    /// A write to a worker that has just died must be an EPIPE the pool
    /// handles, never a SIGPIPE that kills the parent (bench ignores it in
    /// main.swift; a test process hosting the pool may not).
    private static let ignoreBrokenPipes: Void = Signals.ignoreBrokenPipes()

    /// The parent's record of one worker.
    private struct Slot {
        let process: WorkerProcess
        var decoder = FrameDecoder<WorkerMessage>()
        /// Encoded commands not yet accepted by the worker's pipe.
        var outbound: [UInt8] = []
        var isReady = false
        /// Sum of its `done` reports.
        var reported = Checksum()
        var final: (checksum: Checksum, peakKilobytes: Int, usage: ResourceUsage)?
        /// What it reported after `final`; nil until then, or from a worker that sends none.
        var account: ProcessAccount?
        var times: TaskTimes?
        var failure: String?
        /// Tasks sent to it and not yet reported done.
        var inFlight = 0
        /// Tasks it may have in flight; doubles when it reports running dry.
        var window: Int
        var sentFinish = false
        /// Its result pipe reached end of file (and the process was reaped, unless `awaitsReaping`).
        var closed = false
        /// Closed after its final report while others still work: reaped once they are done.
        var awaitsReaping = false
    }

    private init(_ configuration: PoolConfiguration) {
        self.configuration = configuration
    }

    /// Runs every task of `configuration` on its worker processes.
    public static func run(_ configuration: PoolConfiguration) throws -> PoolSample {
        precondition(configuration.processes >= 1 && configuration.mode.width >= 1)
        _ = ignoreBrokenPipes
        let pool = WorkerPool(configuration)
        do {
            return try pool.execute()
        } catch {
            pool.stopAll()
            throw error
        }
    }

    // MARK: - Flow control

    /// Initial in-flight tasks per worker: two chunks (one running, one
    /// queued behind it), and enough to give each of its threads a task.
    private var initialWindow: Int {
        guard case let .chunks(size) = configuration.assignment else { return 0 }
        return max(2 * size, configuration.mode.width + size)
    }

    /// A chunk this long makes a round trip to the parent (tens of µs)
    /// negligible beside it, so nothing is gained by queueing chunks ahead.
    static let longChunkSeconds = 0.002

    /// The tasks worker `index` may hold now. Chunks queued ahead keep a
    /// worker busy while its report travels, which matters for short chunks;
    /// for long ones they only commit work to one worker that another, idle
    /// at the end, could have run (8 tasks of 12.5 ms on 2 processes ended 5
    /// to 3). So once the results show long chunks, each thread gets just
    /// the chunk it can start now, as from a shared queue.
    private func window(of index: Int) -> Int {
        guard case let .chunks(size) = configuration.assignment else { return 0 }
        return chunksAreLong ? configuration.mode.width * size : slots[index].window
    }

    /// Set once the results so far show chunks longer than `longChunkSeconds`;
    /// decided on each report, not on every chunk sent.
    private var chunksAreLong = false

    private func noticeChunkLength() {
        guard !chunksAreLong, case let .chunks(size) = configuration.assignment, let readyAt, tasksDone > 0 else { return }
        // Threads that can have been busy: never more than there are tasks.
        let busyThreads = Double(min(configuration.processes * configuration.mode.width, configuration.tasks))
        let secondsPerTask = MonotonicClock.seconds(from: readyAt, to: MonotonicClock.now()) * busyThreads / Double(tasksDone)
        chunksAreLong = secondsPerTask * Double(size) > Self.longChunkSeconds
    }

    /// Largest window: 1,024 chunks, at 24 bytes each well inside a pipe's
    /// 64 KiB, so a full window never waits on the pipe.
    private var maximumWindow: Int {
        guard case let .chunks(size) = configuration.assignment else { return 0 }
        return max(initialWindow, 1_024 * size)
    }

    // MARK: - The run

    private func execute() throws -> PoolSample {
        FileLimit.reserve(2 * configuration.processes)
        // Resolved before the clock starts: a missing bench-worker or fork server is not the model's time.
        let launcher = try WorkerLauncher(configuration.startMethod, executable: configuration.executable)
        startedAt = MonotonicClock.now()
        deadline = MonotonicClock.deadline(afterSeconds: configuration.timeoutSeconds)
        let setup = ParentMessage.setup(WorkerSetup(
            workload: configuration.workloadName, parameters: configuration.parameters, mode: configuration.mode,
            timingOrigin: configuration.timesTasks ? startedAt : nil)).encoded
        if configuration.timesTasks { taskTimes = TaskTimes() }
        for index in 0..<configuration.processes {
            let process = try launcher.launch(index: index)
            slots.append(Slot(process: process, window: initialWindow))
            // Sent at once, so each worker builds its workload while the next one is spawned.
            slots[index].outbound = setup
            flushOutbound(index)
        }
        configuration.observer?(.spawned(slots.map(\.process.pid)))

        while slots.contains(where: { !$0.closed }) {
            try waitAndServe()
        }
        for index in slots.indices where slots[index].awaitsReaping {
            try reap(index)
        }
        return PoolSample(
            checksum: checksum,
            timeline: SampleTimeline(
                startedAt: startedAt, readyAt: readyAt ?? startedAt, finishedAt: finishedAt ?? MonotonicClock.now(),
                usageAtFinish: usageAtFinish ?? ResourceUsage.currentProcess()),
            workerUsage: workerUsage, workerPeakKilobytes: workerPeakKilobytes, workerAccount: workerAccount, taskTimes: taskTimes)
    }

    /// One `poll` over every open pipe, then whatever it reported.
    private func waitAndServe() throws {
        var descriptors: [pollfd] = []
        var owners: [(slot: Int, isCommand: Bool)] = []
        for (index, slot) in slots.enumerated() where !slot.closed {
            descriptors.append(pollfd(fd: slot.process.resultFD, events: Int16(POLLIN), revents: 0))
            owners.append((index, false))
            if !slot.outbound.isEmpty {
                descriptors.append(pollfd(fd: slot.process.commandFD, events: Int16(POLLOUT), revents: 0))
                owners.append((index, true))
            }
        }
        let now = MonotonicClock.now()
        guard now < deadline else {
            throw PoolError.timedOut(
                seconds: configuration.timeoutSeconds, tasksDone: tasksDone, tasks: configuration.tasks,
                unready: readyAt == nil ? slots.count - readyCount : 0)
        }
        let milliseconds = Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
        let count = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        if count < 0 {
            if errno == EINTR { return }
            throw PoolError.system(SystemCallError("poll on the worker pipes failed", errno: errno))
        }
        for (position, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
            let owner = owners[position]
            guard !slots[owner.slot].closed else { continue }
            if owner.isCommand {
                // POLLERR here means the worker is gone; its result pipe's EOF says how.
                flushOutbound(owner.slot)
            } else {
                try receive(from: owner.slot)
            }
        }
    }

    /// One read from a worker's result pipe, and every message it completed.
    private func receive(from index: Int) throws {
        let fd = slots[index].process.resultFD
        let outcome = readBuffer.withUnsafeMutableBytes { FileDescriptor.readSome(fd, into: $0) }
        switch outcome {
        case let .bytes(count):
            readBuffer.withUnsafeBytes { slots[index].decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            do {
                while let message = try slots[index].decoder.next() {
                    try handle(message, from: index)
                }
            } catch let error as ProtocolError {
                throw malformed(index, error.description)
            }
        case .endOfFile, .failed:
            try workerClosed(index)
        case .wouldBlock:
            break
        }
    }

    private func handle(_ message: WorkerMessage, from index: Int) throws {
        switch message {
        case .ready:
            guard !slots[index].isReady else { throw malformed(index, "sent ready twice") }
            slots[index].isReady = true
            readyCount += 1
            if readyCount == configuration.processes {
                openGate()
            } else {
                startEarly(index)
            }
        case let .done(partial, starved):
            try record(partial, starved: starved, from: index)
        case let .result(task, bytes):
            guard task < configuration.tasks else {
                throw malformed(index, "sent the result of task \(task) of \(configuration.tasks)")
            }
            // Digesting what arrived is the parent's share of the work of bringing a result back.
            var partial = Checksum()
            partial.add(task: task, result: ResultBytes.digest(bytes))
            try record(partial, starved: false, from: index)
        case let .final(total, peakKilobytes, usage):
            let slot = slots[index]
            guard slot.isReady, slot.final == nil, slot.sentFinish, slot.inFlight == 0 else {
                throw malformed(index, "sent its final report with \(slot.inFlight) tasks still in flight")
            }
            guard total == slot.reported else {
                throw malformed(index, "its final checksum \(total) disagrees with the sum of its reports \(slot.reported)")
            }
            slots[index].final = (total, peakKilobytes, usage)
            finalCount += 1
            if finalCount == configuration.processes {
                // The work ends here rather than at the last result: a worker's
                // final report follows its workload's `finish()` (a stdio flush,
                // say), which is part of the work, as in the in-process models.
                finishedAt = MonotonicClock.now()
                usageAtFinish = ResourceUsage.currentProcess()
            }
        case let .account(account):
            guard slots[index].final != nil, slots[index].account == nil else {
                throw malformed(index, "sent its account before its final report, or twice")
            }
            slots[index].account = account
        case let .failure(text):
            if slots[index].failure == nil {
                slots[index].failure = text
            }
        case let .times(times):
            guard slots[index].final == nil, slots[index].times == nil, configuration.timesTasks else {
                throw malformed(index, "sent task times it was not asked for, twice, or after its final report")
            }
            slots[index].times = times
        }
    }

    /// Tasks worker `index` reports done: merged, counted, and its window refilled.
    private func record(_ partial: Checksum, starved: Bool, from index: Int) throws {
        guard slots[index].isReady, slots[index].final == nil else {
            throw malformed(index, "sent results before ready or after its final report")
        }
        guard partial.taskCount <= slots[index].inFlight else {
            throw malformed(index, "reported \(partial.taskCount) tasks done with \(slots[index].inFlight) in flight")
        }
        slots[index].inFlight -= partial.taskCount
        slots[index].reported.merge(partial)
        checksum.merge(partial)
        tasksDone += partial.taskCount
        noticeChunkLength()
        if starved && nextTask < configuration.tasks {
            slots[index].window = min(slots[index].window * 2, maximumWindow)
        }
        refill(index)
    }

    /// A worker ready before the others starts on what it can run at once:
    /// one chunk per thread from the shared queue, as a Python Pool's workers
    /// begin as each comes up. Waiting for the last one idled the first for a
    /// fork round trip per later worker (0.25-0.35 ms each, measured); the
    /// rest of the queue is still dealt round-robin when all are ready, so an
    /// early worker takes no more than its turn of a queue too short to go round.
    /// Static blocks (hybrid) gain nothing: a block's end is fixed by its size.
    private func startEarly(_ index: Int) {
        guard case .chunks = configuration.assignment else { return }
        for _ in 0..<configuration.mode.width where nextTask < configuration.tasks {
            sendChunk(to: index)
        }
        flushOutbound(index)
    }

    /// Every worker is ready: setup ends here, and the rest of the work is sent.
    private func openGate() {
        readyAt = MonotonicClock.now()
        configuration.observer?(.ready(slots.map(\.process.pid)))
        let tasks = configuration.tasks
        switch configuration.assignment {
        case .blocks:
            for index in slots.indices {
                let block = TaskAssignment.block(index, of: slots.count, tasks: tasks)
                if !block.isEmpty {
                    ParentMessage.tasks(block).encode(into: &slots[index].outbound)
                    slots[index].inFlight = block.count
                }
                ParentMessage.finish.encode(into: &slots[index].outbound)
                slots[index].sentFinish = true
                flushOutbound(index)
            }
        case .lockstep:
            sendNextInLockstep()
        case .chunks:
            // Deal chunks round-robin, fewest in flight first, so that when the
            // tasks do not fill every window, neither the last workers nor those
            // that were not ready early are the ones left without any.
            var dealt = true
            while dealt && nextTask < tasks {
                dealt = false
                let level = slots.indices.filter { slots[$0].inFlight < window(of: $0) }.map { slots[$0].inFlight }.min() ?? 0
                for index in slots.indices where slots[index].inFlight == level && level < window(of: index) && nextTask < tasks {
                    sendChunk(to: index)
                    dealt = true
                }
            }
            for index in slots.indices {
                refill(index)
            }
        }
    }

    /// Tops worker `index` up to its window from the parent's queue; once the
    /// queue is empty, tells every worker that nothing more will come.
    private func refill(_ index: Int) {
        guard readyAt != nil else { return }
        switch configuration.assignment {
        case .blocks:
            return
        case .lockstep:
            sendNextInLockstep()
            return
        case .chunks:
            break
        }
        let tasks = configuration.tasks
        while slots[index].inFlight < window(of: index) && nextTask < tasks {
            sendChunk(to: index)
        }
        if nextTask == tasks {
            sendFinish(flushingAllBut: index)
        }
        flushOutbound(index)
    }

    /// Tells every worker not yet told that nothing more will come, and
    /// writes it at once to all but `index` (whose caller flushes it).
    private func sendFinish(flushingAllBut index: Int?) {
        for other in slots.indices where !slots[other].sentFinish && !slots[other].closed {
            ParentMessage.finish.encode(into: &slots[other].outbound)
            slots[other].sentFinish = true
            if other != index { flushOutbound(other) }
        }
    }

    /// Lockstep: once no task is in flight anywhere, the next one goes to the
    /// next worker in turn; after the last, every worker is told to finish.
    private func sendNextInLockstep() {
        guard slots.allSatisfy({ $0.inFlight == 0 }) else { return }
        guard nextTask < configuration.tasks else {
            sendFinish(flushingAllBut: nil)
            return
        }
        let index = nextTask % slots.count
        ParentMessage.tasks(nextTask..<(nextTask + 1)).encode(into: &slots[index].outbound)
        slots[index].inFlight = 1
        nextTask += 1
        flushOutbound(index)
    }

    /// Queues the next chunk of the parent's queue for worker `index`.
    private func sendChunk(to index: Int) {
        guard case let .chunks(size) = configuration.assignment else { return }
        let upper = min(nextTask + size, configuration.tasks)
        ParentMessage.tasks(nextTask..<upper).encode(into: &slots[index].outbound)
        slots[index].inFlight += upper - nextTask
        nextTask = upper
    }

    /// Writes what the worker's pipe accepts now; the rest waits for POLLOUT.
    private func flushOutbound(_ index: Int) {
        let fd = slots[index].process.commandFD
        while !slots[index].outbound.isEmpty && fd >= 0 {
            let written = slots[index].outbound.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written > 0 {
                slots[index].outbound.removeFirst(written)
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && errno == EAGAIN {
                return
            } else {
                // EPIPE: the worker is gone. Its result pipe's EOF reports how it ended.
                slots[index].outbound.removeAll()
                return
            }
        }
    }

    /// A worker's result pipe ended: reap it, and fail the run unless it
    /// finished its share and exited cleanly. A worker that ended after its
    /// final report while others still work is reaped once they are done:
    /// reaping waits for the process to be gone, and with the fork server it
    /// is a round trip to another process, time in which another worker's
    /// final report, which ends the wall time, would wait unread.
    private func workerClosed(_ index: Int) throws {
        slots[index].closed = true
        if slots[index].final != nil && slots[index].failure == nil && finalCount < configuration.processes {
            slots[index].awaitsReaping = true
            return
        }
        try reap(index)
    }

    private func reap(_ index: Int) throws {
        slots[index].awaitsReaping = false
        let process = slots[index].process
        let exit = process.reap(deadline: min(deadline, MonotonicClock.now() &+ Self.exitGraceNanoseconds))
        if let failure = slots[index].failure {
            throw PoolError.workerFailed(index: index, pid: process.pid, message: failure)
        }
        guard exit.status.isSuccess else {
            if let death = process.parentDeath { throw death }
            throw PoolError.workerDied(index: index, pid: process.pid, status: exit.status, phase: phase(of: index))
        }
        guard slots[index].decoder.pendingByteCount == 0, let final = slots[index].final else {
            throw malformed(index, "exited without its final report")
        }
        // The worker's own reading at its final report, not wait4's: the wall
        // time ends at that report, and the CPU must cover the same span.
        workerUsage = workerUsage + final.usage
        workerPeakKilobytes += final.peakKilobytes
        // A worker that gave no account (a program other than bench-worker) leaves the sum unknown, not smaller.
        workerAccount = workerAccount + (slots[index].account ?? ProcessAccount(memory: nil, scheduling: nil))
        if let times = slots[index].times { taskTimes?.merge(times) }
    }

    /// Where a dead worker was in the run, for its error line.
    private func phase(of index: Int) -> String {
        let slot = slots[index]
        if !slot.isReady { return "before it was ready" }
        return "with \(slot.inFlight) of its tasks unfinished (\(tasksDone) of \(configuration.tasks) done in all)"
    }

    private func malformed(_ index: Int, _ detail: String) -> PoolError {
        .malformed(index: index, pid: slots[index].process.pid, detail: detail)
    }

    /// Kills and reaps every worker still there. Bounded: SIGKILL cannot be
    /// caught, and `reap` waits for it to land.
    private func stopAll() {
        for slot in slots {
            slot.process.kill()
        }
        for slot in slots {
            slot.process.reap(deadline: 0)
        }
    }
}
