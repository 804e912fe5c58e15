import Glibc

/// One worker as the parent sees it: its pid and the parent's ends of its two
/// pipes. Started with `posix_spawn` (never `fork()` without exec: the parent
/// has threads), reaped with `wait4` for its CPU time and context switches.
final class WorkerProcess {
    /// The worker's view of its pipes: it reads commands on fd 3 and writes
    /// results on fd 4; 1 and 2 are the parent's, so a workload that prints
    /// (or crashes with a message) still reaches the terminal; 0 is /dev/null.
    static let commandFD: Int32 = 3
    static let resultFD: Int32 = 4

    let pid: pid_t
    /// Parent writes commands here (non-blocking: the parent never waits on one slow worker).
    private(set) var commandFD: Int32
    /// Parent reads results here.
    private(set) var resultFD: Int32
    /// Set once `wait4` has collected the process.
    private(set) var exit: (status: ExitStatus, usage: ResourceUsage)?

    private init(pid: pid_t, commandFD: Int32, resultFD: Int32) {
        self.pid = pid
        self.commandFD = commandFD
        self.resultFD = resultFD
    }

    deinit {
        closePipes()
    }

    /// Starts `executable worker --index <index>` with its pipes on fds 3 and 4.
    static func spawn(executable: String, index: Int) throws -> WorkerProcess {
        let command = try FileDescriptor.makePipe()
        let results: (read: Int32, write: Int32)
        do {
            results = try FileDescriptor.makePipe()
        } catch {
            FileDescriptor.close(command.read)
            FileDescriptor.close(command.write)
            throw error
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies; every other descriptor of
        // the parent is close-on-exec, so the worker holds only these two ends.
        posix_spawn_file_actions_adddup2(&actions, command.read, commandFD)
        posix_spawn_file_actions_adddup2(&actions, results.write, resultFD)
        // No worker reads the terminal: with stdin a tty, the Swift runtime's
        // crash backtracer would stop a crashed worker to ask the user what to do.
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Ctrl-C reaches the whole process group, but the parent decides when
        // workers stop. SIGINT stays blocked from birth until the worker has
        // set it to ignored (which also discards one that arrived meanwhile).
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let arguments = [executable, "worker", "--index", String(index)]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        // The worker's ends belong to the worker now; holding them here would
        // hide its death (no EOF while the parent still has a write end open).
        FileDescriptor.close(command.read)
        FileDescriptor.close(results.write)
        guard status == 0 else {
            FileDescriptor.close(command.write)
            FileDescriptor.close(results.read)
            throw PoolError.spawnFailed(path: executable, index: index, errno: status)
        }
        FileDescriptor.setNonBlocking(command.write)
        return WorkerProcess(pid: pid, commandFD: command.write, resultFD: results.read)
    }

    /// SIGKILL, unless already collected (a reaped pid may belong to someone else by now).
    func kill() {
        if exit == nil {
            _ = Glibc.kill(pid, SIGKILL)
        }
    }

    /// Collects the process, waiting until `deadline` (a `MonotonicClock`
    /// reading) for it to end by itself, then killing it. Bounded either way.
    @discardableResult
    func reap(deadline: UInt64) -> (status: ExitStatus, usage: ResourceUsage) {
        if let exit { return exit }
        let reaped = ProcessReaper.reap(pid, deadline: deadline)
        let collected = (status: reaped.status, usage: reaped.usage)
        exit = collected
        closePipes()
        return collected
    }

    /// Closing the command pipe is also the worker's signal to exit, if it still runs.
    func closePipes() {
        FileDescriptor.close(commandFD)
        FileDescriptor.close(resultFD)
        commandFD = -1
        resultFD = -1
    }
}
