import Platform

/// What the server answers one request with, decided when the request is read.
struct ServerResponse {
    /// The statuses the server sends, with their codes.
    enum Status: Int {
        case ok = 200
        case badRequest = 400
        case notFound = 404
        case methodNotAllowed = 405
        case requestTimeout = 408
        case headTooLarge = 431
        case serviceUnavailable = 503
        case versionNotSupported = 505

        var reason: String {
            switch self {
            case .ok: "OK"
            case .badRequest: "Bad Request"
            case .notFound: "Not Found"
            case .methodNotAllowed: "Method Not Allowed"
            case .requestTimeout: "Request Timeout"
            case .headTooLarge: "Request Header Fields Too Large"
            case .serviceUnavailable: "Service Unavailable"
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
