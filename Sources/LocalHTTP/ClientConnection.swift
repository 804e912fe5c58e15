import Platform

/// A non-blocking connection of the async client, owned by its loop thread.
final class ClientConnection {
    /// Where the connection is in its life.
    enum State {
        /// Non-blocking connect in progress: writable means it finished.
        case connecting
        /// Sending `request` (or about to).
        case active
        /// Kept open after a keep-alive response, waiting for the next request.
        case idle
        case closed
    }

    let fd: Int32
    let endpoint: HTTPEndpoint
    var state: State
    var request: ClientRequest?
    var requestBytes: [UInt8] = []
    var sent = 0
    var parser = HTTPResponseParser()
    /// Requests this connection has finished; above 0 it is a reused keep-alive connection.
    var completed = 0
    /// Bumped per request, so a stale deadline entry can tell it is stale.
    var generation = 0

    init(fd: Int32, endpoint: HTTPEndpoint, connecting: Bool) {
        self.fd = fd
        self.endpoint = endpoint
        state = connecting ? .connecting : .active
    }
}
