import Foundation
import Testing
@testable import Workloads

/// `bench run --workload http` and `bench serve`, through the built binary.
@Suite("HTTP end to end", .serialized)
struct HTTPEndToEndTests {
    @Test func runStartsItsOwnServerMeasuresAndStopsIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "http", "--model", "serial,thread,async", "--workers", "1,4", "--tasks", "8",
            "--runs", "2", "--warmup", "1", "--http-latency-ms", "5", "--http-bytes", "200",
            "--out", folder.url.path, "--label", "http", "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("http (io): 8 tasks x 5 ms"))

        let latest = folder.url.appendingPathComponent("latest")
        let raw = try String(contentsOf: latest.appendingPathComponent("raw.csv"), encoding: .utf8)
        let rows = raw.split(separator: "\n").dropFirst()
        // serial + 2 thread + 2 async cells, 2 runs each, all verified.
        #expect(rows.count == 5 * 2)
        #expect(rows.allSatisfy { $0.contains(",http,io,") && $0.hasSuffix(",true") })

        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: latest.appendingPathComponent("meta.json"))) as? [String: Any]
        let parameters = (meta?["parameters"] as? [String: Any])?["workload"] as? [String: Any]
        // bench's own server is recorded as such, not as if --http-url had been given.
        #expect(parameters?["http_url"] == nil)
        let server = try #require(parameters?["http_server"] as? String)
        #expect(server.hasPrefix("started by bench at http://127.0.0.1:"))
        let url = String(server.dropFirst("started by bench at ".count))
        // The child server is gone once the run has ended.
        #expect(throws: RawSocketError.self) { try RawSocket(port: HTTPEndpoint(url: url).port) }
    }

    @Test func aMissingExternalServerIsOneClearErrorAndExitCode1() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = "http://127.0.0.1:\(RawSocket.unusedPort())/"
        let result = try BenchBinary.run([
            "run", "--workload", "http", "--model", "serial,async", "--tasks", "4", "--http-url", url,
            "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 1)
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors == ["error: cannot connect to \(url): Connection refused — start bench serve there, or drop --http-url to let bench start its own server"])
        #expect(result.seconds < 10)
    }

    @Test func badHTTPFlagsAreUsageErrors() throws {
        for words in [
            ["--http-url", "http://example.com/"], ["--http-url", "http://127.0.0.1/"], ["--http-client", "curl"],
            ["--http-latency-ms", "-1"], ["--http-bytes", "lots"],
        ] {
            let result = try BenchBinary.run(["run", "--workload", "http"] + words)
            #expect(result.status == 64, "\(words)")
            #expect(result.standardError.hasPrefix("error: "), "\(words)")
        }
    }

    @Test func serveAsAChildPrintsItsURLServesAndStopsWhenStdinCloses() throws {
        let process = Process()
        process.executableURL = BenchBinary.url
        process.arguments = ["serve", "--child", "--http-latency-ms", "0", "--http-bytes", "50"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = try #require(Self.readLine(output.fileHandleForReading))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        let socket = try RawSocket(port: HTTPEndpoint(url: line).port)
        socket.send("GET /task/9 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = RawResponse.split(socket.readToEnd().bytes)?.response
        #expect(response?.body == HTTPBody.body(task: 9, bytes: 50))
        try input.fileHandleForWriting.close()
        #expect(Self.exits(process), "bench serve --child did not stop when its stdin closed")
        #expect(process.terminationStatus == 0)
    }

    @Test func serveStopsCleanlyOnSIGINT() throws {
        let process = Process()
        process.executableURL = BenchBinary.url
        process.arguments = ["serve"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = try #require(Self.readLine(output.fileHandleForReading))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        process.interrupt()
        #expect(Self.exits(process), "bench serve did not stop on SIGINT")
        #expect(process.terminationStatus == 0)
        let note = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(note.contains("stopped after 0 responses"))
    }

    /// Waits up to 10 s for `process` to end; past that kills it (so a failing
    /// test cannot hang the suite) and returns false.
    private static func exits(_ process: Process) -> Bool {
        for _ in 0..<1_000 where process.isRunning {
            usleep(10_000)
        }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// The first line a child prints (its URL), read byte by byte so nothing past it is consumed.
    private static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first {
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
        return nil
    }
}
