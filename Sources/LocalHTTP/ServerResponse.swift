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

    /// What the body of a response is.
    enum Body {
        /// `/task/<n>`: the task's body.
        case task(Int)
        /// What the route hook serves at a path (a workload's site).
        case routed(HTTPResource)
        /// The error text of a status other than 200.
        case error
    }

    let status: Status
    let body: Body
    let headersOnly: Bool
    let closes: Bool

    init(_ head: HTTPRequestHead, routes: (any HTTPRoutes)?) {
        switch head.answer {
        case let .task(task):
            (status, body) = (.ok, .task(task))
        case let .path(path):
            if let resource = routes?.resource(at: path) {
                (status, body) = (.ok, .routed(resource))
            } else {
                (status, body) = (.notFound, .error)
            }
        case .notFound:
            (status, body) = (.notFound, .error)
        case .methodNotAllowed:
            (status, body) = (.methodNotAllowed, .error)
        }
        headersOnly = head.headersOnly
        closes = !head.keepAlive
    }

    /// The answer to a request that could not be parsed; the connection closes after it.
    init(invalid status: Int) {
        self.status = Status(rawValue: status) ?? .badRequest
        body = .error
        headersOnly = false
        closes = true
    }
}
