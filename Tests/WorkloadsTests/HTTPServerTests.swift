import Foundation
import Glibc
import Testing
@testable import LocalHTTP
import Platform
import TestSupport
@testable import Workloads

/// The local HTTP server seen from raw sockets and from the workload's clients.
@Suite("HTTP server")
struct HTTPServerTests {
    static func server(latency: Int = 0, bytes: Int = 100) throws -> HTTPServer {
        try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: latency, bodyBytes: bytes))
    }

    static func workload(_ server: HTTPServer, keepAlive: Bool = false, client: String = "native") throws -> HTTPWorkload {
        try HTTPWorkload(
            latencyMilliseconds: server.configuration.latencyMilliseconds, bytes: server.configuration.bodyBytes,
            keepAlive: keepAlive, asyncClient: HTTPWorkload.AsyncClient(rawValue: client)!, url: server.url)
    }

    @Test func answersARawRequestWithTheTaskBody() throws {
        let server = try Self.server(bytes: 100)
        defer { server.stop() }
        #expect(server.port > 0)
        #expect(server.url == "http://127.0.0.1:\(server.port)/")
        let socket = try RawSocket(port: server.port)
        socket.send("GET /task/5 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        let (bytes, closed) = socket.readToEnd()
        #expect(closed, "Connection: close must close after the response")
        let (response, rest) = try #require(RawResponse.split(bytes))
        #expect(response.head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.head.contains("Content-Length: 100"))
        #expect(response.head.contains("Connection: close"))
        #expect(response.body == HTTPBody.body(task: 5, bytes: 100))
        #expect(response.body.starts(with: Array("task 5\n".utf8)))
        #expect(rest.isEmpty)
    }

    @Test func refusesWhatItDoesNotServe() throws {
        let server = try Self.server()
        defer { server.stop() }
        for (request, status) in [
            ("GET / HTTP/1.1\r\nHost: t\r\n\r\n", "404"), ("POST /task/1 HTTP/1.1\r\nHost: t\r\n\r\n", "405"),
            ("nonsense\r\n\r\n", "400"), ("GET /task/1 HTTP/2.0\r\n\r\n", "505"),
        ] {
            let socket = try RawSocket(port: server.port)
            socket.send(request)
            let bytes = socket.read(atLeast: 12)
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 \(status) "), "\(request.debugDescription)")
        }
    }

    @Test func aBareLineFeedRequestGetsA400NotSilence() throws {
        let server = try Self.server()
        defer { server.stop() }
        let socket = try RawSocket(port: server.port, timeoutSeconds: 5)
        socket.send("GET /task/1 HTTP/1.1\nHost: t\n\n")
        let (bytes, closed) = socket.readToEnd()
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
        #expect(closed)
    }

    /// Idle connections are dropped and a head that never ends gets 408, so
    /// clients that hold connections cannot keep every descriptor.
    @Test func idleConnectionsAndUnfinishedHeadsTimeOut() throws {
        let server = try HTTPServer(HTTPServer.Configuration(
            latencyMilliseconds: 0, bodyBytes: 10, idleTimeoutSeconds: 1, headerTimeoutSeconds: 1))
        defer { server.stop() }
        let idle = try RawSocket(port: server.port, timeoutSeconds: 10)
        let slow = try RawSocket(port: server.port, timeoutSeconds: 10)
        slow.send("GET /task/1 HTTP/1.1\r\nHost:")
        let used = try RawSocket(port: server.port, timeoutSeconds: 10)
        used.send("GET /task/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(String(decoding: used.read(atLeast: 12), as: UTF8.self).hasPrefix("HTTP/1.1 200 "))
        let start = ContinuousClock.now
        let (idleBytes, idleClosed) = idle.readToEnd()
        #expect(idleBytes.isEmpty && idleClosed)
        let (slowBytes, slowClosed) = slow.readToEnd()
        #expect(String(decoding: slowBytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 "), "\(String(decoding: slowBytes, as: UTF8.self))")
        #expect(slowClosed)
        #expect(used.readToEnd().closed)
        // 1 s of timeout on a 1 s sweep: closed within about 3 s (9 on a busy machine), not the 10 s read timeout.
        #expect(ContinuousClock.now - start < .seconds(9))
        #expect(server.connectionsTimedOut == 3)
    }

    @Test func noResponseArrivesBeforeTheLatency() throws {
        let server = try Self.server(latency: 150)
        defer { server.stop() }
        let socket = try RawSocket(port: server.port)
        let clock = ContinuousClock()
        let start = clock.now
        socket.send("GET /task/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = socket.read(atLeast: 1)
        let waited = clock.now - start
        #expect(!first.isEmpty)
        #expect(waited >= .milliseconds(150), "answered after \(waited)")
    }

    @Test func keepAliveServesManyRequestsOnOneConnectionInOrder() throws {
        let server = try Self.server(latency: 5, bytes: 64)
        defer { server.stop() }
        let socket = try RawSocket(port: server.port)
        for task in 0..<3 {
            socket.send("GET /task/\(task) HTTP/1.1\r\nHost: t\r\n\r\n")
            let (response, _) = try #require(RawResponse.split(socket.read(atLeast: 64 + 80)))
            #expect(response.head.contains("Connection: keep-alive"))
            #expect(response.body == HTTPBody.body(task: task, bytes: 64))
        }
        // Pipelined: both requests in one write, answered in order, then closed as the last one asks.
        socket.send("GET /task/7 HTTP/1.1\r\nHost: t\r\n\r\nGET /task/8 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let (bytes, closed) = socket.readToEnd()
        #expect(closed)
        let (first, rest) = try #require(RawResponse.split(bytes))
        let (second, tail) = try #require(RawResponse.split(rest))
        #expect(first.body == HTTPBody.body(task: 7, bytes: 64))
        #expect(second.body == HTTPBody.body(task: 8, bytes: 64))
        #expect(second.head.contains("Connection: close"))
        #expect(tail.isEmpty)
        #expect(server.connectionsAccepted == 1)
        #expect(server.responsesWritten == 5)
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        let server = try Self.server()
        defer { server.stop() }
        let socket = try RawSocket(port: server.port)
        socket.send("GET /task/1 HTTP/1.0\r\n\r\n")
        let (bytes, closed) = socket.readToEnd()
        #expect(closed)
        #expect(RawResponse.split(bytes)?.response.body == HTTPBody.body(task: 1, bytes: 100))
    }

    @Test func blockingClientsWithAndWithoutKeepAlive() throws {
        let server = try Self.server(latency: 1, bytes: 300)
        defer { server.stop() }
        for keepAlive in [false, true] {
            let workload = try Self.workload(server, keepAlive: keepAlive)
            let before = server.connectionsAccepted
            let session = try workload.makeSession()
            for task in 0..<5 {
                #expect(try session.run(task: task) == workload.expectedResult(task: task))
            }
            #expect(server.connectionsAccepted - before == (keepAlive ? 1 : 5))
        }
    }

    @Test(arguments: [false, true])
    func asyncClientsWithAndWithoutKeepAlive(keepAlive: Bool) async throws {
        let server = try Self.server(latency: 1, bytes: 300)
        defer { server.stop() }
        for client in ["native", "urlsession"] {
            let workload = try Self.workload(server, keepAlive: keepAlive, client: client)
            for task in 0..<5 {
                #expect(try await workload.runAsync(task: task) == workload.expectedResult(task: task), "\(client)")
            }
        }
    }

    @Test func aThousandConcurrentAsyncClientsAreAllServed() async throws {
        let server = try Self.server(latency: 200, bytes: 256)
        defer { server.stop() }
        let workload = try Self.workload(server)
        let tasks = 1_000
        let results = try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
            for task in 0..<tasks {
                group.addTask { (task, try await workload.runAsync(task: task)) }
            }
            var results: [Int: UInt64] = [:]
            for try await (task, result) in group { results[task] = result }
            return results
        }
        #expect(results.count == tasks)
        #expect((0..<tasks).allSatisfy { results[$0] == workload.expectedResult(task: $0) })
        #expect(server.connectionsAccepted == tasks)
        #expect(server.responsesWritten == tasks)
    }

    @Test func aServerThatIsNotThereFailsFastAndSaysSo() async throws {
        let url = "http://127.0.0.1:\(RawSocket.unusedPort())/"
        let clock = ContinuousClock()
        for client in ["native", "urlsession"] {
            let workload = try HTTPWorkload(
                latencyMilliseconds: 10, bytes: 1024, asyncClient: HTTPWorkload.AsyncClient(rawValue: client)!, url: url)
            let start = clock.now
            let blocking = #expect(throws: HTTPError.self) { try workload.fetch(task: 3) }
            #expect(blocking?.kind == .connect)
            #expect(blocking?.what == "cannot connect to \(url): Connection refused")
            // Under a model a failed request is counted, and the run fails at its end with the count.
            _ = try workload.run(task: 3)
            #expect(clock.now - start < .seconds(5))
            // No time bound on the async request: it resumes on the cooperative pool,
            // which the suite's other tests block while they run bench (seconds at a time).
            _ = try await workload.runAsync(task: 4)
            let failure = #expect(throws: WorkloadError.self, "\(client)") { try workload.finish() }
            #expect(failure?.description.hasPrefix("2 of 2 requests failed; the first: cannot connect to \(url)") == true, "\(failure?.description ?? "")")
            // The count starts again with the next run.
            #expect(throws: Never.self) { try workload.finish() }
        }
    }

    @Test func stopClosesTheListenerAndIsIdempotent() throws {
        let server = try Self.server()
        let port = server.port
        server.stop()
        server.stop()
        #expect(throws: RawSocketError.self) { try RawSocket(port: port) }
    }
}
