/// Why one request of the `http` workload failed, said so that the user can
/// act on it: which URL, what happened, and for a missing server what to do.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for retry and reporting decisions.
    public enum Kind: Sendable {
        /// Nothing listens there (refused, unreachable) or connect timed out.
        case connect
        /// No complete response within the timeout.
        case timeout
        /// The connection broke: reset, closed early, a send or receive error.
        case transport
        /// A response arrived but is wrong: status, length, syntax.
        case response
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func cannotConnect(_ endpoint: HTTPEndpoint, reason: String) -> HTTPError {
        HTTPError(.connect, "cannot connect to \(endpoint.url): \(reason)")
    }

    static func timedOut(_ url: String, seconds: Double) -> HTTPError {
        HTTPError(.timeout, "GET \(url): no complete response within \(formatSeconds(seconds)) s")
    }

    static func transport(_ url: String, _ what: String) -> HTTPError {
        HTTPError(.transport, "GET \(url): \(what)")
    }

    static func response(_ url: String, _ what: String) -> HTTPError {
        HTTPError(.response, "GET \(url): \(what)")
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
