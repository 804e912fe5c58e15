import Glibc
import Platform

/// bench's local HTTP server as a child process (`bench-worker serve`), for
/// the fixtures of the workloads that fetch from it (http, crawl).
///
/// A separate process, so that its CPU time never counts in the cells'
/// (`getrusage(RUSAGE_SELF)` of the runner does not see it) and a model's
/// threads never compete with it inside one process. It runs in its own
/// process group, so the Ctrl-C that asks the runner to stop after the
/// current sample does not also kill the server under that sample; and it
/// stops when its standard input closes, which happens however bench ends,
/// even by SIGKILL.
///
/// The server models of `bench experiment servers` are started the same way
/// (`bench-worker server MODEL`, or a Python script), through `init(executable:arguments:what:)`.
public final class ServerProcess {
    /// The server's base URL, e.g. `http://127.0.0.1:40123/`.
    public let url: String
    private let child: ChildProcess
    private var control: Int32

    /// Starts `bench-worker serve` with `arguments` and reads the URL it prints.
    convenience init(arguments: [String]) throws {
        try self.init(
            executable: try HelperExecutable.resolve(), arguments: HelperExecutable.arguments([HTTPServerChild.role] + arguments),
            what: "the local HTTP server (bench-worker serve)",
            fix: "try bench serve on its own to see why, or give --http-url of a server you started")
    }

    /// Starts `executable` with `arguments`, a server that prints its URL
    /// first and stops when its standard input ends; `what` and `fix` word
    /// the error when it prints no URL (its last line on stderr is added).
    public init(executable: String, arguments: [String], what: String, fix: String) throws {
        // Close-on-exec pipes (made atomically): bench's ends must leak into no other
        // child, or the server would not see EOF on its stdin when bench ends.
        let input = try FileDescriptor.makePipe()
        let output: (read: Int32, write: Int32)
        do {
            output = try FileDescriptor.makePipe()
        } catch {
            FileDescriptor.close(input.read)
            FileDescriptor.close(input.write)
            throw error
        }
        do {
            child = try ChildProcess(executable: executable, arguments: arguments, standardInput: input.read, standardOutput: output.write)
        } catch {
            [input.read, input.write, output.read, output.write].forEach(FileDescriptor.close)
            throw error
        }
        FileDescriptor.close(input.read)
        FileDescriptor.close(output.write)
        let line = FileDescriptor.readLine(output.read, milliseconds: 10_000)
        FileDescriptor.close(output.read)
        control = input.write
        url = line ?? ""
        guard let line, line.hasPrefix("http://") else {
            stop()
            let message = child.standardError().split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            // A server that explains itself (`error: what — fix`) is quoted as it said it.
            let parts = message.dropFirst("error: ".count).split(separator: " — ", maxSplits: 1)
            if message.hasPrefix("error: "), parts.count == 2 {
                throw WorkloadError("\(what): \(parts[0])", fix: String(parts[1]), exitCode: Self.exitCode(of: message))
            }
            throw WorkloadError("\(what) did not report its URL: \(message)", fix: fix, exitCode: Self.exitCode(of: message))
        }
    }

    deinit {
        stop()
    }

    /// The server's process id (the leader of its process group).
    public var pid: Int32 { child.pid }

    /// The server's port, from its URL.
    public var port: UInt16 {
        UInt16(url.split(separator: ":").last?.filter(\.isNumber) ?? "") ?? 0
    }

    /// A server that said it was given bad input (`error: ...` from a usage
    /// error, such as a port in use) is bad usage here too.
    private static func exitCode(of message: String) -> ExitCode {
        message.contains("Address already in use") ? .usage : .runFailed
    }

    /// Closes the server's standard input (it stops on EOF), signals it in
    /// case it is not listening, and reaps it (killing it after 2 s). Safe to
    /// call more than once.
    public func stop() {
        guard control >= 0 else { return }
        FileDescriptor.close(control)
        control = -1
        child.signal(SIGTERM)
        _ = child.wait(until: MonotonicClock.deadline(afterSeconds: 2))
    }
}
