#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The process's shared, locked standard-output stream, as the tutorial's
/// `print` used it: one stdio `FILE` over fd 1 that every thread writes
/// through, so its lock is real contention. Buffered as C and Python buffer
/// stdout: by line on a terminal, in blocks otherwise.
///
/// The harness points fd 1 at a different sink for different cells, so the
/// stream is opened lazily for whatever fd 1 is when the first line is
/// written, and `close()` (the end of a run) flushes and drops it.
enum ProcessOutput {
    /// The open `FILE *`, as an address (0 = not open): an `Atomic` cannot hold
    /// a non-Sendable pointer, and every line reads it.
    private static let current = Atomic<Int>(0)
    private static let opening = Mutex<Void>(())

    /// Writes `line` (which ends with a newline) through the shared stream.
    static func write(_ line: String) throws {
        let stream = try open()
        let status = line.withCString { fputs($0, stream) }
        if status == EOF {
            throw WorkloadError("cannot write to standard output: \(String(cString: strerror(errno)))")
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
            if flushed != 0 {
                throw WorkloadError("cannot write to standard output: \(String(cString: strerror(flushError)))")
            }
        }
    }

    private static func open() throws -> UnsafeMutablePointer<FILE> {
        if let stream = UnsafeMutablePointer<FILE>(bitPattern: current.load(ordering: .acquiring)) {
            return stream
        }
        return try opening.withLock { _ in
            if let stream = UnsafeMutablePointer<FILE>(bitPattern: current.load(ordering: .acquiring)) {
                return stream
            }
            // A duplicate, so closing the stream never closes fd 1 itself.
            let descriptor = dup(1)
            guard descriptor >= 0, let stream = fdopen(descriptor, "w") else {
                throw WorkloadError("cannot open standard output: \(String(cString: strerror(errno)))")
            }
            setvbuf(stream, nil, isatty(descriptor) == 1 ? _IOLBF : _IOFBF, Int(BUFSIZ))
            current.store(Int(bitPattern: stream), ordering: .releasing)
            return stream
        }
    }
}
