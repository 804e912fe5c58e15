import Platform

/// The requests the clients send: `GET /task/<n>` (or a crawl site's path),
/// asking the server to close after answering unless the connection is to be reused.
enum HTTPRequest {
    static func bytes(task: Int, endpoint: HTTPEndpoint, keepAlive: Bool) -> [UInt8] {
        bytes(path: "/task/\(task)", endpoint: endpoint, keepAlive: keepAlive)
    }

    /// `GET <path>`: the crawl site's pages and images.
    static func bytes(path: String, endpoint: HTTPEndpoint, keepAlive: Bool) -> [UInt8] {
        Array((
            "GET \(path) HTTP/1.1\r\n"
                + "Host: \(endpoint.authority)\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n"
        ).utf8)
    }
}
