/// The route hook: what a server answers beyond `GET /task/<n>`, so that a
/// workload can serve a site of its own (the crawl workload's wallpaper
/// pages and images) without the server or its request parser knowing any
/// of its paths. A path the hook does not know is answered 404.
public protocol HTTPRoutes: Sendable {
    /// The resource at `path` (the request target as sent), or nil: not found.
    /// Called on a server loop's thread for every such request: decide from
    /// the path alone, and leave making the body to `HTTPResource.make`.
    func resource(at path: String) -> HTTPResource?

    /// What it serves, for the body of a 404: `the crawl site at /browse/<n>/`.
    var summary: String { get }
}

/// One response a route hook serves: its content type, about how many bytes
/// it takes, and how to make its body once the response is due (after the
/// server's latency), so that a waiting request holds no body.
public struct HTTPResource: Sendable {
    /// What a body is made of.
    public enum Body: Sendable {
        /// These bytes.
        case bytes([UInt8])
        /// `prefix`, then the rest of `pattern` after as many bytes: a body of
        /// `pattern.count` bytes whose start alone is its own. The pattern is
        /// made once and shared, so serving one costs a copy, not a fill.
        case patterned(prefix: [UInt8], pattern: [UInt8])
    }

    public let contentType: String
    /// About the bytes of the body before it is made: what a waiting response
    /// counts towards its connection's queued output.
    public let estimatedBytes: Int
    private let body: @Sendable () -> Body

    public init(contentType: String, estimatedBytes: Int, body: @escaping @Sendable () -> Body) {
        self.contentType = contentType
        self.estimatedBytes = estimatedBytes
        self.body = body
    }

    /// The body, made now.
    func make() -> Body {
        body()
    }
}

extension HTTPResource.Body {
    /// Its length in bytes.
    var count: Int {
        switch self {
        case let .bytes(bytes): bytes.count
        case let .patterned(_, pattern): pattern.count
        }
    }

    /// Appends its bytes to `output`.
    func append(to output: inout [UInt8]) {
        switch self {
        case let .bytes(bytes):
            output.append(contentsOf: bytes)
        case let .patterned(prefix, pattern):
            let head = prefix.prefix(pattern.count)
            output.append(contentsOf: head)
            output.append(contentsOf: pattern[head.count...])
        }
    }
}
