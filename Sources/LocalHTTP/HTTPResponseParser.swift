import Platform

/// What a client learned from one complete response.
/// What a client kept of one response: its status, body size and digest.
public struct HTTPResponseSummary: Sendable, Equatable {
    public var status: Int
    public var bodyBytes: Int
    /// `BodyDigest` of the body as received.
    public var digest: UInt64
    /// The server will close the connection (or HTTP/1.0 without keep-alive).
    public var closesConnection: Bool
    /// The body itself, when the request asked to keep it (`get(path:)`); nil otherwise.
    public var body: [UInt8]? = nil
}

/// Reads one HTTP/1.x response from the bytes a socket delivers, in pieces of
/// any size, digesting the body as it streams past instead of keeping it.
///
/// Only `Content-Length` framing is accepted: the bench server always sends
/// it, and a chunked or close-delimited body would hide a short read.
public struct HTTPResponseParser: Sendable {
    static let maximumHeadBytes = 16 * 1024

    private var head: [UInt8] = []
    private var status = 0
    private var contentLength = 0
    private var closesConnection = false
    private var digest = BodyDigest()
    private var inBody = false
    public private(set) var isComplete = false
    /// Whether any byte of a response has arrived (a reused connection that
    /// fails before this may be retried safely).
    public private(set) var hasStarted = false
    /// HEAD responses carry a length but no body.
    let expectsBody: Bool
    /// Keep the body's bytes (a crawler's page or image), not only their digest.
    let keepsBody: Bool
    private var body: [UInt8] = []

    public init(expectsBody: Bool = true, keepsBody: Bool = false) {
        self.expectsBody = expectsBody
        self.keepsBody = keepsBody
    }

    /// Consumes `bytes`; throws a description of what is wrong with the response.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(ResponseSyntaxError) {
        guard !bytes.isEmpty else { return }
        hasStarted = true
        if isComplete {
            throw ResponseSyntaxError("\(bytes.count) unexpected bytes after the response")
        }
        var rest = bytes[...]
        if !inBody {
            let searchFrom = max(0, head.count - 3)
            head.append(contentsOf: rest)
            let end = head.withUnsafeBytes { HTTPRequestParser.headEnd(UnsafeRawBufferPointer(rebasing: $0[searchFrom...])) }
            guard let end else {
                if head.count > Self.maximumHeadBytes {
                    throw ResponseSyntaxError("response head longer than \(Self.maximumHeadBytes) bytes")
                }
                return
            }
            let headLength = searchFrom + end
            let bodyStart = bytes.count - (head.count - headLength)
            head.removeSubrange(headLength...)
            try parseHead()
            inBody = true
            rest = bytes[bodyStart...]
            if contentLength == 0 || !expectsBody {
                isComplete = true
            }
        }
        guard !rest.isEmpty else { return }
        if isComplete {
            throw ResponseSyntaxError("\(rest.count) unexpected bytes after the response")
        }
        let wanted = contentLength - digest.count
        if rest.count > wanted {
            throw ResponseSyntaxError("body longer than its Content-Length \(contentLength)")
        }
        digest.update(UnsafeRawBufferPointer(rebasing: rest))
        if keepsBody {
            if body.isEmpty { body.reserveCapacity(contentLength) }
            body.append(contentsOf: rest)
        }
        if digest.count == contentLength {
            isComplete = true
        }
    }

    /// The response, once complete.
    public var summary: HTTPResponseSummary? {
        guard isComplete else { return nil }
        return HTTPResponseSummary(
            status: status, bodyBytes: digest.count, digest: digest.value, closesConnection: closesConnection,
            body: keepsBody ? body : nil)
    }

    /// Where the response stands, for an error when the connection ends early.
    var progress: String {
        if !hasStarted { return "before any response byte" }
        if !inBody { return "inside the response head" }
        return "after \(digest.count) of \(contentLength) body bytes"
    }

    private mutating func parseHead() throws(ResponseSyntaxError) {
        let parsed = head.withUnsafeBytes { bytes in
            Result { () throws(ResponseSyntaxError) in try Self.parseHead(bytes) }
        }
        (status, contentLength, closesConnection) = try parsed.get()
    }

    /// Status, Content-Length and whether the server closes, from a complete head.
    private static func parseHead(_ bytes: UnsafeRawBufferPointer) throws(ResponseSyntaxError) -> (Int, Int, Bool) {
        var lines = LineCursor(bytes: bytes, end: bytes.count)
        guard let statusLine = lines.next() else { throw ResponseSyntaxError("empty status line") }
        let words = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0].starts(with: "HTTP/1.".utf8), let status = Int(String(decoding: words[1], as: UTF8.self)) else {
            throw ResponseSyntaxError("not an HTTP/1.x status line: '\(String(decoding: statusLine.prefix(80), as: UTF8.self))'")
        }
        var closes = words[0].elementsEqual("HTTP/1.0".utf8)
        var length: Int?
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw ResponseSyntaxError("malformed header line")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces().lowercased()
            switch name {
            case "content-length":
                guard let parsed = Int(value), parsed >= 0 else {
                    throw ResponseSyntaxError("bad Content-Length '\(value)'")
                }
                length = parsed
            case "connection":
                if value.contains("close") { closes = true }
                if value.contains("keep-alive") { closes = false }
            case "transfer-encoding":
                throw ResponseSyntaxError("Transfer-Encoding '\(value)' is not supported; the server must send Content-Length")
            default:
                break
            }
        }
        guard let length else { throw ResponseSyntaxError("no Content-Length header") }
        return (status, length, closes)
    }
}

/// What is wrong with a response, without the URL (the client adds it).
public struct ResponseSyntaxError: Error {
    public let what: String

    init(_ what: String) {
        self.what = what
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
