import Glibc
import Platform
import Workloads

/// Where the Redis broker is and how to log in: parsed from
/// `redis://[[user]:password@]host[:port]`, with the password taken from
/// `BENCH_REDIS_PASSWORD` when the URL has none.
///
/// The password is never part of any text this type produces: `description`
/// and every error name the broker by host and port only.
public struct BrokerAddress: Sendable, Hashable, CustomStringConvertible {
    /// Where a password may come from besides the URL; read by bench and by
    /// every worker, so that it never has to appear on a command line.
    public static let passwordVariable = "BENCH_REDIS_PASSWORD"
    public static let defaultPort: UInt16 = 6379
    static let example = "e.g. --broker redis://127.0.0.1:6379 or redis://:PASSWORD@HOST:6379"

    public let host: String
    public let port: UInt16
    /// An ACL user name (Redis 6 and later); nil for the default user.
    public let user: String?
    public let password: String?

    public init(host: String, port: UInt16, user: String? = nil, password: String?) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
    }

    /// Parses `text`; `environmentPassword` is used when the URL has no
    /// password (pass `BrokerAddress.environmentPassword`).
    public init(url text: String, environmentPassword: String? = BrokerAddress.environmentPassword) throws(BrokerError) {
        guard text.hasPrefix("redis://") else {
            throw BrokerError.badURL(Self.redact(text), reason: "it must start with redis://")
        }
        var rest = Substring(text.dropFirst("redis://".count))
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw BrokerError.badURL(Self.redact(text), reason: "the part before @ must be :PASSWORD or USER:PASSWORD")
            }
            let name = String(userInfo[..<colon])
            user = name.isEmpty ? nil : try Self.percentDecoded(name, in: text)
            password = try Self.percentDecoded(String(userInfo[userInfo.index(after: colon)...]), in: text)
        }
        if let slash = rest.firstIndex(of: "/") {
            // A database number would change which keys the workers see; db 0 only.
            guard rest[slash...] == "/" || rest[slash...] == "/0" else {
                throw BrokerError.badURL(Self.redact(text), reason: "only database 0 is used: drop the path")
            }
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port = Self.defaultPort
        if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let value = UInt16(rest[rest.index(after: colon)...]), value > 0 else {
                throw BrokerError.badURL(Self.redact(text), reason: "the port must be a number from 1 to 65535")
            }
            port = value
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw BrokerError.badURL(Self.redact(text), reason: "the host must be an IPv4 address or a host name")
        }
        self.init(host: host, port: port, user: user, password: password ?? environmentPassword)
    }

    /// `BENCH_REDIS_PASSWORD`, when set and not empty.
    public static var environmentPassword: String? {
        guard let value = getenv(passwordVariable) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// `redis://host:port`: the form that is printed, recorded and passed to
    /// workers on their command line (no password, ever).
    public var url: String { "redis://\(host):\(port)" }
    public var description: String { url }
    /// `host:port`, for messages.
    public var endpoint: String { "\(host):\(port)" }

    /// The IPv4 address to connect to: the literal, or the first the resolver gives.
    public func socketAddress() throws(BrokerError) -> sockaddr_in {
        var literal = in_addr()
        if inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &literal) == 1 {
            return Socket.address(host: literal, port: port)
        }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Socket.streamType
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &found)
        defer { if let found { freeaddrinfo(found) } }
        guard status == 0, let first = found, let raw = first.pointee.ai_addr else {
            throw BrokerError.unreachable(endpoint, reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        let resolved = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        return Socket.address(host: resolved.sin_addr, port: port)
    }

    /// Whether the broker is on this machine (127.0.0.0/8), where no one else
    /// can reach it; a host that does not resolve counts as not loopback.
    public var isLoopback: Bool {
        guard let address = try? socketAddress() else { return false }
        return UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
    }

    /// A broker other machines can reach must have a password: refuses one
    /// that has none (bench never sends work to a broker anyone could feed).
    public func checkSecure() throws(BrokerError) {
        if password == nil && !isLoopback {
            throw BrokerError.insecure(endpoint)
        }
    }

    /// `text` with whatever sits between `//` and `@` replaced, for messages.
    static func redact(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let scheme = text.hasPrefix("redis://") ? "redis://" : ""
        return scheme + "***" + String(text[at...])
    }

    /// `%40` -> `@` and the like, so a password may hold any character.
    private static func percentDecoded(_ text: String, in url: String) throws(BrokerError) -> String {
        guard let decoded = ParameterValues.unescape(text) else {
            throw BrokerError.badURL(redact(url), reason: "a % in the password must start an escape such as %40")
        }
        return decoded
    }
}
