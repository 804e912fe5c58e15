import Engine
import Glibc
import Harness
import Platform

/// The parent's handle on one `bench-worker channel-peer` process: started
/// with the descriptors it gets as its fds 3 and 4 (the parent's copies are
/// closed), waited for when its part is over, and turned into a one-line
/// error naming it (pid, how it ended, what it said) when it fails mid-sample.
/// It runs in a process group of its own, registered so that an abort of
/// bench takes it along; whatever happens it is reaped, never left behind.
final class PeerProcess {
    let child: ChildProcess
    /// What it is, for messages: `the pipe's echo process`.
    let role: String

    init(_ arguments: [String], descriptors: [Int32], role: String) throws {
        self.role = role
        let mapped = descriptors.enumerated().map { (child: Int32(3 + $0.offset), parent: $0.element) }
        child = try ChildProcess(executable: try HelperExecutable.resolve(), arguments: HelperExecutable.arguments(arguments), extraDescriptors: mapped)
        descriptors.forEach(FileDescriptor.close)
    }

    deinit {
        stop()
    }

    var pid: pid_t { child.pid }

    /// Kills and reaps it, unless it has been reaped already.
    func stop() {
        _ = child.wait(until: 0)
    }

    /// Reads the one byte it writes when ready (or when its warmup is through).
    func awaitSignal(on fd: Int32, seconds: Double = 10) throws {
        var byte: UInt8 = 0
        guard FileDescriptor.waitReadable(fd, milliseconds: Int(seconds * 1000)), read(fd, &byte, 1) == 1 else {
            throw failure("before it was ready")
        }
    }

    /// Reads its final report.
    func report(from fd: Int32) throws -> PeerReport {
        var bytes = [UInt8](repeating: 0, count: PeerReport.size)
        let complete = bytes.withUnsafeMutableBytes { ProbeMessage.readExactly(fd, into: $0) }
        guard complete, let report = bytes.withUnsafeBytes({ PeerReport($0) }) else {
            throw failure("before its report")
        }
        return report
    }

    /// Waits (at most 5 s) for it to end, and fails unless it ended well.
    func finish() throws {
        guard let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: 5)), exit.status.isSuccess else {
            throw failure("after its report")
        }
    }

    /// The error of a sample it broke: it is killed (if still there) and reaped first.
    func failure(_ when: String) -> BenchError {
        let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: 1))
        let how = exit.map { "\($0.status)" } ?? "stopped answering and was killed"
        let said = child.standardError().split(whereSeparator: \.isNewline).last.map { ": \($0)" } ?? ""
        return BenchError.runFailed(
            "\(role) (pid \(pid)) \(how) \(when)\(said)",
            fix: "a party must live until the sample ends; rerun, and check the machine's memory and process limits if it recurs")
    }
}

/// A Unix stream socket pair whose ends close on exec, numbered above the
/// child's fixed descriptors (as `FileDescriptor.makePipe`).
func makeSocketPair() throws -> (Int32, Int32) {
    var ends: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
        throw SystemCallError("cannot create a socket pair", errno: errno)
    }
    let first = try FileDescriptor.raise(ends[0], above: 10)
    return (first, try FileDescriptor.raise(ends[1], above: 10))
}
