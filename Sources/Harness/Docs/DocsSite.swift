import Foundation
import Platform

/// The package's published Markdown (README.md, docs/*.md, docs/*/README.md)
/// and what its generated blocks say, rendered from the committed runs they
/// name: the engine of `bench docs`.
public struct DocsSite {
    /// The package folder (the one holding Package.swift).
    public let root: URL
    /// How a view of a committed run becomes text; `views` knows every kind.
    let views: DocsViews

    public init(root: URL, views: DocsViews) {
        self.root = root
        self.views = views
    }

    /// The Markdown files bench publishes, relative to the root, sorted.
    public var files: [String] {
        var files = ["README.md"]
        let docs = root.appendingPathComponent("docs")
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: docs.path) {
            for entry in entries.sorted() {
                var isFolder: ObjCBool = false
                let path = docs.appendingPathComponent(entry).path
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue {
                    if FileManager.default.fileExists(atPath: path + "/README.md") { files.append("docs/\(entry)/README.md") }
                } else if entry.hasSuffix(".md") {
                    files.append("docs/\(entry)")
                }
            }
        }
        return files.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
    }

    /// One file's text now and with every block rendered afresh; the blocks
    /// whose content differs, for `--check` to name.
    public func render(_ file: String) throws -> (original: String, rendered: String, stale: [GeneratedBlocks.Block]) {
        let url = root.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BenchError.io("cannot read \(file)", errno: errno)
        }
        let original = String(decoding: data, as: UTF8.self)
        let blocks = try GeneratedBlocks(original, file: file)
        var stale: [GeneratedBlocks.Block] = []
        let folder = (file as NSString).deletingLastPathComponent
        let rendered = try blocks.rendered { block in
            let text: String
            do {
                text = try views.render(block.words, root: root, from: folder)
            } catch let error as any ReportableError {
                throw BenchError.runFailed("\(file):\(block.line): \(error.what)", fix: error.fix)
            }
            let content = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
            if content != block.content { stale.append(block) }
            return content
        }
        return (original, rendered, stale)
    }
}

/// The kinds of generated block, each a view of one committed run:
/// `<!-- bench:begin RUN KIND ARGS... -->`, RUN a run folder relative to
/// the package (`results/reference`, `docs/gil`).
///
/// - `meta`: where and when it was measured, and whether the machine was quiet;
/// - `csv FILE columns=... [where.C=V] [format.C=F]`: a table of any of its CSV files;
/// - `chart NAME [caption words]`: its chart `plots/NAME.png` (or the experiment's `NAME.png`);
/// - the kinds `report` adds: the run's own tables, verdicts, fits and claims,
///   rebuilt from its raw.csv through bench's Markdown export.
public struct DocsViews {
    /// Renders the kinds beyond meta, csv and chart (the run's report); nil: none.
    public var report: ((_ run: URL, _ kind: String, _ arguments: [String]) throws -> String?)?

    public init(report: ((_ run: URL, _ kind: String, _ arguments: [String]) throws -> String?)? = nil) {
        self.report = report
    }

    /// `words` as text, for a Markdown file in `folder` (relative to `root`).
    public func render(_ words: [String], root: URL, from folder: String) throws -> String {
        guard words.count >= 2 else {
            throw BenchError.usage("a generated block names a run and a view", fix: "e.g. <!-- bench:begin results/reference meta -->")
        }
        let runPath = words[0]
        let run = root.appendingPathComponent(runPath)
        guard !runPath.hasPrefix("/"), !runPath.split(separator: "/").contains(".."),
              FileManager.default.fileExists(atPath: run.appendingPathComponent("meta.json").path) else {
            throw BenchError.usage("\(runPath) is not a committed run folder of this package (no meta.json)", fix: "name a folder such as results/reference or docs/gil")
        }
        let arguments = Array(words.dropFirst(2))
        switch words[1] {
        case "meta":
            let data = FileManager.default.contents(atPath: run.appendingPathComponent("meta.json").path) ?? Data()
            guard let meta = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                throw BenchError.runFailed("\(runPath)/meta.json does not read as JSON", fix: "regenerate the run")
            }
            return try MetaLine.render(meta, path: "\(runPath)/meta.json") + "\n"
        case "csv":
            let view = try CSVView(words: arguments)
            let path = run.appendingPathComponent(view.file).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BenchError.runFailed("\(runPath)/\(view.file) does not exist", fix: "name a CSV file of the run")
            }
            return try view.render(String(decoding: data, as: UTF8.self), path: "\(runPath)/\(view.file)")
        case "chart":
            guard let name = arguments.first else { throw BenchError.usage("a chart view names its chart", fix: "e.g. chart speedup-xor") }
            let candidates = ["plots/\(name).png", "\(name).png"]
            guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: run.appendingPathComponent($0).path) }) else {
                throw BenchError.runFailed("\(runPath) has no chart \(name) (looked for \(candidates.joined(separator: ", ")))", fix: "draw it with ./plot.sh \(runPath)")
            }
            let caption = arguments.count > 1 ? arguments.dropFirst().joined(separator: " ") : name
            return "![\(caption)](\(Self.relative("\(runPath)/\(file)", from: folder)))\n"
        default:
            if let text = try report?(run, words[1], arguments) { return text }
            throw BenchError.usage("unknown view '\(words[1])' in a generated block", fix: "use meta, csv, chart, or a report view (see bench docs --help)")
        }
    }

    /// `path` (relative to the package) as seen from `folder` (relative to the package).
    static func relative(_ path: String, from folder: String) -> String {
        let from = folder.split(separator: "/").map(String.init)
        let to = path.split(separator: "/").map(String.init)
        var common = 0
        while common < from.count && common < to.count - 1 && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
