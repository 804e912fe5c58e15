import Foundation
import Testing
import Platform
import Harness
import LocalHTTP
import TestSupport
import Workloads
import Workloads

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
        let raw = try CSVTable(url: latest.appendingPathComponent("raw.csv"))
        // serial + 2 thread + 2 async cells, 2 runs each, all verified.
        #expect(raw.rows.count == 5 * 2)
        #expect(raw.rows(matching: ["workload": "http", "kind": "io", "ok": "true"]).count == raw.rows.count)

        let meta = try MetaJSON.read(runFolder: latest)
        let parameters = ((meta["parameters"] as? [String: Any])?["workload"] as? [String: Any])?["http"] as? [String: Any]
        // bench's own server is recorded as such, not as if --http-url had been given.
        #expect(parameters?["http-url"] as? [String] == [""])
        let fixtures = try #require(meta["fixtures"] as? [String])
        #expect(fixtures.count == 1 && fixtures[0].hasPrefix("started by bench at http://127.0.0.1:"), "\(fixtures)")
        let url = String(fixtures[0].dropFirst("started by bench at ".count))
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

    /// --http-url sends a whole cell's traffic elsewhere: nothing may reach it
    /// from an invocation that stops before its run starts.
    @Test func anExternalServerIsNotContactedBeforeTheRunStarts() throws {
        let listener = try RawListener()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for (words, status) in [
            (["--warmup", "-1"], Int32(64)), (["--model", "no-such-model"], 64), (["--cpus", "9999"], 64),
            // Fails after the plan is made and the fixtures prepared, where the server used to be checked.
            (["--out", "/proc/no-such-folder"], 1),
        ] {
            let result = try BenchBinary.run(
                ["run", "--workload", "http", "--model", "serial", "--tasks", "4", "--http-url", listener.url,
                 "--out", folder.url.path, "--no-plot"] + words)
            #expect(result.status == status, "\(words): \(result.standardError)")
        }
        #expect(listener.acceptPending() == 0)
        let help = try BenchBinary.run(["run", "--help"])
        #expect(help.standardOutput.contains("contacted only once the run starts"))
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
        // What the http workload's fixture starts: bench-worker serve.
        let process = try Spawned(
            BenchBinary.workerURL, ["serve", "--http-latency-ms", "0", "--http-bytes", "50"],
            pipeInput: true, pipeOutput: true)
        let line = try #require(readLine(process.output!))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        let socket = try RawSocket(port: HTTPEndpoint(url: line).port)
        socket.send("GET /task/9 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = RawResponse.split(socket.readToEnd().bytes)?.response
        #expect(response?.body == HTTPBody.body(task: 9, bytes: 50))
        process.closeInput()
        let status = process.wait(seconds: 10)
        #expect(status != nil, "bench-worker serve did not stop when its stdin closed")
        #expect(status == 0)
    }

    @Test func serveStopsCleanlyOnSIGINT() throws {
        let process = try Spawned(BenchBinary.url, ["serve"], pipeOutput: true)
        let line = try #require(readLine(process.output!))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        kill(process.pid, SIGINT)
        let status = process.wait(seconds: 10)
        #expect(status != nil, "bench serve did not stop on SIGINT")
        #expect(status == 0)
        let note = process.standardError()
        #expect(note.contains("stopped after 0 responses"))
    }
}
