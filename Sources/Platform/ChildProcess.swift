import CEpoll
import Glibc

/// A program started with `posix_spawn`, optionally in a process group of its
/// own, its standard error captured, reaped with `wait4` for its CPU time
/// (which includes every descendant it reaped itself).
///
/// Standard input is /dev/null and standard output is inherited (for a
/// printing program, the sink), unless descriptors are given for them.
/// `extraDescriptors` are further (child fd <- parent fd) mappings, e.g. a
/// report pipe on fd 3.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// Whether it leads a process group of its own (then a timeout kills the group).
    public let ownGroup: Bool
    private let errorOutput: DescriptorDrain?
    private var reaped: ProcessReaper.Reaped?

    /// `standardInput` and `standardOutput` are the child's ends (the caller
    /// closes its copies); `captureStandardError` false leaves stderr inherited.
    /// `environment` (`NAME=value` entries) replaces this process's when given.
    /// Every signal starts with its default disposition; `blockedSignals`
    /// start blocked (a child that ignores them itself can unblock them, and
    /// one that arrived in between is then discarded). `diesWithParent`: the
    /// kernel SIGKILLs the child when the calling thread ends, bench's SIGKILL
    /// included; for programs the calling thread waits for (exec's tasks).
    public init(
        executable: String, arguments: [String], standardInput: Int32? = nil, standardOutput: Int32? = nil,
        captureStandardError: Bool = true, extraDescriptors: [(child: Int32, parent: Int32)] = [],
        environment: [String]? = nil, ownGroup: Bool = true, blockedSignals: [Int32] = [], diesWithParent: Bool = false
    ) throws(SpawnError) {
        let errorPipe: (read: Int32, write: Int32)?
        do {
            errorPipe = captureStandardError ? try FileDescriptor.makePipe() : nil
        } catch {
            throw SpawnError(executable: executable, code: error.code)
        }
        // dup2 clears close-on-exec on the copies; every other descriptor of
        // bench is close-on-exec, so the child holds only what is named here.
        var mappings: [(child: Int32, parent: Int32)] = []
        if let standardInput { mappings.append((0, standardInput)) }
        if let standardOutput { mappings.append((1, standardOutput)) }
        if let errorPipe { mappings.append((2, errorPipe.write)) }
        mappings += extraDescriptors
        // Always set: the mask is inherited across exec from the spawning thread, and a thread
        // that blocked signals (a test runner's, a launcher's) would leave the child deaf to them
        // (measured: the Python driver's SIGALRM timeout never fired under swift test).
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in blockedSignals { sigaddset(&mask, number) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }
        var child: pid_t = 0
        let status: Int32 = if diesWithParent {
            Self.spawnDyingWithParent(
                &child, executable, argv, envp, nullInput: standardInput == nil, mappings: mappings, ownGroup: ownGroup, mask: mask)
        } else {
            Self.posixSpawn(
                &child, executable, argv, envp, nullInput: standardInput == nil, mappings: mappings, ownGroup: ownGroup, mask: mask)
        }
        FileDescriptor.close(errorPipe?.write ?? -1)
        guard status == 0 else {
            FileDescriptor.close(errorPipe?.read ?? -1)
            throw SpawnError(executable: executable, code: status)
        }
        pid = child
        self.ownGroup = ownGroup
        if ownGroup { ChildRegistry.register(child) }
        if let errorPipe {
            do {
                errorOutput = try DescriptorDrain(descriptor: errorPipe.read)
            } catch {
                // Without a reader the child could block on a full pipe: stop it rather than hang later.
                kill(child, SIGKILL)
                errorOutput = nil
                reaped = collected(ProcessReaper.reap(child, deadline: nil))
                throw SpawnError(executable: executable, code: error.code)
            }
        } else {
            errorOutput = nil
        }
    }

    /// posix_spawn with the file actions and attributes the initializer describes.
    private static func posixSpawn(
        _ child: inout pid_t, _ executable: String, _ argv: [UnsafeMutablePointer<CChar>?], _ envp: [UnsafeMutablePointer<CChar>?]?,
        nullInput: Bool, mappings: [(child: Int32, parent: Int32)], ownGroup: Bool, mask: sigset_t
    ) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if nullInput {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        for mapping in mappings {
            posix_spawn_file_actions_adddup2(&actions, mapping.parent, mapping.child)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if ownGroup {
            // Its own group, so a timeout can stop the program and everything it started,
            // and a Ctrl-C or a `timeout` sent to bench's group does not reach it.
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        var mask = mask
        posix_spawnattr_setsigmask(&attributes, &mask)
        // Every signal back to its default: what bench or a pool worker ignores (SIGPIPE,
        // SIGINT, SIGTERM) would otherwise stay ignored in a program that expects defaults.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        if let envp {
            return posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        }
        return posix_spawn(&child, executable, &actions, &attributes, argv, environ)
    }

    /// The same start through `bench_spawn_dying_with_parent`, which also sets PR_SET_PDEATHSIG.
    private static func spawnDyingWithParent(
        _ child: inout pid_t, _ executable: String, _ argv: [UnsafeMutablePointer<CChar>?], _ envp: [UnsafeMutablePointer<CChar>?]?,
        nullInput: Bool, mappings: [(child: Int32, parent: Int32)], ownGroup: Bool, mask: sigset_t
    ) -> Int32 {
        let sources = mappings.map(\.parent)
        let targets = mappings.map(\.child)
        var mask = mask
        var error: Int32 = 0
        func spawn(_ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> pid_t {
            bench_spawn_dying_with_parent(
                executable, argv, environment, nullInput ? 1 : 0, sources, targets, Int32(mappings.count), ownGroup ? 1 : 0, &mask, &error)
        }
        let pid = if let envp { spawn(envp) } else { spawn(environ) }
        guard pid > 0 else { return error }
        child = pid
        return 0
    }

    deinit {
        // Once collected, the pid is free for reuse: a newer child's slot must not be cleared.
        if ownGroup, reaped == nil { ChildRegistry.unregister(pid) }
    }

    /// Waits for the child to end, blocked in `wait4` (no polling delay).
    @discardableResult
    public func wait() -> ProcessReaper.Reaped {
        if let reaped { return reaped }
        let result = collected(ProcessReaper.reap(pid, deadline: nil))
        reaped = result
        return result
    }

    /// Waits for the child to end; past `deadline` (a `MonotonicClock` reading)
    /// kills it (its whole group when it has one) and returns nil. Bounded either way.
    public func wait(until deadline: UInt64) -> ProcessReaper.Reaped? {
        if let reaped { return reaped.killedAtDeadline ? nil : reaped }
        let result = collected(ProcessReaper.reap(pid, deadline: deadline, group: ownGroup))
        reaped = result
        return result.killedAtDeadline ? nil : result
    }

    /// Whether the child has ended, without waiting; an ended child is
    /// collected now (`wait()` then returns at once).
    public func hasEnded() -> Bool {
        if reaped != nil { return true }
        var status: Int32 = 0
        var usage = rusage()
        let result = wait4(pid, &status, WNOHANG, &usage)
        guard result == pid || (result < 0 && errno == ECHILD) else { return false }
        reaped = collected(result == pid
            ? ProcessReaper.Reaped(status: ExitStatus(waitStatus: status), usage: ResourceUsage(usage), killedAtDeadline: false)
            : ProcessReaper.Reaped(status: .exited(255), usage: .zero, killedAtDeadline: false))
        return true
    }

    /// Sends `signal` to the child (its group when it has one), unless it was already collected.
    public func signal(_ number: Int32) {
        guard reaped == nil else { return }
        _ = kill(ownGroup ? -pid : pid, number)
    }

    /// A reaped child's group id may be reused at once: forget it before anything else can kill it.
    private func collected(_ reaped: ProcessReaper.Reaped) -> ProcessReaper.Reaped {
        ChildRegistry.unregister(pid)
        return reaped
    }

    /// Everything the child wrote on standard error (after it has ended).
    public func standardError() -> String {
        String(decoding: (try? errorOutput?.collect()) ?? [], as: UTF8.self)
    }
}

/// A program that could not be started.
public struct SpawnError: ReportableError {
    public let executable: String
    public let code: Int32

    public var what: String { "cannot start \(executable): \(SystemCallError.describe(code))" }
    public var fix: String {
        code == ENOENT || code == EACCES ? "check that it is installed and executable" : "check the process limit (ulimit -u)"
    }
    public var exitCode: ExitCode { .runFailed }
}
