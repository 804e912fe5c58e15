import Glibc
import Harness
import LocalHTTP
import Platform
import Synchronization
import Workloads

/// `bench serve`: the `http` workload's server on its own, for trying it with
/// curl or wrk, or as the `--http-url` of runs elsewhere. `bench run` starts
/// the same server (`bench-worker serve`) as a child process for its `http` cells.
enum ServeCommand: BenchCommand {
    static let name = "serve"
    static let summary = "run the http workload's local server on its own (prints its URL; Ctrl-C stops it)"

    static let options: [OptionSpec] = [
        OptionSpec("--port", value: "N", help: "TCP port on 127.0.0.1 (default 0: any free port, printed)"),
        OptionSpec(HTTPWorkload.latencyParameter.flag, value: "MS", help: "milliseconds each response waits before it is sent (default \(HTTPWorkload.latencyParameter.defaultValue))"),
        OptionSpec("--latency-ms", value: "MS", help: "the same as --http-latency-ms (DESIGN.md's spelling for serve)"),
        OptionSpec(HTTPWorkload.bytesParameter.flag, value: "BYTES", help: "response body size in bytes (default \(HTTPWorkload.bytesParameter.defaultValue))"),
        OptionSpec(CrawlWorkload.linksParameter.flag, value: "N", help: "the crawl site's wallpaper links per page (default \(CrawlWorkload.linksParameter.defaultValue))"),
        OptionSpec(CrawlWorkload.imageBytesParameter.flag, value: "BYTES", help: "the crawl site's image size (default \(CrawlWorkload.imageBytesParameter.defaultValue))"),
    ]

    static var help: String {
        Usage.command(
            "bench serve [OPTIONS]", summary: summary, groups: [("Options", options + [Usage.helpOption])],
            notes: [
                "GET /task/<n> answers 200 with a body of --http-bytes bytes starting 'task <n>', after --http-latency-ms.\nKeep-alive and Connection: close are both honoured. The first line on stdout is the URL.",
                "A connection idle for \(HTTPServer.Configuration().idleTimeoutSeconds) s is closed; a request head unfinished after \(HTTPServer.Configuration().headerTimeoutSeconds) s gets 408;\nout of descriptors, new connections get 503 rather than waiting.",
                "The crawl workload's site is there too: GET /browse/<p>/ is page p, its images under /uploads/.",
                "Example: bench serve --port 8080 --http-latency-ms 0 & wrk -t2 -c100 -d10s http://127.0.0.1:8080/task/1",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: options, help: help) else { return .success }
        /// A declared whole-number parameter from its flag (or `alias`), else its declared default.
        func number(_ parameter: ParameterDeclaration, alias: String? = nil) throws -> Int {
            let text = arguments.string(parameter.flag) ?? alias.flatMap(arguments.string)
            let value = try text.map { try parameter.parse($0) } ?? parameter.defaultValue
            guard let number = value.number else {
                throw BenchError.runFailed("\(parameter.flag) is not a whole number", fix: "this is a bug in bench")
            }
            return number
        }
        let configuration = HTTPServer.Configuration(
            latencyMilliseconds: try number(HTTPWorkload.latencyParameter, alias: "--latency-ms"),
            bodyBytes: try number(HTTPWorkload.bytesParameter),
            port: UInt16(try arguments.integer("--port", in: 0...65_535, example: 8080) ?? 0),
            site: CrawlSite(links: try number(CrawlWorkload.linksParameter), imageBytes: try number(CrawlWorkload.imageBytesParameter)))

        // Before the stop pipe takes a descriptor: too low a limit is one clear error, not a failed pipe.
        try HTTPServer.checkDescriptorLimit(loops: configuration.loops)
        let stop = try StopRequest.install()
        let server = try HTTPServer(configuration)
        print(server.url)
        fflush(nil)
        printNote("bench serve: GET \(server.url)task/<n> answers \(configuration.bodyBytes) bytes after \(configuration.latencyMilliseconds) ms; Ctrl-C stops")
        stop.wait()
        server.stop()
        var ended = "bench serve: stopped after \(server.responsesWritten) responses on \(server.connectionsAccepted) connections"
        if server.connectionsShed > 0 { ended += "; \(server.connectionsShed) more answered 503 for want of descriptors (ulimit -n)" }
        if server.connectionsTimedOut > 0 { ended += "; \(server.connectionsTimedOut) closed for idling or an unfinished head" }
        printNote(ended)
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
        let ends = try FileDescriptor.makePipe()
        signalPipe.store(ends.write, ordering: .relaxed)
        for signalNumber in Signals.stopSignals {
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(StopRequest.signalPipe.load(ordering: .relaxed), &byte, 1)
            }
        }
        // A parent may have spawned us with these blocked; the server's threads inherit
        // this thread's mask, so unblocking here, before they start, makes Ctrl-C and kill reach us.
        Signals.unblock(Signals.stopSignals)
        return StopRequest(readEnd: ends.read)
    }

    /// Blocks until a stop signal.
    func wait() {
        while !FileDescriptor.waitReadable(readEnd, milliseconds: 3_600_000) {}
    }
}
