import Glibc
import Platform

/// `bench-worker broker-guard REDIS-SERVER`: the parent of the redis-server
/// bench starts for itself, so that the server ends when bench does,
/// however bench ends (even by SIGKILL), as the HTTP server does.
///
/// bench writes the server's whole configuration (password included) on
/// fd 3 and closes it; the guard hands it to `redis-server -` on a pipe, so
/// the password never appears on a command line or in a file. It writes the
/// server's pid on standard output, then watches two things: its standard
/// input, bench's lifeline (end of file: bench is gone or stopping the
/// server), and the server itself. When bench goes it stops the server
/// (SIGTERM, SIGKILL after 2 s) and exits 0; when the server ends first it
/// exits 1, and bench's next command to it fails.
public enum BrokerGuard {
    public static let role = "broker-guard"
    static let configurationFD: Int32 = 3

    public static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count == 1, FileDescriptor.isOpen(configurationFD) else {
            FileDescriptor.writeAll(2, "error: bench-worker broker-guard needs the redis-server path and its configuration on fd 3 — bench starts it\n")
            return ExitCode.usage.rawValue
        }
        Signals.ignore(Signals.stopSignals)
        Signals.ignoreBrokenPipes()
        FileDescriptor.setCloseOnExec(configurationFD)
        let (configuration, failure) = FileDescriptor.readToEnd(configurationFD)
        FileDescriptor.close(configurationFD)
        guard failure == nil else { return 1 }
        let server: ChildProcess
        do {
            let input = try FileDescriptor.makePipe()
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { FileDescriptor.close(null) }
            do {
                // In the guard's process group, which bench can kill as one on an abort.
                server = try ChildProcess(
                    executable: arguments[0], arguments: ["-"], standardInput: input.read, standardOutput: null,
                    captureStandardError: false, ownGroup: false)
            } catch {
                FileDescriptor.close(input.read)
                FileDescriptor.close(input.write)
                throw error
            }
            FileDescriptor.close(input.read)
            FileDescriptor.writeAll(input.write, configuration)
            FileDescriptor.close(input.write)
        } catch {
            FileDescriptor.writeAll(2, "error: \(oneLine(error))\n")
            return 1
        }
        FileDescriptor.writeAll(1, "\(server.pid)\n")
        var lifeline = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while true {
            if server.hasEnded() { return 1 }
            let ready = poll(&lifeline, 1, 100)
            if ready > 0 && (lifeline.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 || read(0, &byte, 1) <= 0) {
                server.signal(SIGTERM)
                _ = server.wait(until: MonotonicClock.deadline(afterSeconds: 2))
                return 0
            }
        }
    }
}
