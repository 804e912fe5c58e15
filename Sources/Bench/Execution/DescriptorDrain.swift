import Foundation
import Glibc

/// Reads a pipe to its end on a thread of its own, so that the process
/// writing it never blocks on a full pipe (a child's standard error, say).
final class DescriptorDrain: @unchecked Sendable {
    private let descriptor: Int32
    private var bytes: [UInt8] = []
    private var failure: Int32 = 0
    private let done = DispatchSemaphore(value: 0)

    /// Takes ownership of `descriptor`: the reading thread closes it at the end.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        Thread.detachNewThread { [self] in
            drain()
            // Closed by the thread that reads it, so its number cannot be reused under a blocked read.
            close(descriptor)
            done.signal()
        }
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
                if count < 0 { failure = errno }
                return
            }
        }
    }

    /// Everything read, once every writer has closed its end.
    func collect() throws -> [UInt8] {
        done.wait()
        if failure != 0 {
            throw SystemCallError("reading a child's output failed", errno: failure)
        }
        return bytes
    }
}
