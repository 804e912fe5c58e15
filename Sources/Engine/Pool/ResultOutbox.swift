import Glibc
import Platform
import Synchronization
import Workloads

/// A worker's side of its result pipe: adds up completed tasks and sends
/// them to the parent as `done` reports, several tasks per message.
///
/// Flushing rule: report once the unreported results are at least as many as
/// the tasks still queued here, so the parent hears about half the window in
/// time to refill it before the queue runs dry; and always before a thread
/// waits for more work (otherwise parent and worker could each wait for the
/// other). Each message is one `write` of at most `PIPE_BUF` bytes, atomic
/// however many threads send, so no lock is held across the system call.
final class ResultOutbox: Sendable {
    private let fd: Int32
    private let pending = Mutex(Checksum())

    init(fd: Int32) {
        self.fd = fd
    }

    /// Records one task's result; sends a report if the rule says so.
    func completed(task: Int, result: UInt64, queued: Int) {
        let report: Checksum? = pending.withLock { sum in
            sum.add(task: task, result: result)
            guard sum.taskCount >= max(1, queued) else { return nil }
            defer { sum = Checksum() }
            return sum
        }
        if let report {
            send(.done(report, starved: false))
        }
    }

    /// Sends whatever is unreported; with `starved`, even an empty report,
    /// which asks the parent for a larger window.
    func flush(starved: Bool) {
        let report = pending.withLock { sum in
            defer { sum = Checksum() }
            return sum
        }
        if report.taskCount > 0 || starved {
            send(.done(report, starved: starved))
        }
    }

    /// Writes one message. A parent that stopped reading is gone (or is
    /// stopping this worker): exit quietly, as on EOF of the input pipe.
    func send(_ message: WorkerMessage) {
        let bytes = message.encoded
        if FileDescriptor.writeAll(fd, bytes) != nil {
            _exit(ParentDeath.parentGoneStatus)
        }
    }
}
