import Glibc

/// Collects a child process with `wait4`, within a deadline: polled with
/// growing pauses until then, killed at the deadline (the child alone, or its
/// whole process group), and waited for after the kill, which cannot be ignored.
public enum ProcessReaper {
    /// How the child ended, what it (and the descendants it reaped) used, and
    /// whether the deadline had to end it.
    public struct Reaped: Sendable {
        public let status: ExitStatus
        public let usage: ResourceUsage
        public let killedAtDeadline: Bool
    }

    /// `deadline` is a `MonotonicClock` reading; nil waits as long as it takes,
    /// blocked in `wait4` (no polling delay). `group` kills the child's whole
    /// process group at the deadline rather than the child alone.
    public static func reap(_ pid: pid_t, deadline: UInt64?, group: Bool = false) -> Reaped {
        var status: Int32 = 0
        var usage = rusage()
        var pause: UInt32 = 50
        var killed = false
        while true {
            let blocking = deadline == nil || killed
            let result = wait4(pid, &status, blocking ? 0 : WNOHANG, &usage)
            if result == pid {
                return Reaped(status: ExitStatus(waitStatus: status), usage: ResourceUsage(usage), killedAtDeadline: killed)
            }
            if result < 0 {
                if errno == EINTR { continue }
                // ECHILD: not ours to wait for any more; nothing more can be learned.
                return Reaped(status: .exited(255), usage: .zero, killedAtDeadline: killed)
            }
            if let deadline, MonotonicClock.now() >= deadline {
                _ = kill(group ? -pid : pid, SIGKILL)
                killed = true
            } else {
                usleep(pause)
                pause = min(pause * 2, 5_000)
            }
        }
    }
}
