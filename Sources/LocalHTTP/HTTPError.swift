import Platform

/// Why one request of the `http` workload failed, said so that the user can
/// act on it: which URL, what happened, and for a missing server what to do.
public struct HTTPError: ReportableError {
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
    public let what: String

    public init(_ kind: Kind, _ what: String) {
        self.kind = kind
        self.what = what
    }

    public var fix: String {
        switch kind {
        case .connect: "start bench serve there, or drop --http-url to let bench start its own server"
        case .timeout: "the server did not answer in time: check it, or raise the latency budget"
        case .transport: "check the server and the open-file limit (ulimit -n)"
        case .response: "match --http-bytes to the server's (bench serve --http-bytes), or drop --http-url"
        }
    }

    public var exitCode: ExitCode { .runFailed }

    public static func cannotConnect(_ endpoint: HTTPEndpoint, reason: String) -> HTTPError {
        HTTPError(.connect, "cannot connect to \(endpoint.url): \(reason)")
    }

    public static func timedOut(_ url: String, seconds: Double) -> HTTPError {
        HTTPError(.timeout, "GET \(url): no complete response within \(formatSeconds(seconds)) s")
    }

    public static func transport(_ url: String, _ what: String) -> HTTPError {
        HTTPError(.transport, "GET \(url): \(what)")
    }

    public static func response(_ url: String, _ what: String) -> HTTPError {
        HTTPError(.response, "GET \(url): \(what)")
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
