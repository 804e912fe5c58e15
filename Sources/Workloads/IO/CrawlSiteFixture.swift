import Glibc
import LocalHTTP
import Platform

/// The `crawl` workload's fixture: the site it crawls and the folder its
/// images go to.
///
/// Unless `--http-url` names a server, bench starts its own (`bench-worker
/// serve`, which serves the crawl site beside `/task/<n>`) per distinct
/// latency and site. Unless `--crawl-dir` names one, the images go to a
/// scratch folder bench makes under its per-user scratch folder
/// (`ScratchFolder`: the run folder does not exist yet when fixtures start,
/// its path is part of the workload's parameters every worker process gets,
/// and a killed bench's images are reclaimed at the next start) and removes
/// at the end. Around each sample: the folder must hold no image before it;
/// after it, every image of the sample's tasks must be there exactly once
/// with the server's bytes; then the images are deleted. A lost, doubled
/// (O_EXCL) or damaged image fails the sample.
///
/// The fixture deletes only files with the name of one of the site's images
/// (`CrawlSite.fileName`): a file some other program puts in the folder is
/// reported once, as not the crawl's, and kept.
final class CrawlSiteFixture: WorkloadFixture {
    let url: String
    let folder: String
    private let ownsFolder: Bool
    private let server: ServerProcess?
    private let site: CrawlSite
    private lazy var pattern = site.imagePattern()
    /// Files found in the folder that the crawl did not write: reported once, never deleted.
    private var foreign: Set<String> = []

    private init(url: String, folder: String, ownsFolder: Bool, server: ServerProcess?, site: CrawlSite) {
        self.url = url
        self.folder = folder
        self.ownsFolder = ownsFolder
        self.server = server
        self.site = site
    }

    var note: String? {
        (server == nil ? "crawl site at \(url) (--http-url)" : "crawl site started by bench at \(url)")
            + (ownsFolder ? ", images in a scratch folder (\(folder)), removed" : ", images in \(folder) (--crawl-dir)")
    }

    func resolve(_ parameters: ParameterValues) -> ParameterValues {
        var resolved = parameters
        resolved["http-url"] = .text(url)
        resolved["crawl-dir"] = .text(folder)
        return resolved
    }

    static let declaration: FixtureDeclaration = FixtureDeclaration(
        keyParameters: ["http-latency-ms", "crawl-links", "crawl-image-bytes", "http-url", "crawl-dir"],
        thisMachineOnly: "its site is bench's own, on 127.0.0.1, and its pages are saved on this machine"
    ) { values in
        let fixture = try start(values)
        do {
            try CrawlWorkload.declaration.make(fixture.resolve(values)).asCrawl().checkSite()
            try fixture.checkEmpty()
        } catch {
            fixture.stop()
            throw error
        }
        return fixture
    }

    private static func start(_ values: ParameterValues) throws -> CrawlSiteFixture {
        let site = CrawlSite(links: values.number("crawl-links"), imageBytes: values.number("crawl-image-bytes"))
        let given = values.text("crawl-dir")
        let folder: String
        if given.isEmpty {
            do {
                folder = try ScratchFolder.make("crawl")
            } catch {
                throw WorkloadError("cannot make a scratch folder for the images: \(error.what)", fix: "\(error.fix), or give --crawl-dir")
            }
        } else {
            var status = stat()
            guard stat(given, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw WorkloadError("--crawl-dir \(given) is not a folder", fix: "make it, or leave --crawl-dir out for a scratch folder", exitCode: .usage)
            }
            folder = given
        }
        let url = values.text("http-url")
        if !url.isEmpty {
            return CrawlSiteFixture(url: try HTTPEndpoint(url: url).url, folder: folder, ownsFolder: given.isEmpty, server: nil, site: site)
        }
        let server: ServerProcess
        do {
            server = try ServerProcess(arguments: [
                "--http-latency-ms", String(values.number("http-latency-ms")), "--crawl-links", String(site.links),
                "--crawl-image-bytes", String(site.imageBytes),
            ])
        } catch {
            if given.isEmpty { ScratchFolder.removeTree(folder) }
            throw error
        }
        return CrawlSiteFixture(url: server.url, folder: folder, ownsFolder: given.isEmpty, server: server, site: site)
    }

