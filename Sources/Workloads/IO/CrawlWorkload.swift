import Glibc
import LocalHTTP
import Platform

/// The seed's wallpaper crawler (002), on bench's own site: a producer reads
/// the site's pages and finds the wallpapers' links in them (real parsing),
/// and downloaders take the links, download each image and write it to a
/// folder. A task is one image: task t is image t % links of page t / links.
///
/// The producer is `LinkBook`'s: whichever downloader first needs links
/// no one has yet. `--pipeline phased` is the tutorial's (every page read
/// before the first download), `overlapped` lets a download start as soon
/// as its page is read. Threads and processes use the blocking client, the
/// async models the event-loop client; one connection per request, as the
/// seed's `requests.get`. Each image is written with O_EXCL: a second write
/// of one image fails the task; the fixture checks every file's bytes after
/// the sample and deletes them. A task's result is a digest of the path it
/// found on the page and of the bytes it wrote, known without a server.
public struct CrawlWorkload: Workload {
    public let pages: Int
    public let site: CrawlSite
    public let latencyMilliseconds: Int
    public let phased: Bool
    /// Where the images go; set by the fixture (or `--crawl-dir`).
    public let folder: String
    public let endpoint: HTTPEndpoint?
    /// This process's pages and links of the current sample.
    let book: LinkBook

    public init(pages: Int, site: CrawlSite, latencyMilliseconds: Int, phased: Bool, folder: String, url: String) throws {
        guard pages >= 1, site.links >= 1, site.imageBytes >= CrawlSite.minimumImageBytes, latencyMilliseconds >= 0 else {
            throw WorkloadError("crawl needs at least one page and link, images of \(CrawlSite.minimumImageBytes) bytes or more", exitCode: .usage)
        }
        self.pages = pages
        self.site = site
        self.latencyMilliseconds = latencyMilliseconds
        self.phased = phased
        self.folder = folder
        endpoint = url.isEmpty ? nil : try HTTPEndpoint(url: url)
        book = LinkBook(pages: pages, phased: phased)
        FileLimit.raiseToHardLimit()
    }

    public static let registryName = "crawl"
    public var name: String { Self.registryName }
    public var kind: WorkloadKind { .io }
    public var work: WorkSize { WorkSize(amount: site.imageBytes, unit: "bytes-per-image") }

    var timeoutSeconds: Double { 30 + Double(latencyMilliseconds) / 1000 }

    /// The page and slot of task `task`, or a usage error past the site's last image.
    func place(of task: Int) throws -> (page: Int, slot: Int) {
        let page = task / site.links
        guard page < pages else {
            throw WorkloadError(
                "crawl task \(task) is past the site's \(pages * site.links) images (--crawl-pages \(pages) x --crawl-links \(site.links))",
                fix: "lower --tasks, or raise --crawl-pages", exitCode: .usage)
        }
        return (page, task % site.links)
    }

    public func run(task: Int) throws -> UInt64 {
        let (page, slot) = try place(of: task)
        let links = try book.links(page: page) { try readPage($0) }
        let link = try pick(links, slot: slot, page: page)
        let response = try BlockingHTTPConnection(endpoint: server(), timeoutSeconds: timeoutSeconds)
            .get(path: link.path, keepAlive: false, timeoutSeconds: timeoutSeconds)
        return try save(response, link: link, page: page, slot: slot)
    }

    public func runAsync(task: Int) async throws -> UInt64 {
        let (page, slot) = try place(of: task)
        let links = try await book.links(page: page) { try await readPageAsync($0) }
        let link = try pick(links, slot: slot, page: page)
        let response = try await AsyncHTTPClient.shared.get().get(
            path: link.path, endpoint: server(), keepAlive: false, timeoutSeconds: timeoutSeconds)
        return try save(response, link: link, page: page, slot: slot)
    }

    /// The next sample crawls the site again.
    public func finish() throws {
        book.reset()
    }

    public func expectedResult(task: Int) -> UInt64? {
        guard let (page, slot) = try? place(of: task) else { return nil }
        return Self.result(path: CrawlSite.imagePath(page: page, slot: slot), bytes: site.imageBytes)
    }

    static func result(path: String, bytes: Int) -> UInt64 {
        var digest = BodyDigest()
        var path = path
        path.withUTF8 { digest.update(UnsafeRawBufferPointer($0)) }
        return mix(digest.value &+ UInt64(bytes))
    }

    // MARK: - The producer's part

    func readPage(_ page: Int) throws -> [ImageLink] {
        let path = CrawlSite.pagePath(page)
        let response = try BlockingHTTPConnection(endpoint: server(), timeoutSeconds: timeoutSeconds)
            .get(path: path, keepAlive: false, timeoutSeconds: timeoutSeconds)
        return try links(in: response, page: page)
    }

    func readPageAsync(_ page: Int) async throws -> [ImageLink] {
        let response = try await AsyncHTTPClient.shared.get().get(
            path: CrawlSite.pagePath(page), endpoint: server(), keepAlive: false, timeoutSeconds: timeoutSeconds)
        return try links(in: response, page: page)
    }

