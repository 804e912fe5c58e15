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

    /// How a reaped child ended, with the resources it and its reaped descendants used.
    struct Exit {
        let waitStatus: Int32
        let usage: ResourceUsage

        var succeeded: Bool { waitStatus & 0x7f == 0 && (waitStatus >> 8) & 0xff == 0 }

        var description: String {
            let signal = waitStatus & 0x7f
            if signal != 0 { return "killed by signal \(signal) (\(String(cString: strsignal(signal))))" }
            return "exited with status \((waitStatus >> 8) & 0xff)"
        }
    }

    /// `standardInput` and `standardOutput` are the child's ends (the caller
    /// closes its copies); `captureStandardError` false leaves stderr inherited.
    init(
        executable: String, arguments: [String], standardInput: Int32? = nil, standardOutput: Int32? = nil,
        captureStandardError: Bool = true
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
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        FileDescriptor.close(errorPipe?.write ?? -1)
        guard status == 0 else {
            FileDescriptor.close(errorPipe?.read ?? -1)
            throw BenchError.runFailed("cannot start \(executable): \(String(cString: strerror(status)))", fix: "check that it is installed and executable")
        }
        pid = child
        ChildRegistry.register(child)
        errorOutput = errorPipe.map { DescriptorDrain(descriptor: $0.read) }
        errorOutput?.begin()
    }

    deinit {
        ChildRegistry.unregister(pid)
    }

    /// Stops every child bench started in a group of its own (on an abort).
    static func killAll() {
        ChildRegistry.killAll()
    }

    /// Waits for the child to end, blocked in `wait4` (no polling delay).
    func wait() -> Exit {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return Exit(waitStatus: 255 << 8, usage: .zero) }
        }
        return Exit(waitStatus: status, usage: ResourceUsage(usage))
    }

    /// Waits for the child to end; past `deadline` (a `MonotonicClock` reading)
    /// kills its whole group and returns nil. Bounded either way.
    func wait(until deadline: UInt64) -> Exit? {
        var status: Int32 = 0
        var usage = rusage()
        var pause: UInt32 = 200
        while true {
            let result = wait4(pid, &status, WNOHANG, &usage)
            if result == pid { return Exit(waitStatus: status, usage: ResourceUsage(usage)) }
            if result < 0 && errno != EINTR { return Exit(waitStatus: 255 << 8, usage: .zero) }
            if MonotonicClock.now() >= deadline {
                kill(-pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                return nil
            }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
    }

    /// Everything the child wrote on standard error (after it has ended).
    func standardError() -> String {
        String(decoding: (try? errorOutput?.collect().bytes) ?? [], as: UTF8.self)
    }
}
