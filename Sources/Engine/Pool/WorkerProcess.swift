import Glibc
import Platform

/// One worker as the parent sees it: its pid and the parent's ends of its two
/// pipes, and how to collect it once it ends: `wait4` for a worker bench
/// spawned, a request to the fork server for one the server forked.
final class WorkerProcess {
    /// The worker's view of its pipes: it reads commands on fd 3 and writes
    /// results on fd 4; 1 and 2 are the parent's, so a workload that prints
    /// (or crashes with a message) still reaches the sink or terminal; 0 is /dev/null.
    static let commandFD: Int32 = 3
    static let resultFD: Int32 = 4

    /// Who can collect the worker when it ends.
    enum Parent {
        /// bench spawned it: wait4 (with its deadline) through `ChildProcess`.
        case spawned(ChildProcess)
        /// The fork server forked it and alone can wait for it.
        case forked(ForkServerClient)
    }

    let pid: pid_t
    private let parent: Parent
    /// Parent writes commands here (non-blocking: the parent never waits on one slow worker).
    private(set) var commandFD: Int32
    /// Parent reads results here.
    private(set) var resultFD: Int32
    /// Set once the process has been collected.
    private(set) var exit: (status: ExitStatus, usage: ResourceUsage)?

    init(pid: pid_t, parent: Parent, commandFD: Int32, resultFD: Int32) {
        self.pid = pid
        self.parent = parent
        self.commandFD = commandFD
        self.resultFD = resultFD
        FileDescriptor.setNonBlocking(commandFD)
    }

    deinit {
        closePipes()
    }

    /// The two pipes of a new worker: the parent's ends and the worker's.
    struct Pipes {
        let command: (read: Int32, write: Int32)
        let results: (read: Int32, write: Int32)

        init() throws {
            command = try FileDescriptor.makePipe()
            do {
                results = try FileDescriptor.makePipe()
            } catch {
                FileDescriptor.close(command.read)
                FileDescriptor.close(command.write)
                throw error
            }
        }

        /// The worker's ends belong to the worker once it exists; holding them
        /// here would hide its death (no EOF while the parent still has a write end open).
        func closeWorkerEnds() {
            FileDescriptor.close(command.read)
            FileDescriptor.close(results.write)
        }

        func closeAll() {
            [command.read, command.write, results.read, results.write].forEach(FileDescriptor.close)
        }
    }

    /// posix_spawns `executable worker --index <index>` with its pipes on fds 3 and 4.
    static func spawn(executable: String, index: Int) throws -> WorkerProcess {
        let pipes = try Pipes()
        let child: ChildProcess
        do {
            // Workers stay in bench's process group (a pool of hundreds would
            // not fit the abort registry) and so receive a terminal's Ctrl-C
            // and a group-wide SIGTERM: both start blocked and the worker
            // ignores them, because the parent decides when workers stop.
            // No worker reads the terminal: with stdin a tty, the Swift runtime's
            // crash backtracer would stop a crashed worker to ask the user what to do.
            child = try ChildProcess(
                executable: executable, arguments: HelperExecutable.arguments([PoolWorker.role, "--index", String(index)]),
                captureStandardError: false,
                extraDescriptors: [(commandFD, pipes.command.read), (resultFD, pipes.results.write)],
                ownGroup: false, blockedSignals: Signals.stopSignals)
        } catch {
            pipes.closeAll()
            throw PoolError.spawnFailed(path: executable, index: index, errno: error.code)
        }
        pipes.closeWorkerEnds()
        return WorkerProcess(pid: child.pid, parent: .spawned(child), commandFD: pipes.command.write, resultFD: pipes.results.read)
    }

    /// SIGKILL, unless already collected (a collected pid may belong to someone else by now).
    func kill() {
        guard exit == nil else { return }
        switch parent {
        case .spawned: _ = Glibc.kill(pid, SIGKILL)
        case let .forked(server): server.kill(pid)
        }
    }

    /// Collects the process, waiting until `deadline` (a `MonotonicClock`
    /// reading) for it to end by itself, then killing it. Bounded either way.
    @discardableResult
    func reap(deadline: UInt64) -> (status: ExitStatus, usage: ResourceUsage) {
        if let exit { return exit }
        let collected: (status: ExitStatus, usage: ResourceUsage)
        switch parent {
        case let .spawned(child):
            let reaped = child.wait(until: deadline) ?? child.wait()
            collected = (reaped.status, reaped.usage)
        case let .forked(server):
            collected = server.reap(pid, deadline: deadline)
        }
        exit = collected
        closePipes()
        return collected
    }

    /// The fork server's death, when this worker was forked by a server that
    /// has died since: the cause to report rather than the worker's own signal.
    var parentDeath: PoolError? {
        guard case let .forked(server) = parent else { return nil }
        return server.death
    }

    /// Closing the command pipe is also the worker's signal to exit, if it still runs.
    func closePipes() {
        FileDescriptor.close(commandFD)
        FileDescriptor.close(resultFD)
        commandFD = -1
        resultFD = -1
    }
}

/// Starts a pool's workers by the configured start method.
struct WorkerLauncher {
    private let method: Method

    private enum Method {
        case spawn(executable: String)
        case forkserver(ForkServerClient)
    }

    /// Finds bench-worker, or the running fork server (starting it if there
    /// is none yet): before the sample's clock starts.
    init(_ startMethod: StartMethod, executable: String? = nil) throws {
        if let executable {
            method = .spawn(executable: executable)
            return
        }
        switch startMethod {
        case .spawn: method = .spawn(executable: try HelperExecutable.resolve())
        case .forkserver: method = .forkserver(try ForkServerClient.shared())
        }
    }

    func launch(index: Int) throws -> WorkerProcess {
        switch method {
        case let .spawn(executable): try WorkerProcess.spawn(executable: executable, index: index)
        case let .forkserver(server): try server.fork(index: index)
        }
    }
}
