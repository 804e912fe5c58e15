import Foundation
import Glibc
import Testing
@testable import LocalHTTP
import Platform
import TestSupport
@testable import Workloads

/// The crawl site, its parsing, and the fixture's exactly-once check.
@Suite("Crawl", .serialized)
struct CrawlTests {
    static let site = CrawlSite(links: 5, imageBytes: 1_000)

    @Test func aPageLeadsToEveryImageThroughTheSeedsExpression() {
        let html = Self.site.page(3)
        let sources = CrawlSite.imageSources(in: html)
        #expect(sources.count == 6, "the logo and 5 thumbnails")
        let links = sources.compactMap(CrawlSite.fullImage(thumbnail:))
        #expect(links.map(\.path) == (0..<5).map { CrawlSite.imagePath(page: 3, slot: $0) })
        #expect(links.map(\.fileName) == (0..<5).map { CrawlSite.fileName(page: 3, slot: $0) })
        #expect(CrawlSite.fullImage(thumbnail: "/static/images/logo.png") == nil)
        #expect(CrawlSite.token(page: 3, slot: 1) != CrawlSite.token(page: 1, slot: 3))
        let image = Self.site.image(page: 3, slot: 1, pattern: Self.site.imagePattern())
        #expect(image.count == 1_000 && image.starts(with: CrawlSite.imagePrefix(page: 3, slot: 1)))
    }

