import Glibc
import Platform

/// One run of a program by `posix_spawn`: its standard output counted and
/// thrown away as it arrives, its standard error kept for the message of a
/// failure, its exit status collected.
///
/// The program gets a process group of its own (so bench's abort can stop it
/// and a Ctrl-C in bench's terminal, which bench handles, does not reach
/// it), /dev/null as standard input, and no descriptor of bench's.
struct CommandRun {
    let status: ExitStatus
    /// Bytes it wrote on standard output.
    let outputBytes: Int
    /// The first line it wrote on standard error, or "".
    let firstErrorLine: String

    static func run(executable: String, arguments: [String]) throws -> CommandRun {
        let output = try FileDescriptor.makePipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(executable: executable, arguments: arguments, standardOutput: output.write)
        } catch {
            FileDescriptor.close(output.read)
            FileDescriptor.close(output.write)
            throw error
        }
        FileDescriptor.close(output.write)
        let (count, failure) = countToEnd(output.read)
        FileDescriptor.close(output.read)
        let reaped = child.wait()
        if let failure {
            throw SystemCallError("reading the standard output of \(executable) failed", errno: failure)
        }
        let line = child.standardError().split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return CommandRun(status: reaped.status, outputBytes: count, firstErrorLine: line)
    }

    /// Reads `fd` to its end, keeping only the count.
    private static func countToEnd(_ fd: Int32) -> (Int, Int32?) {
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            switch buffer.withUnsafeMutableBytes({ FileDescriptor.readSome(fd, into: $0) }) {
            case let .bytes(read): count += read
            case .endOfFile: return (count, nil)
            case .wouldBlock: continue
            case let .failed(code): return (count, code)
            }
        }
    }
}
