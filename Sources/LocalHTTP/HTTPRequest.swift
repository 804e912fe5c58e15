import Platform

/// The one request the clients send: `GET /task/<n>`, asking the server to
/// close after answering unless the connection is to be reused.
enum HTTPRequest {
    static func bytes(task: Int, endpoint: HTTPEndpoint, keepAlive: Bool) -> [UInt8] {
        Array((
            "GET /task/\(task) HTTP/1.1\r\n"
                + "Host: \(endpoint.authority)\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n"
        ).utf8)
    }
}
