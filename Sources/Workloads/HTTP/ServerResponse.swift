/// What the server answers one request with, decided when the request is read.
struct ServerResponse {
    enum Status: Int {
        case ok = 200
        case badRequest = 400
        case notFound = 404
        case methodNotAllowed = 405
        case headTooLarge = 431
        case versionNotSupported = 505

        var reason: String {
            switch self {
            case .ok: "OK"
            case .badRequest: "Bad Request"
            case .notFound: "Not Found"
            case .methodNotAllowed: "Method Not Allowed"
            case .headTooLarge: "Request Header Fields Too Large"
            case .versionNotSupported: "HTTP Version Not Supported"
            }
        }
    }

    let status: Status
    /// For `.ok`, the task whose body is sent.
    let task: Int
    let headersOnly: Bool
    let closes: Bool

    init(_ head: HTTPRequestHead) {
        switch head.answer {
        case let .task(task):
            status = .ok
            self.task = task
        case .notFound:
            status = .notFound
            task = 0
        case .methodNotAllowed:
            status = .methodNotAllowed
            task = 0
        }
        headersOnly = head.headersOnly
        closes = !head.keepAlive
    }

    /// The answer to a request that could not be parsed; the connection closes after it.
    init(invalid status: Int) {
        self.status = Status(rawValue: status) ?? .badRequest
        task = 0
        headersOnly = false
        closes = true
    }
}

/// The bytes of every response, prepared once per server: heads for each
/// status and connection mode, and the body pattern. Per request only the
/// task prefix is new, so serving costs copies, not formatting.
struct ResponseBytes: Sendable {
    private let okHeads: (keepAlive: [UInt8], close: [UInt8])
    private let pattern: [UInt8]
    private let errorBody: [UInt8]

    init(bodyBytes: Int) {
        pattern = HTTPBody.pattern(bytes: bodyBytes)
        okHeads = (Self.head(.ok, length: bodyBytes, closes: false), Self.head(.ok, length: bodyBytes, closes: true))
        errorBody = Array("bench serve answers GET /task/<n> (n = 0, 1, 2, ...)\n".utf8)
    }

    func append(_ response: ServerResponse, to output: inout [UInt8]) {
        if response.status == .ok {
            output.append(contentsOf: response.closes ? okHeads.close : okHeads.keepAlive)
            if !response.headersOnly {
                HTTPBody.append(task: response.task, pattern: pattern, to: &output)
            }
        } else {
            output.append(contentsOf: Self.head(response.status, length: errorBody.count, closes: response.closes))
            if !response.headersOnly {
                output.append(contentsOf: errorBody)
            }
        }
    }

    private static func head(_ status: ServerResponse.Status, length: Int, closes: Bool) -> [UInt8] {
        Array((
            "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n"
                + "Content-Length: \(length)\r\n"
                + "Content-Type: text/plain\r\n"
                + "Connection: \(closes ? "close" : "keep-alive")\r\n\r\n"
        ).utf8)
    }
}
