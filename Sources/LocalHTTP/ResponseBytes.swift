import Platform

/// The bytes of every response, prepared once per server: heads for each
/// status and connection mode, and the body pattern. Per request only the
/// task prefix is new, so serving costs copies, not formatting.
struct ResponseBytes: Sendable {
    private let okHeads: (keepAlive: [UInt8], close: [UInt8])
    private let pattern: [UInt8]
    private let errorBody: [UInt8]

    init(bodyBytes: Int) {
        pattern = HTTPBody.pattern(bytes: bodyBytes)
        okHeads = (Self.head(.ok, length: bodyBytes, closes: false), Self.head(.ok, length: bodyBytes, closes: true))
        errorBody = Array("bench serve answers GET /task/<n> (n = 0, 1, 2, ...)\n".utf8)
    }

    func append(_ response: ServerResponse, to output: inout [UInt8]) {
        if response.status == .ok {
            output.append(contentsOf: response.closes ? okHeads.close : okHeads.keepAlive)
            if !response.headersOnly {
                HTTPBody.append(task: response.task, pattern: pattern, to: &output)
            }
        } else {
            output.append(contentsOf: Self.head(response.status, length: errorBody.count, closes: response.closes))
            if !response.headersOnly {
                output.append(contentsOf: errorBody)
            }
        }
    }

    private static func head(_ status: ServerResponse.Status, length: Int, closes: Bool) -> [UInt8] {
        Array((
            "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n"
                + "Content-Length: \(length)\r\n"
                + "Content-Type: text/plain\r\n"
                + "Connection: \(closes ? "close" : "keep-alive")\r\n\r\n"
        ).utf8)
    }
}