    /// Before measuring: a given --crawl-dir must be empty (every image in it
    /// after a sample is counted as the sample's); the scratch folder is.
    func checkEmpty() throws {
        let left = try Self.entries(folder)
        guard let first = left.first else { return }
        throw WorkloadError(
            "--crawl-dir \(folder) is not empty (\(left.count) entries, e.g. \(first))",
            fix: "give an empty folder: every file in it after a sample is counted as the crawl's", exitCode: .usage)
    }

    /// No image may be there when a sample starts: a sample's images are counted in the folder.
    func sampleWillStart() throws {
        remove(try Self.entries(folder).filter(isImage))
    }

    /// Every image of `tasks` once, with the server's bytes; then the images deleted.
    /// Files that are no image of the site are not the crawl's: reported once, kept.
    func sampleDidEnd(tasks: Range<Int>) throws {
        var present = Set(try Self.entries(folder)).subtracting(foreign)
        var missing: [String] = []
        var damaged: [String] = []
        for task in tasks {
            let (page, slot) = (task / site.links, task % site.links)
            let name = CrawlSite.fileName(page: page, slot: slot)
            guard present.remove(name) != nil else {
                missing.append(name)
                continue
            }
            if !holds(site.image(page: page, slot: slot, pattern: pattern), name) { damaged.append(name) }
            unlink(folder + "/" + name)
        }
        let extra = present.filter(isImage).sorted()
        remove(extra)
        let strangers = present.filter { !isImage($0) }.sorted()
        foreign.formUnion(strangers)
        var problems: [String] = []
        if let first = missing.first { problems.append("\(missing.count) of \(tasks.count) images missing (e.g. \(first))") }
        if let first = damaged.first { problems.append("\(damaged.count) with other bytes than the server's (e.g. \(first))") }
        if let first = extra.first { problems.append("\(extra.count) images of other tasks than the sample's (e.g. \(first))") }
        if !problems.isEmpty {
            if let first = strangers.first { problems.append("and \(strangers.count) files the crawl did not write, kept (e.g. \(first))") }
            throw WorkloadError(
                "crawl: " + problems.joined(separator: ", "), fix: "every image must be written exactly once with the bytes served; this is a bug in the model or the crawler")
        }
        if let first = strangers.first {
            throw WorkloadError(
                "crawl: \(strangers.count) files appeared in \(folder) that the crawl did not write (e.g. \(first)); they are kept",
                fix: "keep other programs' files out of the crawl's folder while bench runs")
        }
    }

    func sampleAbandoned() {
        remove(((try? Self.entries(folder)) ?? []).filter(isImage))
    }

    func stop() {
        server?.stop()
        if ownsFolder {
            sampleAbandoned()
            // Removed only when nothing but the crawl's images was in it.
            rmdir(folder)
        }
    }

    /// Whether `name` is the file name of one of the site's images: the only files the fixture deletes.
    private func isImage(_ name: String) -> Bool {
        let parts = name.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, let page = Int(parts[0]), let slot = Int(parts[1]), page >= 0, slot >= 0, slot < site.links else { return false }
        return name == CrawlSite.fileName(page: page, slot: slot)
    }

    /// Whether file `name` holds exactly `bytes`.
    private func holds(_ bytes: [UInt8], _ name: String) -> Bool {
        let fd = open(folder + "/" + name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return (try? FileDescriptor.readFile(fd)) == bytes
    }

    private func remove(_ names: [String]) {
        for name in names { unlink(folder + "/" + name) }
    }

    /// The names in `folder`, without `.` and `..`.
    static func entries(_ folder: String) throws -> [String] {
        do {
            return try DirectoryListing.names(in: folder)
        } catch {
            throw WorkloadError("cannot read the crawl's folder \(folder): \(error.reason)", fix: "check --crawl-dir")
        }
    }
}

extension Workload {
    /// This workload as the crawl (the fixture checks the site with the crawl's own client).
    func asCrawl() throws -> CrawlWorkload {
        guard let crawl = self as? CrawlWorkload else {
            throw WorkloadError("the crawl fixture got the \(name) workload", fix: "this is a bug in bench")
        }
        return crawl
    }
}
