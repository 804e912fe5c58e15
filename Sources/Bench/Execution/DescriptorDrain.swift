import Foundation
import Glibc

/// Reads a pipe or pseudo-terminal to its end on a thread of its own, so a
/// writer never waits on a full buffer longer than a real reader would make it,
/// and says what the reading cost (its thread's CPU time and switches), so
/// that cost can be kept out of the figures of what is measured.
final class DescriptorDrain: @unchecked Sendable {
    /// What was read, and what reading it cost.
    struct Result {
        let bytes: [UInt8]
        let readerUsage: ResourceUsage
    }

    private let descriptor: Int32
    private var bytes: [UInt8] = []
    private var readerUsage = ResourceUsage.zero
    private var failure: Int32 = 0
    private let go = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Takes ownership of `descriptor`: the reading thread closes it at the end.
    /// Reading starts at `begin()`.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        Thread.detachNewThread { [self] in
            go.wait()
            // The reader's cost counts from here: a caller that subtracts it
            // from a measurement begins the reader after that measurement's
            // first reading, so nothing is taken away that was not counted.
            let start = Self.threadUsage()
            drain()
            readerUsage = Self.threadUsage() - start
            // Closed by the thread that reads it, so its number cannot be reused under a blocked read.
            close(descriptor)
            done.signal()
        }
    }

    /// Starts reading.
    func begin() {
        go.signal()
    }

    private static func threadUsage() -> ResourceUsage {
        var usage = rusage()
        getrusage(thisThread, &usage)
        return ResourceUsage(usage)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                // 0 is EOF on a pipe; a pseudo-terminal whose last writer closed reports EIO instead.
                if count < 0 && errno != EIO { failure = errno }
                break
            }
        }
    }

    /// RUSAGE_THREAD, which Swift's Glibc module does not name.
    private static let thisThread = __rusage_who_t(1)

    /// Waits until every writer has closed its end, at most `seconds`.
    func collect(within seconds: Double = .infinity) throws -> Result {
        let deadline: DispatchTime = seconds.isFinite ? .now() + seconds : .distantFuture
        guard done.wait(timeout: deadline) == .success else {
            throw BenchError.runFailed(
                "the output stayed open \(Int(seconds)) s after the run", fix: "a process started by the run may have outlived it")
        }
        if failure != 0 {
            throw BenchError.runFailed("reading the output failed: \(String(cString: strerror(failure)))", fix: "try another --sink")
        }
        return Result(bytes: bytes, readerUsage: readerUsage)
    }
}
