import Testing
@testable import LocalHTTP
import Platform
import TestSupport
@testable import Workloads

/// The request parser of the server and the response parser of the clients.
@Suite("HTTP parsing")
struct HTTPParserTests {
    static func parse(_ text: String) -> HTTPRequestParse {
        Array(text.utf8).withUnsafeBytes { HTTPRequestParser.parse($0) }
    }

    @Test func requestHeads() {
        #expect(Self.parse("GET /task/42 HTTP/1.1\r\nHost: x\r\n\r\n")
            == .request(HTTPRequestHead(answer: .task(42), headersOnly: false, keepAlive: true, length: 34)))
        #expect(Self.parse("GET /task/1 HTTP/1.1\r\nconnection: Close\r\n\r\nGET") == .request(
            HTTPRequestHead(answer: .task(1), headersOnly: false, keepAlive: false, length: 43)))
        #expect(Self.parse("HEAD /task/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == .request(
            HTTPRequestHead(answer: .task(1), headersOnly: true, keepAlive: true, length: 49)))
        #expect(Self.parse("GET /task/x HTTP/1.1\r\n\r\n") == .request(
            HTTPRequestHead(answer: .notFound, headersOnly: false, keepAlive: true, length: 24)))
        #expect(Self.parse("GET /task/1 HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(Self.parse("GET /task/1 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") == .invalid(status: 400))
        #expect(Self.parse("GET /task/1 HTTP/1.1\r\nX: " + String(repeating: "a", count: 9000)) == .invalid(status: 431))
    }

    /// What would otherwise wait forever for a CRLFCRLF is refused at once.
    @Test func bareLineFeedsAndGarbageAreRefusedWithoutWaiting() {
        #expect(Self.parse("GET /task/1 HTTP/1.1\n\n") == .invalid(status: 400))
        #expect(Self.parse("GET /task/1 HTTP/1.1\r\nHost: x\n") == .invalid(status: 400))
        #expect(Self.parse("\u{16}\u{03}\u{01}\u{02}") == .invalid(status: 400))
        #expect(Self.parse("\r\n\r\n") == .invalid(status: 400))
        #expect(Self.parse("get /task/1 HTTP/1.1\r\n\r\n") == .invalid(status: 400))
        // A head still arriving is not garbage.
        #expect(Self.parse("G") == .incomplete)
        #expect(Self.parse("GET /task/1 HTTP/1.1\r") == .incomplete)
    }

    @Test func responsesArriveInPiecesOfAnySize() throws {
        let body = HTTPBody.body(task: 12, bytes: 3000)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\nConnection: keep-alive\r\n\r\n".utf8) + body
        for pieceSize in [1, 2, 3, 7, 64, 1000, response.count] {
            var parser = HTTPResponseParser()
            var offset = 0
            while offset < response.count {
                let end = min(offset + pieceSize, response.count)
                try response[offset..<end].withUnsafeBytes { try parser.consume($0) }
                offset = end
            }
            let summary = try #require(parser.summary, "piece size \(pieceSize)")
            #expect(summary == HTTPResponseSummary(
                status: 200, bodyBytes: 3000, digest: HTTPBody.digest(task: 12, bytes: 3000), closesConnection: false))
        }
    }

    @Test func badResponsesAreRejected() {
        for text in [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabc", "HTTP/1.1 200 OK\r\n\r\n",
        ] {
            var parser = HTTPResponseParser()
            #expect(throws: ResponseSyntaxError.self, "\(text.debugDescription)") {
                try Array(text.utf8).withUnsafeBytes { try parser.consume($0) }
            }
        }
    }

    @Test func bodiesDifferPerTaskAndKeepTheirSize() {
        #expect(HTTPBody.body(task: 1, bytes: 5) == Array("task ".utf8))
        #expect(HTTPBody.body(task: 1, bytes: 0).isEmpty)
        #expect(HTTPBody.digest(task: 1, bytes: 1024) != HTTPBody.digest(task: 2, bytes: 1024))
        #expect(HTTPBody.digest(task: 1, bytes: 1024) != HTTPBody.digest(task: 1, bytes: 1025))
    }

    @Test func endpointsAcceptOnlyIPv4URLsWithAPort() throws {
        #expect(try HTTPEndpoint(url: "http://localhost:8080").url == "http://127.0.0.1:8080/")
        #expect(try HTTPEndpoint(url: "http://127.0.0.2:80/").url(task: 3) == "http://127.0.0.2:80/task/3")
        for bad in ["https://127.0.0.1:1/", "http://127.0.0.1/", "http://example.com:80/", "http://127.0.0.1:80/x", "http://127.0.0.1:0/"] {
            #expect("\(bad)") { try HTTPEndpoint(url: bad) } throws: { error in
                (error as? BenchError)?.exitCode == .usage
            }
        }
    }
}
