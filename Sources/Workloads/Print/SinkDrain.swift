import Glibc
import Platform

/// `bench-worker sink-drain`: the reader at the far end of a print sink (a
/// pipe, or a pseudo-terminal's master side). It copies standard input to
/// standard output (a scratch file the harness reads back) until every
/// writer has closed its end.
///
/// A process of its own, as a terminal is: its CPU time and context switches
/// are not the measured process's, so nothing has to be taken back out of them.
public enum SinkDrain {
    public static let role = "sink-drain"

    /// Runs the copy; returns the exit status.
    public static func run() -> Int32 {
        // The harness decides when the sink ends (it closes the writing side);
        // a Ctrl-C or a `timeout` meant for the run must not cut the copy short.
        Signals.ignore(Signals.stopSignals)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                if let code = buffer.withUnsafeBytes({ FileDescriptor.writeAll(1, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) {
                    FileDescriptor.writeAll(2, "sink-drain cannot write its copy: \(SystemCallError.describe(code))\n")
                    return 1
                }
            } else if count < 0 && errno == EINTR {
                continue
            } else if count == 0 || errno == EIO {
                // EOF on a pipe; a pseudo-terminal whose last writer closed reports EIO.
                return 0
            } else {
                FileDescriptor.writeAll(2, "sink-drain cannot read: \(SystemCallError.describe(errno))\n")
                return 1
            }
        }
    }
}
