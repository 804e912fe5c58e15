import CEpoll
import Glibc

/// Makes a helper process end when bench does, however bench ends (even by
/// SIGKILL), so no helper outlives it.
public enum ParentDeath {
    /// Exit status of a helper whose parent is gone: nobody is left to read a message.
    public static let parentGoneStatus: Int32 = 3

    /// Watches `fd`, a pipe whose write end only the parent holds: `poll`
    /// reports POLLHUP once every write end is closed, which happens when the
    /// parent dies or closes the pipe to stop the helper; the helper then
    /// exits at once, even in the middle of a long task. The data itself is
    /// left to the readers. `prctl(PR_SET_PDEATHSIG)` alone would not do:
    /// it fires when the spawning *thread* ends, not the parent process.
    public static func watch(_ fd: Int32) throws(SystemCallError) {
        let thread = try NativeThread.start(name: "parent-watch", stackBytes: 64 * 1024) {
            var watched = pollfd(fd: fd, events: 0, revents: 0)
            while true {
                let count = poll(&watched, 1, -1)
                if count > 0 && watched.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                    _exit(parentGoneStatus)
                }
            }
        }
        thread.detach()
    }

    /// Blocks until standard input reaches its end (or fails): a helper whose
    /// stdin is a pipe from bench learns that bench closed it or died, even by
    /// SIGKILL. Data on it is read and ignored.
    public static func waitForEndOfInput() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            switch buffer.withUnsafeMutableBytes({ FileDescriptor.readSome(0, into: $0) }) {
            case .bytes, .wouldBlock: continue
            case .endOfFile, .failed: return
            }
        }
    }

    /// Asks the kernel for SIGKILL when the thread that spawned this process
    /// ends: a backstop for helpers that also end on their input's end of file.
    public static func killWithParent() {
        _ = bench_set_parent_death_signal(SIGKILL)
    }

    /// The same for a process forked by a single-threaded `parent`, for
    /// which "the thread that forked it ends" means "the parent ends", so it
    /// replaces `watch` and its thread. False when the parent ended before
    /// the request took effect (the caller then exits itself).
    public static func killWithParent(_ parent: pid_t) -> Bool {
        killWithParent()
        return getppid() == parent
    }
}
