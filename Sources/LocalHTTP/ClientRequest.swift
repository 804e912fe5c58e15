import Platform

/// One request of the async client, from submission until its continuation is resumed.
/// Handed from the submitting task to the loop thread once, through the inbox
/// lock; after that only the loop thread touches it (hence unchecked).
final class ClientRequest: @unchecked Sendable {
    /// `/task/<n>`, or a crawl site's path.
    let path: String
    /// Keep the body's bytes in the summary.
    let keepsBody: Bool
    let endpoint: HTTPEndpoint
    let keepAlive: Bool
    let timeoutSeconds: Double
    let continuation: CheckedContinuation<HTTPResponseSummary, any Error>
    /// Set when a reused keep-alive connection failed before any response byte
    /// and the request was sent again on a fresh one (at most once).
    var retried = false

    init(path: String, keepsBody: Bool, endpoint: HTTPEndpoint, keepAlive: Bool, timeoutSeconds: Double,
         continuation: CheckedContinuation<HTTPResponseSummary, any Error>) {
        self.path = path
        self.keepsBody = keepsBody
        self.endpoint = endpoint
        self.keepAlive = keepAlive
        self.timeoutSeconds = timeoutSeconds
        self.continuation = continuation
    }

    var url: String { endpoint.url(path: path) }
}
