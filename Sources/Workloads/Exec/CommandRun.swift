import Glibc
import Platform

/// One run of a program by `posix_spawn`: its standard output counted and
/// thrown away as it arrives, its standard error kept for the message of a
/// failure, its exit status collected.
///
/// The program gets a process group of its own (so bench's abort can stop it
/// and a Ctrl-C in bench's terminal, which bench handles, does not reach
/// it), /dev/null as standard input, no descriptor of bench's, every signal
/// at its default, and the kernel's SIGKILL when the thread that waits for
/// it ends: bench's death, even by SIGKILL, or a pool worker's, ends it too.
struct CommandRun {
    let status: ExitStatus
    /// Bytes it wrote on standard output.
    let outputBytes: Int
    /// The first line it wrote on standard error, or "".
    let firstErrorLine: String

    static func run(executable: String, arguments: [String]) throws -> CommandRun {
        let output = try FileDescriptor.makePipe()
        let errors: (read: Int32, write: Int32)
        do { errors = try FileDescriptor.makePipe() } catch {
            [output.read, output.write].forEach(FileDescriptor.close)
            throw error
        }
        let child: ChildProcess
        do {
            // Standard error on a pipe of our own rather than ChildProcess's capture, which
            // would start a draining thread per task: both pipes are read below, on this thread.
            child = try ChildProcess(
                executable: executable, arguments: arguments, standardOutput: output.write, captureStandardError: false,
                extraDescriptors: [(child: 2, parent: errors.write)], diesWithParent: true)
        } catch {
            [output.read, output.write, errors.read, errors.write].forEach(FileDescriptor.close)
            throw error
        }
        [output.write, errors.write].forEach(FileDescriptor.close)
        let (count, errorText, failure) = readToEnd(output: output.read, errors: errors.read)
        [output.read, errors.read].forEach(FileDescriptor.close)
        let reaped = child.wait()
        if let failure {
            throw SystemCallError("reading the output of \(executable) failed", errno: failure)
        }
        let line = String(decoding: errorText, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return CommandRun(status: reaped.status, outputBytes: count, firstErrorLine: line)
    }

    /// Most of standard error kept: enough for its first line.
    private static let keptErrorBytes = 4096

    /// Reads both pipes to their ends (polling, so that a program filling one
    /// while bench waits on the other cannot block): standard output only
    /// counted, the start of standard error kept.
    private static func readToEnd(output: Int32, errors: Int32) -> (count: Int, errorText: [UInt8], failure: Int32?) {
        var count = 0
        var errorText: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var watched = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        while watched.contains(where: { $0.fd >= 0 }) {
            if poll(&watched, 2, -1) < 0 {
                if errno == EINTR { continue }
                return (count, errorText, errno)
            }
            for index in watched.indices where watched[index].fd >= 0 && watched[index].revents != 0 {
                switch buffer.withUnsafeMutableBytes({ FileDescriptor.readSome(watched[index].fd, into: $0) }) {
                case let .bytes(read):
                    if index == 0 {
                        count += read
                    } else if errorText.count < keptErrorBytes {
                        errorText += buffer[0..<min(read, keptErrorBytes - errorText.count)]
                    }
                case .endOfFile: watched[index].fd = -1  // poll skips a negative descriptor
                case .wouldBlock: continue
                case let .failed(code): return (count, errorText, code)
                }
            }
        }
        return (count, errorText, nil)
    }
}
