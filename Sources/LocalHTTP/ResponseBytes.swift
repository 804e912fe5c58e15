import Platform

/// The bytes of every response, prepared once per server: heads for each
/// status and connection mode, and the body patterns. Per request only the
/// task's (or image's) prefix is new, so serving costs copies, not
/// formatting; a crawl site's page is made per request (about 12 KiB of HTML).
struct ResponseBytes: Sendable {
    private let okHeads: (keepAlive: [UInt8], close: [UInt8])
    private let pattern: [UInt8]
    private let errorBody: [UInt8]
    let site: CrawlSite
    private let imagePattern: [UInt8]

    init(bodyBytes: Int, site: CrawlSite) {
        pattern = HTTPBody.pattern(bytes: bodyBytes)
        okHeads = (Self.head(.ok, length: bodyBytes, closes: false), Self.head(.ok, length: bodyBytes, closes: true))
        errorBody = Array("bench serve answers GET /task/<n> (n = 0, 1, 2, ...), and the crawl site at /browse/<n>/\n".utf8)
        self.site = site
        imagePattern = site.imagePattern()
    }

    /// About the bytes `append` will write for `response` (a page's exact
    /// length is known only once it is made): what a waiting response counts
    /// towards its connection's queued output.
    func estimatedSize(of response: ServerResponse) -> Int {
        let body = switch response.body {
        case .task: pattern.count
        case .page: 16 * 1024
        case .image: site.imageBytes
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
        case let .page(page):
            let html = site.page(page)
            output.append(contentsOf: Self.head(.ok, length: html.count, closes: response.closes, type: "text/html; charset=utf-8"))
            if !response.headersOnly { output.append(contentsOf: html) }
        case let .image(page, slot):
            output.append(contentsOf: Self.head(.ok, length: site.imageBytes, closes: response.closes, type: "image/png"))
            if !response.headersOnly {
                let prefix = CrawlSite.imagePrefix(page: page, slot: slot).prefix(site.imageBytes)
                output.append(contentsOf: prefix)
                output.append(contentsOf: imagePattern[prefix.count...])
            }
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
