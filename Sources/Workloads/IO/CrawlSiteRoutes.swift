import LocalHTTP

/// The crawl workload's site as the HTTP server's route hook: the server
/// asks it about every path other than `/task/<n>`, and it answers pages and
/// images (`CrawlSite`), the images' common tail made once per server.
struct CrawlSiteRoutes: HTTPRoutes {
    let site: CrawlSite
    private let imagePattern: [UInt8]

    init(_ site: CrawlSite) {
        self.site = site
        imagePattern = site.imagePattern()
    }

    var summary: String { "the crawl site at /browse/<n>/" }

    func resource(at path: String) -> HTTPResource? {
        switch site.resource(path) {
        case let .page(page)?:
            // A page is about 12 KiB of HTML, made when its response is due.
            HTTPResource(contentType: "text/html; charset=utf-8", estimatedBytes: 16 * 1024) { [site] in .bytes(site.page(page)) }
        case let .image(page, slot)?:
            HTTPResource(contentType: "image/png", estimatedBytes: site.imageBytes) { [imagePattern] in
                .patterned(prefix: CrawlSite.imagePrefix(page: page, slot: slot), pattern: imagePattern)
            }
        case nil:
            nil
        }
    }
}
