import CEpoll
import Glibc

/// The raw file-descriptor operations every layer needs (pipes, sinks, child
/// processes, the pool), with EINTR and short transfers handled once, here.
public enum FileDescriptor {
    /// A pipe whose two ends close on exec; numbered at least `minimum`.
    ///
    /// Close-on-exec is set atomically by pipe2: tests spawn processes from
    /// several threads at once, and a pipe end leaked into another child
    /// between `pipe()` and `fcntl()` would hide the EOF that tells a worker
    /// its parent is gone, or tells the parent a worker died. The worker's
    /// ends are later moved to the fixed numbers 3 and 4 by `dup2` in the
    /// child; keeping every source above those numbers means one `dup2` can
    /// never overwrite the source of the other.
    public static func makePipe(minimum: Int32 = 10) throws(SystemCallError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe2(&ends, O_CLOEXEC) == 0 else {
            throw SystemCallError("cannot create a pipe", errno: errno)
        }
        let read: Int32
        do throws(SystemCallError) {
            read = try raise(ends[0], above: minimum)
        } catch {
            close(ends[1])
            throw error
        }
        do throws(SystemCallError) {
            return (read, try raise(ends[1], above: minimum))
        } catch {
            close(read)
            throw error
        }
    }

    /// Moves `fd` to a number of at least `minimum`, keeping close-on-exec.
    public static func raise(_ fd: Int32, above minimum: Int32) throws(SystemCallError) -> Int32 {
        guard fd < minimum else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, minimum)
        let code = errno
        Glibc.close(fd)
        guard moved >= 0 else { throw SystemCallError("cannot move a descriptor", errno: code) }
        return moved
    }

    /// Whether `fd` is an open descriptor of this process.
    public static func isOpen(_ fd: Int32) -> Bool {
        fcntl(fd, F_GETFD) >= 0
    }

    public static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    public static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Closes `fd` unless it is negative (the "none" value throughout).
    public static func close(_ fd: Int32) {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Writes every byte, blocking as needed; retried on EINTR. Returns nil on
    /// success, or the errno that stopped it (EPIPE: the reader is gone).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    @discardableResult
    public static func writeAll(_ fd: Int32, _ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Outcome of one `read(2)`.
    public enum ReadOutcome: Equatable {
        case bytes(Int)
        case endOfFile
        case wouldBlock
        case failed(Int32)
    }

    /// One `read(2)` into `buffer`, retried on EINTR.
    public static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case let code: return .failed(code)
            }
        }
    }

    /// Reads `fd` from `offset` to its end with pread (the descriptor's own
    /// position is left alone); for files only.
    public static func readFile(_ fd: Int32, from offset: Int = 0) throws(SystemCallError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = offset
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("cannot read back a file", errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
            position += count
        }
    }

    /// Reads `fd` to its end (a pipe, say), blocking; returns what came and
    /// the errno that stopped it early, if any.
    public static func readToEnd(_ fd: Int32) -> (bytes: [UInt8], failure: Int32?) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            switch buffer.withUnsafeMutableBytes({ readSome(fd, into: $0) }) {
            case let .bytes(count): bytes.append(contentsOf: buffer[0..<count])
            case .endOfFile: return (bytes, nil)
            case .wouldBlock: continue
            case let .failed(code): return (bytes, code)
            }
        }
    }

    /// What `wait(_:for:until:)` saw.
    public enum PollOutcome: Equatable {
        /// One of the events, or a hang-up or error condition on `fd`.
        case ready
        case timedOut
        /// poll itself failed, with this errno.
        case failed(Int32)
    }

    /// Blocks until `fd` has one of `events` or the monotonic `deadline`
    /// (nanoseconds) passes; a signal retries with the time that is left.
    public static func wait(_ fd: Int32, for events: Int16, until deadline: UInt64) -> PollOutcome {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let now = MonotonicClock.now()
            guard now < deadline else { return .timedOut }
            let left = Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
            let ready = poll(&descriptor, 1, left)
            if ready > 0 { return .ready }
            if ready == 0 { return .timedOut }
            if errno != EINTR { return .failed(errno) }
        }
    }

    /// Blocks until `fd` is readable (or hung up) or `milliseconds` pass;
    /// false on timeout.
    public static func waitReadable(_ fd: Int32, milliseconds: Int) -> Bool {
        wait(fd, for: Int16(POLLIN), until: MonotonicClock.now() &+ UInt64(max(milliseconds, 0)) &* 1_000_000) == .ready
    }

    /// One line from `fd` (without its newline), waiting at most
    /// `milliseconds` in all; nil on end of file or timeout.
    public static func readLine(_ fd: Int32, milliseconds: Int) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        let deadline = MonotonicClock.now() &+ UInt64(max(milliseconds, 0)) &* 1_000_000
        while true {
            let now = MonotonicClock.now()
            guard now < deadline, waitReadable(fd, milliseconds: Int((deadline - now) / 1_000_000) + 1) else { return nil }
            let count = Glibc.read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
