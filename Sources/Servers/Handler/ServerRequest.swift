import LocalHTTP

/// One request a server model has read: what it asks for, whether the
/// client keeps the connection, and how many bytes of the input it took.
public struct ServerRequest: Sendable, Equatable {
    /// What the request asks for.
    public enum Route: Sendable, Equatable {
        /// `GET /task/<n>`: the profile workload's task n.
        case task(Int)
        /// `GET /count`: the shared-variable pitfall's counter, incremented.
        case count
        /// A well-formed request for anything else.
        case notFound
        /// Not HTTP a server answers: reply with this status and close.
        case invalid(status: Int)
    }

    public var route: Route
    public var keepAlive: Bool
    /// Bytes of the input the head took (0 for an invalid one: the connection closes).
    public var length: Int

    /// The first request in `bytes`, nil while its head is incomplete. LocalHTTP's
    /// parser reads the head; only `/count`, which it does not know, is looked for here.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ServerRequest? {
        switch HTTPRequestParser.parse(bytes) {
        case .incomplete:
            return nil
        case let .invalid(status):
            return ServerRequest(route: .invalid(status: status), keepAlive: false, length: 0)
        case let .request(head):
            let route: Route
            switch head.answer {
            case let .task(task): route = .task(task)
            case .methodNotAllowed: route = .invalid(status: 405)
            case .notFound, .path: route = isCount(bytes) ? .count : .notFound
            }
            return ServerRequest(route: route, keepAlive: head.keepAlive, length: head.length)
        }
    }

    private static func isCount(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.starts(with: "GET /count ".utf8) || bytes.starts(with: "GET /count?".utf8)
    }
}
