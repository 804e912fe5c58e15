import Glibc
import Workloads

/// The worker side of a pool: what `bench worker` runs, in a process the
/// parent spawned with its pipes on fds 3 (commands in) and 4 (results out).
///
/// Reads `setup`, rebuilds the workload through `WorkloadRegistry` (the same
/// code every model runs), starts a `ThreadTeam` of the requested size
/// draining a `PipeTaskSource`, says `ready` once its threads exist, reports
/// results as they complete, calls the workload's `finish()`, and ends with a
/// `final` report carrying its own peak RSS. Ignores SIGINT: the parent
/// decides when workers stop.
enum PoolWorker {
    /// Exit status when the parent is gone or closed the pipes: nobody is
    /// left to read a message, so the worker leaves without one.
    static let parentGoneStatus: Int32 = 3

    /// Whether this process was started as a worker (both pipe ends present).
    static var hasPipes: Bool {
        fcntl(WorkerProcess.commandFD, F_GETFD) >= 0 && fcntl(WorkerProcess.resultFD, F_GETFD) >= 0
    }

    /// Runs the worker to its end; returns false if it failed (reported to the parent).
    /// `index` is only for `ps` and debugging: the parent knows which worker is which.
    static func run(index: Int) -> Bool {
        signal(SIGINT, SIG_IGN)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        // Anything this worker might start must not hold the pipes open.
        _ = fcntl(WorkerProcess.commandFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(WorkerProcess.resultFD, F_SETFD, FD_CLOEXEC)

        let outbox = ResultOutbox(fd: WorkerProcess.resultFD)
        do {
            try ParentWatch.start(fd: WorkerProcess.commandFD)
            let source = PipeTaskSource(fd: WorkerProcess.commandFD, outbox: outbox)
            let setup = try source.readSetup()
            let workload = ReportingWorkload(
                inner: try WorkloadRegistry.make(setup.workload, parameters: setup.parameters),
                outbox: outbox, source: source)
            let team = try ThreadTeam.drain(source, threads: setup.threads, workload: workload) {
                outbox.send(.ready)
            }
            if let error = source.protocolError {
                throw error
            }
            // Flush what the workload buffered (printed lines) before the final
            // report, which is where the parent stops the clock.
            try workload.finish()
            outbox.flush(starved: false)
            outbox.send(.final(team.checksum, peakKilobytes: PeakMemory.currentKilobytes(), usage: .currentProcess()))
            return true
        } catch {
            // The parent names the worker (index and pid) when it prints this.
            outbox.send(.failure("\(error)"))
            return false
        }
    }
}
