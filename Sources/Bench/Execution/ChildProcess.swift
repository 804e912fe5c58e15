import Foundation
import Glibc

/// A program started with `posix_spawn` in a process group of its own, its
/// standard error captured, reaped with `wait4` for its CPU time (which
/// includes every descendant it reaped itself).
///
/// Standard output is inherited: for a printing program it is the sink.
final class ChildProcess {
    let pid: pid_t
    private let errorOutput: DataCollector

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

    init(executable: String, arguments: [String]) throws {
        var errorPipe: [Int32] = [-1, -1]
        guard pipe(&errorPipe) == 0 else {
            throw BenchError.runFailed("cannot create a pipe: \(String(cString: strerror(errno)))", fix: "check the open-file limit (ulimit -n)")
        }
        _ = fcntl(errorPipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(errorPipe[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
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
        close(errorPipe[1])
        guard status == 0 else {
            close(errorPipe[0])
            throw BenchError.runFailed("cannot start \(executable): \(String(cString: strerror(status)))", fix: "check that it is installed and executable")
        }
        pid = child
        errorOutput = DataCollector(descriptor: errorPipe[0])
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
        String(decoding: errorOutput.finish(), as: UTF8.self)
    }
}

/// Reads a descriptor to its end on a thread of its own, so a chatty child
/// never blocks on a full pipe.
private final class DataCollector: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 14)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    bytes.append(contentsOf: buffer[0..<count])
                } else if !(count < 0 && errno == EINTR) {
                    break
                }
            }
            close(descriptor)
            done.signal()
        }
    }

    func finish() -> [UInt8] {
        done.wait()
        return bytes
    }
}
