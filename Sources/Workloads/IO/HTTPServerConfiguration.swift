import LocalHTTP

extension HTTPServer.Configuration {
    /// The server of the `http` and `crawl` workloads: every value a workload
    /// decides defaults to the parameter it serves (`--http-latency-ms`,
    /// `--http-bytes`, `--crawl-links`, `--crawl-image-bytes`), so the
    /// server's defaults are the declarations', written once, there.
    public init(
        latencyMilliseconds: Int = HTTPWorkload.latencyParameter.defaultValue.number ?? 0,
        bodyBytes: Int = HTTPWorkload.bytesParameter.defaultValue.number ?? 0, port: UInt16 = 0, loops: Int? = nil,
        idleTimeoutSeconds: Int = defaultIdleTimeoutSeconds, headerTimeoutSeconds: Int = defaultHeaderTimeoutSeconds,
        site: CrawlSite = .declaredDefault
    ) {
        self.init(
            latencyMilliseconds: latencyMilliseconds, bodyBytes: bodyBytes, port: port, loops: loops, idleTimeoutSeconds: idleTimeoutSeconds,
            headerTimeoutSeconds: headerTimeoutSeconds, routes: CrawlSiteRoutes(site))
    }
}

extension CrawlSite {
    /// The site of the crawl workload's declared defaults.
    public static var declaredDefault: CrawlSite {
        CrawlSite(
            links: CrawlWorkload.linksParameter.defaultValue.number ?? 1,
            imageBytes: CrawlWorkload.imageBytesParameter.defaultValue.number ?? minimumImageBytes)
    }
}
