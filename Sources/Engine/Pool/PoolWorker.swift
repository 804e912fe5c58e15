import Glibc
import Platform
import Workloads

/// The worker side of a pool: what `bench-worker worker` runs, in a process
/// the parent spawned (or the fork server forked) with its pipes on fds 3
/// (commands in) and 4 (results out).
///
/// Reads `setup`, rebuilds the workload through `WorkloadRegistry` (the same
/// code every model runs), starts a `ThreadTeam` of the requested size
/// draining a `PipeTaskSource` (or, in async mode, a TaskGroup over the tasks
/// it is sent), says `ready` once its threads exist, reports results as they
/// complete, calls the workload's `finish()`, and ends with a `final` report
/// carrying its own CPU time and peak RSS, then its `account` (PSS, USS,
/// run-queue wait, migrations). Ignores SIGINT and SIGTERM: the
/// parent decides when workers stop, and exits as soon as the parent is gone.
public enum PoolWorker {
    public static let role = "worker"

    /// Whether this process was started as a worker (both pipe ends present).
    public static var hasPipes: Bool {
        FileDescriptor.isOpen(WorkerProcess.commandFD) && FileDescriptor.isOpen(WorkerProcess.resultFD)
    }

    /// Does once, in the fork server before it forks any worker, the first
    /// steps of every worker: decode a setup, make a workload from its
    /// parameters, run a task, encode the reports. A fresh process spends
    /// about 0.3 ms there filling the Swift runtime's caches of generic type
    /// metadata and protocol conformances (measured in forked workers, from
    /// reading the setup to having the workload); workers forked from a server
    /// that has filled them inherit them filled. Starts no thread: the server
    /// must stay single-threaded to fork safely.
    static func warmUp() {
        guard let xor = WorkloadRegistry.declaration(named: XorWorkload.declaration.name) else { return }
        var values = xor.defaults(quick: true)
        values["iterations"] = .number(1)
        var decoder = FrameDecoder<ParentMessage>()
        decoder.append(ParentMessage.setup(WorkerSetup(workload: xor.name, parameters: values.description, mode: .threads(1))).encoded)
        decoder.append(ParentMessage.tasks(0..<1).encoded + ParentMessage.finish.encoded)
        while (try? decoder.next()) != nil {}
        for declaration in WorkloadRegistry.all {
            _ = try? declaration.values(parsing: declaration.defaults(quick: true).description)
        }
        guard let workload = try? WorkloadRegistry.make(xor.name, parameters: values.description) else { return }
        _ = workload as? any PayloadWorkload
        var checksum = Checksum()
        if let session = try? workload.makeSession(), let result = try? session.run(task: 0) { checksum.add(task: 0, result: result) }
        for message in [
            WorkerMessage.ready, .done(checksum, starved: false), .times(TaskTimes()),
            .final(checksum, peakKilobytes: PeakMemory.currentKilobytes(), usage: ResourceUsage.currentProcess()),
            .account(ProcessAccount(memory: nil, scheduling: nil)),
        ] {
            _ = message.encoded
        }
    }

    /// Runs the worker to its end; returns false if it failed (reported to the parent).
    /// `index` is only for `ps` and debugging: the parent knows which worker is which.
    /// `forkServer` is the fork server's pid when it forked this worker: that
    /// server ends as soon as bench does, and being single-threaded it can
    /// have the kernel kill this worker when it ends, which spares the worker
    /// the thread that watches bench's pipe (its start is part of the setup).
    public static func run(index: Int, forkServer: pid_t? = nil) -> Bool {
        Signals.ignore(Signals.stopSignals)
        Signals.ignoreBrokenPipes()
        // Anything this worker might start must not hold the pipes open.
        FileDescriptor.setCloseOnExec(WorkerProcess.commandFD)
        FileDescriptor.setCloseOnExec(WorkerProcess.resultFD)

        let outbox = ResultOutbox(fd: WorkerProcess.resultFD)
        do {
            if let forkServer {
                guard ParentDeath.killWithParent(forkServer) else { _exit(ParentDeath.parentGoneStatus) }
            } else {
                try ParentDeath.watch(WorkerProcess.commandFD)
            }
            let source = PipeTaskSource(fd: WorkerProcess.commandFD, outbox: outbox)
            let setup = try source.readSetup()
            let workload = ReportingWorkload(
                inner: try WorkloadRegistry.make(setup.workload, parameters: setup.parameters),
                outbox: outbox, source: source)
            // What it holds for all tasks is this worker's setup, done before it says ready.
            try workload.setUpProcess()
            // The end of the worker's part: the workload's buffered output flushed, then
            // the final report, where the parent stops the clock; then the account,
            // read while every thread of this process still exists.
            func report(_ checksum: Checksum, _ times: TaskTimes?) throws {
                if let error = source.protocolError {
                    throw error
                }
                try workload.finish()
                outbox.flush(starved: false)
                if let times { outbox.send(.times(times)) }
                outbox.send(.final(checksum, peakKilobytes: PeakMemory.currentKilobytes(), usage: ResourceUsage.currentProcess()))
                outbox.send(.account(.ofThisProcess()))
            }
            switch setup.mode {
            case let .threads(threads):
                _ = try ThreadTeam.drain(
                    source, threads: threads, workload: workload, timing: setup.timingOrigin.map { .from($0) } ?? .off,
                    onReady: { outbox.send(.ready) }, whileThreadsExist: { team in try report(team.checksum, team.taskTimes) })
            case let .async(limit):
                outbox.send(.ready)
                var received: [Int] = []
                while let task = source.next() { received.append(task) }
                if let error = source.protocolError { throw error }
                let tasks = received
                let origin = setup.timingOrigin
                let result = try blockingAwait {
                    try await AsyncWindow.run(tasks: tasks, limit: limit, workload: workload, timedFrom: origin)
                }
                try report(result.checksum, result.taskTimes)
            }
            return true
        } catch {
            // The parent names the worker (index and pid) when it prints this.
            outbox.send(.failure(oneLine(error)))
            return false
        }
    }
}
