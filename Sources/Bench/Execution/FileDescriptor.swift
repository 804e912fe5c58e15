import Glibc

/// The few raw file-descriptor operations the pool, sinks and child
/// processes need, with EINTR and short transfers handled once, here.
enum FileDescriptor {
    /// `pipe2(2)` with `O_CLOEXEC`, looked up at run time because Glibc's
    /// Swift module does not export it. The flag must be set atomically:
    /// tests spawn processes from several threads at once, and a pipe end
    /// leaked into another child between `pipe()` and `fcntl()` would hide the
    /// EOF that tells a worker its parent is gone, or tells the parent a worker died.
    private static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pipe2") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32).self)
    }()

    /// A pipe whose two ends close on exec; numbered at least `minimum`.
    ///
    /// The worker's ends are later moved to the fixed numbers 3 and 4 by
    /// `dup2` in the child; keeping every source above those numbers means
    /// one `dup2` can never overwrite the source of the other.
    static func makePipe(minimum: Int32 = 10) throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard let pipe2, pipe2(&ends, O_CLOEXEC) == 0 else {
            throw SystemCallError("cannot create a pipe", errno: errno)
        }
        return (try raise(ends[0], above: minimum), try raise(ends[1], above: minimum))
    }

    /// Moves `fd` to a number of at least `minimum`, keeping close-on-exec.
    private static func raise(_ fd: Int32, above minimum: Int32) throws -> Int32 {
        guard fd < minimum else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, minimum)
        let code = errno
        Glibc.close(fd)
        guard moved >= 0 else { throw SystemCallError("cannot move a pipe descriptor", errno: code) }
        return moved
    }

    /// Raises the soft limit on open descriptors (often 1,024) toward the hard
    /// limit when `count` more are about to be opened: a pool of 600 workers
    /// holds 1,200 pipe ends in the parent.
    static func reserve(_ count: Int) {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = rlim_t(count + 256)
        guard limit.rlim_cur < wanted, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(max(wanted, limit.rlim_cur * 2), limit.rlim_max)
        _ = setrlimit(resource, &limit)
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func close(_ fd: Int32) {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Writes every byte, blocking as needed. Returns false if the reader is
    /// gone (EPIPE) or the write fails otherwise.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Outcome of one `read(2)`.
    enum ReadOutcome {
        case bytes(Int)
        case endOfFile
        case wouldBlock
        case failed(Int32)
    }

    /// One `read(2)` into `buffer`, retried on EINTR.
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
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
}
