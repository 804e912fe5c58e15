import Glibc
import Synchronization

/// Standard input, output and error as bench found them when it started.
///
/// A closed standard stream would hand its number to the next file bench
/// opens (raw.csv on fd 1, say), and the table would be written into it, so
/// each closed one is pointed at /dev/null first; what was closed is
/// remembered, so that output asked for on a closed stream (`--export-json -`
/// with stdout closed) is an error rather than lost without a word.
public enum StandardStreams {
    /// Bit n set: fd n was closed at start.
    private static let closed = Atomic<UInt8>(0)

    /// Opens /dev/null on each of fds 0-2 that is closed. Call before anything is opened.
    public static func reopenClosed() {
        for stream: Int32 in 0...2 where !FileDescriptor.isOpen(stream) {
            closed.bitwiseOr(1 << UInt8(stream), ordering: .relaxed)
            let null = open("/dev/null", stream == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != stream {
                dup2(null, stream)
                close(null)
            }
        }
    }

    /// Whether `stream` (0, 1 or 2) was closed when bench started.
    public static func wasClosed(_ stream: Int32) -> Bool {
        (0...2).contains(stream) && closed.load(ordering: .relaxed) & (1 << UInt8(stream)) != 0
    }
}
