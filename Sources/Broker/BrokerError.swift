import Platform

/// Why the Redis broker could not be used. Each names the broker by host and
/// port, never by its password, and reads as one line, `what — how to fix`.
public enum BrokerError: ReportableError {
    /// `--broker` (or a worker's) is not a URL this client takes.
    case badURL(String, reason: String)
    /// A broker other hosts can reach, and no password for it.
    case insecure(String)
    /// Nothing answered at host:port (refused, unreachable, no answer in time, or no such host).
    case unreachable(String, reason: String)
    /// The broker refused the password (or wants one).
    case authentication(String, message: String)
    /// The broker closed the connection or stopped answering mid-conversation.
    case lost(String, doing: String, reason: String)
    /// The broker answered a command with an error.
    case reply(String, command: String, message: String)
    /// The bytes from host:port are not Redis's protocol.
    case protocolError(String, detail: String)

    public var what: String {
        switch self {
        case let .badURL(url, reason):
            "the broker URL '\(url)' is not usable: \(reason)"
        case let .insecure(endpoint):
            "refusing the broker at \(endpoint): it is not a loopback address, and it has no password, so anyone who reaches it could feed bench's workers"
        case let .unreachable(endpoint, reason):
            "cannot reach the Redis broker at \(endpoint): \(reason)"
        case let .authentication(endpoint, message):
            "the Redis broker at \(endpoint) refused to log in: \(message)"
        case let .lost(endpoint, doing, reason):
            "lost the Redis broker at \(endpoint) while \(doing): \(reason)"
        case let .reply(endpoint, command, message):
            "the Redis broker at \(endpoint) answered \(command) with an error: \(message)"
        case let .protocolError(endpoint, detail):
            "the server at \(endpoint) does not speak Redis's protocol (\(detail))"
        }
    }

    public var fix: String {
        switch self {
        case .badURL:
            BrokerAddress.example
        case .insecure:
            "set a password on it (requirepass) and give it in \(BrokerAddress.passwordVariable) or as redis://:PASSWORD@host:port"
        case .unreachable:
            "check that redis-server runs there and listens on that address (bind, protected-mode), or leave out --broker to let bench start its own"
        case .authentication:
            "give the broker's password in \(BrokerAddress.passwordVariable) or as redis://:PASSWORD@host:port"
        case .lost:
            "check that the broker still runs (was redis-server stopped or killed?); the cell's workers were stopped"
        case .reply:
            "bench needs Redis 7 or later (streams, consumer groups, XAUTOCLAIM); check the broker's version and its maxmemory"
        case .protocolError:
            "point --broker at a Redis server (7 or later)"
        }
    }

    public var exitCode: ExitCode {
        switch self {
        case .badURL, .insecure, .authentication: .usage
        case .unreachable, .lost, .reply, .protocolError: .runFailed
        }
    }
}
