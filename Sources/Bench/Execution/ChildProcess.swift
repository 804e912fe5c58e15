import Foundation
import Glibc

/// A program started with `posix_spawn` in a process group of its own, its
/// standard error captured, reaped with `wait4` for its CPU time (which
/// includes every descendant it reaped itself).
///
/// Standard input is /dev/null and standard output is inherited (for a
/// printing program, the sink), unless descriptors are given for them.
final class ChildProcess {
    let pid: pid_t
    private let errorOutput: DescriptorDrain?

    /// `standardInput` and `standardOutput` are the child's ends (the caller
    /// closes its copies); `captureStandardError` false leaves stderr inherited.
    /// `environment` replaces this process's environment when given.
    init(
        executable: String, arguments: [String], standardInput: Int32? = nil, standardOutput: Int32? = nil,
        captureStandardError: Bool = true, environment: [String: String]? = nil
    ) throws {
        let errorPipe = captureStandardError ? try FileDescriptor.makePipe() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        }
        if let errorPipe {
            posix_spawn_file_actions_adddup2(&actions, errorPipe.write, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own group, so a timeout can stop the program and everything it started.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        var envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        let status = envp == nil
            ? posix_spawn(&child, executable, &actions, &attributes, argv, environ)
            : posix_spawn(&child, executable, &actions, &attributes, argv, &envp!)
        FileDescriptor.close(errorPipe?.write ?? -1)
        guard status == 0 else {
            FileDescriptor.close(errorPipe?.read ?? -1)
            throw BenchError.runFailed("cannot start \(executable): \(String(cString: strerror(status)))", fix: "check that it is installed and executable")
        }
        pid = child
        ChildRegistry.register(child)
        errorOutput = errorPipe.map { DescriptorDrain(descriptor: $0.read) }
    }

    deinit {
        ChildRegistry.unregister(pid)
    }

    /// Waits for the child to end, blocked in `wait4` (no polling delay).
    func wait() -> ProcessReaper.Reaped {
        collected(ProcessReaper.reap(pid, deadline: nil))
    }

    /// Waits for the child to end; past `deadline` (a `MonotonicClock` reading)
    /// kills its whole group and returns nil. Bounded either way.
    func wait(until deadline: UInt64) -> ProcessReaper.Reaped? {
        let reaped = collected(ProcessReaper.reap(pid, deadline: deadline, group: true))
        return reaped.killedAtDeadline ? nil : reaped
    }

    /// A reaped child's group id may be reused at once: forget it before anything else can kill it.
    private func collected(_ reaped: ProcessReaper.Reaped) -> ProcessReaper.Reaped {
        ChildRegistry.unregister(pid)
        return reaped
    }

    /// Everything the child wrote on standard error (after it has ended).
    func standardError() -> String {
        String(decoding: (try? errorOutput?.collect()) ?? [], as: UTF8.self)
    }
}
