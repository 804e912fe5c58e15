import Platform

/// The bytes of every response, prepared once per server: heads for each
/// status and connection mode, and the body patterns. Per request only the
/// task's (or image's) prefix is new, so serving costs copies, not
/// formatting; what the route hook serves is made when it is due (`HTTPResource`).
struct ResponseBytes: Sendable {
    private let okHeads: (keepAlive: [UInt8], close: [UInt8])
    private let pattern: [UInt8]
    private let errorBody: [UInt8]

    init(bodyBytes: Int, errorText: String) {
        pattern = HTTPBody.pattern(bytes: bodyBytes)
        okHeads = (Self.head(.ok, length: bodyBytes, closes: false), Self.head(.ok, length: bodyBytes, closes: true))
        errorBody = Array(errorText.utf8)
    }

    /// About the bytes `append` will write for `response` (a page's exact
    /// length is known only once it is made): what a waiting response counts
    /// towards its connection's queued output.
    func estimatedSize(of response: ServerResponse) -> Int {
        let body = switch response.body {
        case .task: pattern.count
        case let .routed(resource): resource.estimatedBytes
        case .error: errorBody.count
        }
        return 256 + (response.headersOnly ? 0 : body)
    }

    func append(_ response: ServerResponse, to output: inout [UInt8]) {
        switch response.body {
        case let .task(task):
            output.append(contentsOf: response.closes ? okHeads.close : okHeads.keepAlive)
            if !response.headersOnly {
                HTTPBody.append(task: task, pattern: pattern, to: &output)
            }
        case let .routed(resource):
            let body = resource.make()
            output.append(contentsOf: Self.head(.ok, length: body.count, closes: response.closes, type: resource.contentType))
            if !response.headersOnly { body.append(to: &output) }
        case .error:
            output.append(contentsOf: Self.head(response.status, length: errorBody.count, closes: response.closes))
            if !response.headersOnly {
                output.append(contentsOf: errorBody)
            }
        }
    }

    private static func head(_ status: ServerResponse.Status, length: Int, closes: Bool, type: String = "text/plain") -> [UInt8] {
        Array((
            "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n"
                + "Content-Length: \(length)\r\n"
                + "Content-Type: \(type)\r\n"
                + "Connection: \(closes ? "close" : "keep-alive")\r\n\r\n"
        ).utf8)
    }
}