    @Test func theServerServesTheSiteAndRefusesAWrongToken() throws {
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 0, site: Self.site))
        defer { server.stop() }
        let connection = { try BlockingHTTPConnection(endpoint: server.endpoint, timeoutSeconds: 5) }
        let page = try connection().get(path: CrawlSite.pagePath(7), keepAlive: false, timeoutSeconds: 5)
        #expect(page.status == 200 && page.body == Self.site.page(7))
        let image = try connection().get(path: CrawlSite.imagePath(page: 7, slot: 4), keepAlive: false, timeoutSeconds: 5)
        #expect(image.status == 200 && image.body == Self.site.image(page: 7, slot: 4, pattern: Self.site.imagePattern()))
        for wrong in ["/uploads/7/7-4-00000000.png", "/uploads/7/7-5-\(CrawlSite.token(page: 7, slot: 5)).png", "/browse/x/"] {
            #expect(try connection().get(path: wrong, keepAlive: false, timeoutSeconds: 5).status == 404, "\(wrong)")
        }
    }

    /// A fixture and a workload on it: 2 pages of 5 images of 1,000 bytes.
    static func start() throws -> (CrawlSiteFixture, CrawlWorkload) {
        useBuiltBenchForWorkers()
        var values = CrawlWorkload.declaration.defaults(quick: true)
        values["crawl-pages"] = .number(2)
        values["crawl-links"] = .number(5)
        values["crawl-image-bytes"] = .number(1_000)
        values["http-latency-ms"] = .number(0)
        let fixture = try #require(try CrawlWorkload.declaration.fixture?.start(values) as? CrawlSiteFixture)
        return (fixture, try CrawlWorkload.declaration.make(fixture.resolve(values)).asCrawl())
    }

    @Test func everyImageOnceWithItsBytesOrTheSampleFails() throws {
        let (fixture, crawl) = try Self.start()
        defer { fixture.stop() }
        func sample(_ tasks: Int = 10, _ damage: () throws -> Void = {}) throws {
            try fixture.sampleWillStart()
            for task in 0..<tasks { #expect(try crawl.run(task: task) == crawl.expectedResult(task: task)) }
            try crawl.finish()
            try damage()
            try fixture.sampleDidEnd(tasks: 0..<10)
        }
        try sample()
        #expect(try CrawlSiteFixture.entries(fixture.folder).isEmpty, "checked, then deleted")

        let lost = CrawlSite.fileName(page: 1, slot: 2)
        #expect { try sample { unlink(fixture.folder + "/" + lost) } } throws: { "\($0)".contains("1 of 10 images missing (e.g. \(lost))") }
        let other = CrawlSite.fileName(page: 7, slot: 1)
        #expect { try sample { try Data([1]).write(to: URL(fileURLWithPath: fixture.folder + "/" + other)) } } throws: {
            "\($0)".contains("1 images of other tasks than the sample's (e.g. \(other))")
        }
        let damaged = CrawlSite.fileName(page: 0, slot: 0)
        #expect { try sample { try Data([0]).write(to: URL(fileURLWithPath: fixture.folder + "/" + damaged)) } } throws: {
            "\($0)".contains("with other bytes than the server's (e.g. \(damaged))")
        }
        #expect(try CrawlSiteFixture.entries(fixture.folder).isEmpty, "a failed check deletes too")
        // A file that is no image of the site is not the crawl's: reported once, as such, and kept.
        let stray = fixture.folder + "/notes.txt"
        #expect { try sample { try Data([1]).write(to: URL(fileURLWithPath: stray)) } } throws: { error in
            "\(error)".contains("1 files appeared in \(fixture.folder) that the crawl did not write (e.g. notes.txt); they are kept")
                && !"\(error)".contains("bug in the model")
        }
        #expect(access(stray, F_OK) == 0, "a foreign file is kept")
        try sample()
        unlink(stray)
        // An image downloaded twice cannot be written twice.
        try fixture.sampleWillStart()
        _ = try crawl.run(task: 3)
        #expect { _ = try crawl.run(task: 3) } throws: { "\($0)".contains("was written twice") }
        fixture.sampleAbandoned()
        try crawl.finish()
        let folder = fixture.folder
        fixture.stop()
        #expect(access(folder, F_OK) != 0, "the scratch folder is removed at the end")
    }

    /// Counts the pages a LinkBook's producer reads.
    final class Reads: @unchecked Sendable {
        private let lock = NSLock()
        private var pages: [Int] = []
        var all: [Int] { lock.withLock { pages } }

        func read(_ page: Int) -> [ImageLink] {
            usleep(2_000)
            lock.withLock { pages.append(page) }
            return [ImageLink(path: "/p\(page)", fileName: "f\(page)")]
        }
    }

    @Test func oneProducerReadsEachPageOncePhasedAllFirst() async throws {
        let phased = LinkBook(pages: 4, phased: true)
        let reads = Reads()
        // Eight threads at once: one becomes the producer, reads every page in order, the others wait.
        let threads = try (0..<8).map { index in
            try NativeThread.start(name: "reader") { _ = try? phased.links(page: index % 4) { reads.read($0) } }
        }
        threads.forEach { $0.join() }
        #expect(reads.all == [0, 1, 2, 3])

        let overlapped = LinkBook(pages: 4, phased: false)
        let lazy = Reads()
        _ = try overlapped.links(page: 2) { lazy.read($0) }
        _ = try overlapped.links(page: 2) { lazy.read($0) }
        #expect(lazy.all == [2], "overlapped reads only the page asked for, once")

        // Suspending callers (the async models): twenty tasks, each page read once.
        let asynchronous = LinkBook(pages: 4, phased: false)
        let counted = Reads()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await asynchronous.links(page: index % 4) { page async in counted.read(page) } }
            }
            try await group.waitForAll()
        }
        #expect(counted.all.sorted() == [0, 1, 2, 3])
    }

    @Test func aProducerThatFailsFailsEveryDownloaderUntilReset() throws {
        let book = LinkBook(pages: 2, phased: true)
        struct Broken: Error {}
        #expect(throws: Broken.self) { _ = try book.links(page: 0) { _ in throw Broken() } }
        #expect(throws: Broken.self) { _ = try book.links(page: 1) { _ in [] } }
        book.reset()
        #expect(try book.links(page: 1) { [ImageLink(path: "/\($0)", fileName: "\($0)")] }.first?.path == "/1")
    }
}
