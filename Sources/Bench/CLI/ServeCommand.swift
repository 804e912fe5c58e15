import Glibc
import Synchronization
import Workloads

/// `bench serve`: the `http` workload's server on its own, for trying it with
/// curl or wrk, or as the `--http-url` of runs elsewhere. `bench run` starts
/// the same command as a child process for its `http` cells.
enum ServeCommand: BenchCommand {
    static let name = "serve"
    static let summary = "run the http workload's local server on its own (prints its URL; Ctrl-C stops it)"

    private static let parameterDefaults = WorkloadParameters()

    static let options: [OptionSpec] = [
        OptionSpec("--port", value: "N", help: "TCP port on 127.0.0.1 (default 0: any free port, printed)"),
        OptionSpec("--http-latency-ms", value: "N", help: "milliseconds each response waits before it is sent (default \(parameterDefaults.httpLatencyMilliseconds))"),
        OptionSpec("--latency-ms", value: "N", help: "the same as --http-latency-ms (DESIGN.md's spelling for serve)"),
        OptionSpec("--http-bytes", value: "N", help: "response body size in bytes (default \(parameterDefaults.httpBytes))"),
        OptionSpec("--child", help: "print only the URL, and stop when standard input closes (how bench run starts it)"),
    ]

    static var help: String {
        Usage.command(
            "bench serve [OPTIONS]", summary: summary, groups: [("Options", options + [Usage.helpOption])],
            notes: [
                "GET /task/<n> answers 200 with a body of --http-bytes bytes starting 'task <n>', after --http-latency-ms.\nKeep-alive and Connection: close are both honoured. The first line on stdout is the URL.",
                "Example: bench serve --port 8080 --http-latency-ms 0 & wrk -t2 -c100 -d10s http://127.0.0.1:8080/task/1",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: options + [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        if let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "options start with --; see bench serve --help")
        }
        let isChild = arguments.has("--child")
        let configuration = HTTPServer.Configuration(
            latencyMilliseconds: try MatrixFlags.httpLatency(arguments)
                ?? arguments.integer("--latency-ms", in: 0...600_000, example: 20) ?? parameterDefaults.httpLatencyMilliseconds,
            bodyBytes: try MatrixFlags.httpBytes(arguments) ?? parameterDefaults.httpBytes,
            port: UInt16(try arguments.integer("--port", in: 0...65_535, example: 8080) ?? 0))

        let stop = try StopRequest.install()
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration)
        } catch let error as WorkloadError {
            throw BenchError.runFailed(error.description, fix: "choose another --port, or 0 for any free one")
        }
        print(server.url)
        fflush(nil)
        if !isChild {
            printNote("bench serve: GET \(server.url)task/<n> answers \(configuration.bodyBytes) bytes after \(configuration.latencyMilliseconds) ms; Ctrl-C stops")
        }
        stop.wait(watchingStandardInput: isChild)
        server.stop()
        if !isChild {
            printNote("bench serve: stopped after \(server.responsesWritten) responses on \(server.connectionsAccepted) connections")
        }
        return .success
    }
}

/// SIGINT/SIGTERM (and, for a child, the end of standard input) turned into a
/// byte on a pipe that the main thread waits on: the signal handler does only
/// an async-signal-safe `write`, and the server is stopped from ordinary code.
private struct StopRequest {
    /// The write end, read by the handler (which cannot capture anything).
    private static let signalPipe = Atomic<Int32>(-1)
    let readEnd: Int32

    static func install() throws -> StopRequest {
        let ends: (read: Int32, write: Int32)
        do {
            ends = try FileDescriptor.makePipe()
        } catch {
            throw BenchError.runFailed("\(error)", fix: "check the open-file limit (ulimit -n)")
        }
        signalPipe.store(ends.write, ordering: .relaxed)
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        for signalNumber in [SIGINT, SIGTERM] {
            sigaddset(&stopSignals, signalNumber)
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(StopRequest.signalPipe.load(ordering: .relaxed), &byte, 1)
            }
        }
        // A parent may have spawned us with these blocked (Foundation's Process under
        // swift test does); the server's threads inherit this thread's mask, so
        // unblocking here, before they start, makes Ctrl-C and kill reach us.
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        return StopRequest(readEnd: ends.read)
    }

    /// Blocks until a stop signal, or (when watching) until standard input reaches its end.
    func wait(watchingStandardInput: Bool) {
        var descriptors = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        if watchingStandardInput {
            descriptors.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0))
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 && errno == EINTR { continue } // a signal; look again
            // Any other failure would only repeat: stop serving rather than spin.
            guard ready > 0 else { return }
            if descriptors[0].revents != 0 { return }
            if watchingStandardInput && descriptors[1].revents != 0 {
                // Data is ignored; end of file (or an error) means the parent has gone.
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count <= 0 && !(count < 0 && errno == EINTR) { return }
            }
        }
    }
}