    /// Every wallpaper link of a page: its `<img>` sources through the seed's regular expression.
    func links(in response: HTTPResponseSummary, page: Int) throws -> [ImageLink] {
        let url = address(CrawlSite.pagePath(page))
        guard response.status == 200, let html = response.body else {
            throw HTTPError.response(url, "status \(response.status), expected 200")
        }
        return CrawlSite.imageSources(in: html).compactMap(CrawlSite.fullImage(thumbnail:)).map { ImageLink(path: $0.path, fileName: $0.fileName) }
    }

    func pick(_ links: [ImageLink], slot: Int, page: Int) throws -> ImageLink {
        guard slot < links.count else {
            throw WorkloadError(
                "page \(page) of the site has \(links.count) wallpaper links, not \(site.links)",
                fix: "give --crawl-links of the server's site (bench serve --crawl-links), or drop --http-url")
        }
        return links[slot]
    }

    // MARK: - A downloader's part

    /// Checks the image and writes it (once: O_EXCL); the task's result.
    func save(_ response: HTTPResponseSummary, link: ImageLink, page: Int, slot: Int) throws -> UInt64 {
        let body = try image(response, path: link.path, page: page, slot: slot)
        try Self.write(body, to: folder + "/" + link.fileName)
        return Self.result(path: link.path, bytes: body.count)
    }

    /// The image of a response, when it is image `slot` of page `page` (its size and first line).
    func image(_ response: HTTPResponseSummary, path: String, page: Int, slot: Int) throws -> [UInt8] {
        let url = address(path)
        guard response.status == 200, let body = response.body else {
            throw HTTPError.response(url, "status \(response.status), expected 200")
        }
        let prefix = CrawlSite.imagePrefix(page: page, slot: slot)
        guard body.count == site.imageBytes, body.starts(with: prefix.prefix(site.imageBytes)) else {
            throw HTTPError.response(url, "\(body.count)-byte image, expected image \(slot) of page \(page) of \(site.imageBytes) bytes (--crawl-image-bytes must match the server's)")
        }
        return body
    }

    /// One page read and one image fetched, nothing written: a server that is
    /// missing or serves another site is one clear error before measuring.
    func checkSite() throws {
        let links = try readPage(0)
        let link = try pick(links, slot: 0, page: 0)
        let response = try BlockingHTTPConnection(endpoint: server(), timeoutSeconds: timeoutSeconds)
            .get(path: link.path, keepAlive: false, timeoutSeconds: timeoutSeconds)
        _ = try image(response, path: link.path, page: 0, slot: 0)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw WorkloadError(
                code == EEXIST ? "\(path) was written twice: an image was downloaded more than once" : "cannot create \(path): \(SystemCallError.describe(code))",
                fix: code == EEXIST ? "this is a bug in the model or the crawler" : "check --crawl-dir and the disk")
        }
        let failed = FileDescriptor.writeAll(fd, bytes)
        close(fd)
        if let failed {
            throw WorkloadError("cannot write \(path): \(SystemCallError.describe(failed))", fix: "check the disk (space, quota)")
        }
    }

    func server() throws(HTTPError) -> HTTPEndpoint {
        guard let endpoint else {
            throw HTTPError(.connect, "no site to crawl: give --http-url, or let bench run start its own server")
        }
        return endpoint
    }

    /// The URL of `path`, for messages.
    private func address(_ path: String) -> String {
        endpoint?.url(path: path) ?? path
    }

    // MARK: - Declaration

    public static let pagesParameter = ParameterDeclaration.count(
        "crawl-pages", default: 50, quick: 3, range: 1...100_000, help: "crawl: pages of the site, read by the producer")
    public static let linksParameter = ParameterDeclaration.count(
        "crawl-links", default: 20, quick: 10, range: 1...10_000, help: "crawl: wallpaper links on each page (tasks = pages x links)")
    public static let imageBytesParameter = ParameterDeclaration.bytes(
        "crawl-image-bytes", default: 200 * 1024, quick: 16 * 1024, range: CrawlSite.minimumImageBytes...(64 << 20),
        help: "crawl: bytes of each image")
    public static let pipelineParameter = ParameterDeclaration.choice(
        "pipeline", ["phased", "overlapped"], default: "phased",
        help: "crawl: phased = every page read before the first download (the tutorial's), overlapped = downloads start as links appear")
    public static let folderParameter = ParameterDeclaration.text(
        "crawl-dir", example: "/tmp/wallpapers",
        help: "crawl: an empty folder for the images (default: a scratch folder bench makes and removes); each sample's images are checked, then deleted")

    public static let declaration: WorkloadDeclaration = WorkloadDeclaration(
        name: registryName, kind: .io,
        summary: "the seed's wallpaper crawler: a producer reads pages and parses their links, downloaders fetch each image and write it once",
        parameters: [
            pagesParameter, linksParameter, imageBytesParameter, HTTPWorkload.latencyParameter, pipelineParameter,
            HTTPWorkload.urlParameter, folderParameter,
        ],
        defaultTasks: 1_000, quickTasks: 30, fixture: CrawlSiteFixture.declaration, inDefaultMatrix: false
    ) { values in
        try CrawlWorkload(
            pages: values.number("crawl-pages"),
            site: CrawlSite(links: values.number("crawl-links"), imageBytes: values.number("crawl-image-bytes")),
            latencyMilliseconds: values.number("http-latency-ms"), phased: values.text("pipeline") != "overlapped",
            folder: values.text("crawl-dir"), url: values.text("http-url"))
    }
}
