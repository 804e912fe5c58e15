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
/// other). A payload workload's results go out one message per task, bytes
/// and all (`ship`).
///
/// A report fits in one atomic `write` of at most `PIPE_BUF` bytes; a result
/// message may not, and the kernel could then interleave another thread's
/// message into it. So every message is written under `writing`: it costs
/// nothing the pipe's own lock does not already cost, since writers of one
/// pipe take turns in the kernel anyway.
final class ResultOutbox: Sendable {
    private let fd: Int32
    private let pending = Mutex(Checksum())
    private let writing = Mutex(())

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

    /// Sends one task's result bytes: its report too.
    func ship(task: Int, bytes: [UInt8]) {
        send(.result(task: task, bytes: bytes))
    }

    /// Writes one message. A parent that stopped reading is gone (or is
    /// stopping this worker): exit quietly, as on EOF of the input pipe.
    func send(_ message: WorkerMessage) {
        let bytes = message.encoded
        let failed = writing.withLock { _ in FileDescriptor.writeAll(fd, bytes) != nil }
        if failed {
            _exit(ParentDeath.parentGoneStatus)
        }
    }
}
