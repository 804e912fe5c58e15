import Glibc
import Platform
import Synchronization

/// The process's shared, locked standard-output stream, as the tutorial's
/// `print` used it: one stdio `FILE` over fd 1 that every thread writes
/// through, so its lock is real contention. Buffered as C and Python buffer
/// stdout: by line on a terminal, in blocks otherwise.
///
/// The harness points fd 1 at a different sink for different cells, so the
/// stream is opened lazily for whatever fd 1 is when the first line is
/// written, and `close()` (the end of a run) flushes and drops it.
///
/// Several processes (the process-pool and hybrid workers) may share one
/// sink. A block-buffered stream would cut lines wherever its buffer fills,
/// and another process's block would land in the middle of the line; so a
/// block is flushed before a line would straddle its end: every `write(2)`
/// carries whole lines, and to a pipe at most `PIPE_BUF` bytes, which the
/// kernel keeps in one piece.
enum ProcessOutput {
    /// The open `FILE *`, as an address (0 = not open): an `Atomic` cannot hold
    /// a non-Sendable pointer, and every line reads it.
    private static let current = Atomic<Int>(0)
    private static let opening = Mutex<Void>(())
    /// The stream's block size; 0 when it is line-buffered (a terminal).
    private static let blockSize = Atomic<Int>(0)
    /// Bytes in the stream's buffer. Changed only under the stream's own lock.
    private static let buffered = Atomic<Int>(0)
    /// The block buffer's address (0 = none), freed once its stream is closed.
    private static let buffer = Atomic<Int>(0)

    /// Writes `line` (which ends with a newline) through the shared stream;
    /// `lineBuffered` asks for one write per line even when fd 1 is not a
    /// terminal (it takes effect when the stream opens, at a run's first line).
    static func write(_ line: String, lineBuffered: Bool = false) throws {
        let stream = try open(lineBuffered: lineBuffered)
        flockfile(stream)
        defer { funlockfile(stream) }
        let length = line.utf8.count
        let block = blockSize.load(ordering: .relaxed)
        if block > 0 && buffered.load(ordering: .relaxed) + length > block {
            if fflush(stream) != 0 {
                throw WorkloadError("cannot write to standard output: \(SystemCallError.describe(errno))", fix: "check where standard output leads (a full disk, a closed pipe)")
            }
            buffered.store(0, ordering: .relaxed)
        }
        let status = line.withCString { fputs($0, stream) }
        if status == EOF {
            throw WorkloadError("cannot write to standard output: \(SystemCallError.describe(errno))", fix: "check where standard output leads (a full disk, a closed pipe)")
        }
        if block > 0 {
            buffered.wrappingAdd(length, ordering: .relaxed)
        }
    }

    /// Flushes and closes the stream; the next line opens a new one.
    static func close() throws {
        try opening.withLock { _ in
            let address = current.exchange(0, ordering: .acquiringAndReleasing)
            guard let stream = UnsafeMutablePointer<FILE>(bitPattern: address) else { return }
            let flushed = fflush(stream)
            let flushError = errno
            fclose(stream)
            UnsafeMutablePointer<CChar>(bitPattern: buffer.exchange(0, ordering: .relaxed))?.deallocate()
            if flushed != 0 {
                throw WorkloadError("cannot write to standard output: \(SystemCallError.describe(flushError))", fix: "check where standard output leads (a full disk, a closed pipe)")
            }
        }
    }

    private static func open(lineBuffered: Bool) throws -> UnsafeMutablePointer<FILE> {
        if let stream = UnsafeMutablePointer<FILE>(bitPattern: current.load(ordering: .acquiring)) {
            return stream
        }
        return try opening.withLock { _ in
            if let stream = UnsafeMutablePointer<FILE>(bitPattern: current.load(ordering: .acquiring)) {
                return stream
            }
            // A duplicate, so closing the stream never closes fd 1 itself;
            // close-on-exec, so processes spawned meanwhile do not inherit it.
            let descriptor = fcntl(1, F_DUPFD_CLOEXEC, 0)
            guard descriptor >= 0, let stream = fdopen(descriptor, "w") else {
                throw WorkloadError("cannot open standard output: \(SystemCallError.describe(errno))", fix: "run bench with standard output open")
            }
            if lineBuffered || isatty(descriptor) == 1 {
                setvbuf(stream, nil, _IOLBF, Int(BUFSIZ))
                blockSize.store(0, ordering: .relaxed)
            } else {
                // The block glibc would choose (st_blksize), but at most PIPE_BUF
                // for a pipe; in a buffer of our own, because glibc ignores the
                // size asked for when it allocates the buffer itself.
                var status = stat()
                let known = fstat(descriptor, &status) == 0
                var block = known && status.st_blksize > 0 ? Int(status.st_blksize) : Int(BUFSIZ)
                if known && status.st_mode & S_IFMT == S_IFIFO {
                    block = min(block, Int(PIPE_BUF))
                }
                let storage = UnsafeMutablePointer<CChar>.allocate(capacity: block)
                setvbuf(stream, storage, _IOFBF, block)
                buffer.store(Int(bitPattern: storage), ordering: .relaxed)
                blockSize.store(block, ordering: .relaxed)
            }
            buffered.store(0, ordering: .relaxed)
            current.store(Int(bitPattern: stream), ordering: .releasing)
            return stream
        }
    }
}
