import Glibc

/// Reads a pipe to its end on a thread of its own, so that the process
/// writing it never blocks on a full pipe (a child's standard error, say).
public final class DescriptorDrain: @unchecked Sendable {
    private let descriptor: Int32
    // Written by the reading thread, read only after `join`.
    private var bytes: [UInt8] = []
    private var failure: Int32?
    private var thread: NativeThread?

    /// Takes ownership of `descriptor`: the reading thread closes it at the end.
    public init(descriptor: Int32) throws(SystemCallError) {
        self.descriptor = descriptor
        do {
            thread = try NativeThread.start(name: "drain", stackBytes: 128 * 1024) { [self] in
                (bytes, failure) = FileDescriptor.readToEnd(descriptor)
                // Closed by the thread that reads it, so its number cannot be reused under a blocked read.
                close(descriptor)
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        thread?.join()
    }

    /// Everything read, once every writer has closed its end.
    public func collect() throws(SystemCallError) -> [UInt8] {
        thread?.join()
        thread = nil
        if let failure {
            throw SystemCallError("reading a child's output failed", errno: failure)
        }
        return bytes
    }
}
