import Platform
import Glibc

/// Where the `http` workload sends its requests: an IPv4 address and a port,
/// parsed from a URL such as `http://127.0.0.1:8080/`.
///
/// Only literal IPv4 addresses (and `localhost`) are accepted: the workload
/// measures concurrency on one machine, and a name lookup per connection
/// would add a cost the models do not differ in.
public struct HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    /// The base URL, always ending in `/`.
    public var url: String { "http://\(host):\(port)/" }
    public var description: String { url }

    public init(url text: String) throws(BenchError) {
        let example = "e.g. http://127.0.0.1:8080/"
        guard text.hasPrefix("http://") else {
            throw BenchError.usage("--http-url '\(text)' must start with http://", fix: example)
        }
        var rest = Substring(text.dropFirst("http://".count))
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else {
                throw BenchError.usage("--http-url '\(text)' must have no path: the workload requests /task/<n>", fix: example)
            }
            rest = rest[..<slash]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]), port > 0 else {
            throw BenchError.usage("--http-url '\(text)' needs an explicit port", fix: example)
        }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw BenchError.usage("--http-url '\(text)': the host must be an IPv4 address or localhost", fix: example)
        }
        self.host = host
        self.port = port
    }

    public init(port: UInt16) {
        host = "127.0.0.1"
        self.port = port
    }

    var socketAddress: sockaddr_in {
        var address = in_addr()
        inet_pton(AF_INET, host, &address)
        return Socket.address(host: address, port: port)
    }

    /// The `Host` header value.
    var authority: String { "\(host):\(port)" }

    /// The URL of task `task`.
    public func url(task: Int) -> String { "\(url)task/\(task)" }

    /// The URL of `path` (which starts with `/`).
    public func url(path: String) -> String { url + path.dropFirst() }
}
