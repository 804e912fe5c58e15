import Glibc
import LocalHTTP
import Platform

/// The `crawl` workload's fixture: the site it crawls and the folder its
/// images go to.
///
/// Unless `--http-url` names a server, bench starts its own (`bench-worker
/// serve`, which serves the crawl site beside `/task/<n>`) per distinct
/// latency and site. Unless `--crawl-dir` names one, the images go to a
/// scratch folder bench makes under the system's temporary folder (the run
/// folder does not exist yet when fixtures start, and its path is part of
/// the workload's parameters every worker process gets) and removes at the
/// end. Around each sample: the folder must be empty before it; after it,
/// every image of the sample's tasks must be there exactly once with the
/// server's bytes, and nothing else; then every file is deleted. A lost,
/// doubled (O_EXCL) or damaged image fails the sample.
final class CrawlSiteFixture: WorkloadFixture {
    let url: String
    let folder: String
    private let ownsFolder: Bool
    private let server: ServerProcess?
    private let site: CrawlSite
    private lazy var pattern = site.imagePattern()

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
        keyParameters: ["http-latency-ms", "crawl-links", "crawl-image-bytes", "http-url", "crawl-dir"]
    ) { values in
        let fixture = try start(values)
        do {
            try CrawlWorkload.declaration.make(fixture.resolve(values)).asCrawl().checkSite()
            try fixture.sampleWillStart()
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
            let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base + "/bench-crawl-XXXXXX").utf8CString)
            guard mkdtemp(&template) != nil else {
                throw WorkloadError("cannot make a scratch folder under \(base): \(SystemCallError.describe(errno))", fix: "check TMPDIR, or give --crawl-dir")
            }
            folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
            if given.isEmpty { rmdir(folder) }
            throw error
        }
        return CrawlSiteFixture(url: server.url, folder: folder, ownsFolder: given.isEmpty, server: server, site: site)
    }

    /// The folder must be empty: a sample's images are counted in it.
    func sampleWillStart() throws {
        let left = try Self.entries(folder)
        guard !left.isEmpty else { return }
        guard ownsFolder else {
            throw WorkloadError(
                "--crawl-dir \(folder) is not empty (\(left.count) entries, e.g. \(left[0]))",
                fix: "give an empty folder: every file in it after a sample is counted as the crawl's", exitCode: .usage)
        }
        remove(left)
    }

    /// Every image of tasks 0..<tasks once, with the server's bytes, and nothing else; then all deleted.
    func sampleDidEnd(tasks: Int) throws {
        var present = Set(try Self.entries(folder))
        var missing: [String] = []
        var damaged: [String] = []
        for task in 0..<tasks {
            let (page, slot) = (task / site.links, task % site.links)
            let name = CrawlSite.fileName(page: page, slot: slot)
            guard present.remove(name) != nil else {
                missing.append(name)
                continue
            }
            if !holds(site.image(page: page, slot: slot, pattern: pattern), name) { damaged.append(name) }
            unlink(folder + "/" + name)
        }
        let extra = present.sorted()
        remove(extra)
        var problems: [String] = []
        if let first = missing.first { problems.append("\(missing.count) of \(tasks) images missing (e.g. \(first))") }
        if let first = damaged.first { problems.append("\(damaged.count) with other bytes than the server's (e.g. \(first))") }
        if let first = extra.first { problems.append("\(extra.count) files that are no image of the sample (e.g. \(first))") }
        guard problems.isEmpty else {
            throw WorkloadError(
                "crawl: " + problems.joined(separator: ", "), fix: "every image must be written exactly once with the bytes served; this is a bug in the model or the crawler")
        }
    }

    func sampleAbandoned() {
        remove((try? Self.entries(folder)) ?? [])
    }

    func stop() {
        server?.stop()
        if ownsFolder {
            sampleAbandoned()
            rmdir(folder)
        }
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
        guard let directory = opendir(folder) else {
            throw WorkloadError("cannot read the crawl's folder \(folder): \(SystemCallError.describe(errno))", fix: "check --crawl-dir")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
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
