import Foundation
import Platform

/// `--export-html`, and the `report.html` every run folder gets: one
/// self-contained page (`HTMLPage`) with the run's tables, verdicts, fits,
/// claims table, meta.json, links to every CSV of the folder, and its charts
/// inlined (the SVG copies plot.sh draws, the PNGs where there is no SVG).
///
/// Everything on the page comes from the document and the folder's files;
/// all of it is handed to `HTMLPage` as plain text, which escapes it.
public struct HTMLExport: Exporter {
    /// The page's name in a run folder.
    public static let fileName = "report.html"

    /// Whether the page is written into the run folder itself: its links are
    /// then relative (the folder can be moved or copied whole); elsewhere they
    /// are the folder's files' `file:` URLs.
    let insideFolder: Bool

    public init() {
        insideFolder = false
    }

    init(insideFolder: Bool) {
        self.insideFolder = insideFolder
    }

    public var format: String { "html" }
    public var help: String {
        "also write the report page (tables, verdicts, fits, claims, meta and the charts inline) as one self-contained HTML file"
    }

    public func render(_ document: ExportDocument) throws -> [UInt8] {
        Array(page(document).render().utf8)
    }

    /// Writes `report.html` into the document's run folder, replacing an
    /// earlier one whole; returns its path.
    @discardableResult
    public static func writeReport(_ document: ExportDocument) throws -> String {
        guard let folder = document.folder else {
            throw BenchError.runFailed("no run folder to write \(fileName) into", fix: "give bench report a run folder")
        }
        let path = folder + "/" + fileName
        try FileWriter.replace(path, with: try HTMLExport(insideFolder: true).render(document))
        return path
    }

    /// The page of `document`.
    public func page(_ document: ExportDocument) -> HTMLPage {
        let report = document.report
        var page = HTMLPage(title: "bench run \(document.runID)")
        if let line = document.metaLine { page.append(.paragraph(line)) }
        if document.disturbed {
            page.append(.warning("This run was measured on a busy machine: every verdict is marked\(VerdictPolicy.disturbedMark), and its figures may be the machine's, not the models'."))
        }
        let folder = document.folder ?? "RUN"
        let files = document.folder.map(Self.files(in:)) ?? []
        if !files.isEmpty {
            page.append(.links(files.map { (text: $0, href: href($0, folder: folder)) }))
        }
        let groups = report.groups
        if groups.count > 1 {
            page.append(.links(groups.enumerated().map { (text: $1.label, href: "#group-\($0 + 1)") }))
        }
        // Each workload's charts follow its last group; the experiment's (no workload's) come first.
        let workloads = groups.map(\.workload)
        let charts = document.folder.map { Self.charts(in: $0, workloads: workloads) } ?? []
        func append(_ chart: String) {
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + chart) else { return }
            page.append(.chart(caption: Self.caption(chart), file: href(chart, folder: folder), bytes: Array(bytes)))
        }
        if charts.isEmpty {
            page.append(.warning(
                "No charts: this folder has none in plots/ (gnuplot missing, or --no-plot). Draw them (\(Plotter.installCommand) if needed) with ./plot.sh \(folder), then bench report \(folder)."))
        }
        // An experiment's verdicts on its claims, and its own chart, are what it is read for: first.
        if let claims = document.claims {
            page.append(.heading("Claims: \(claims.title)", level: 2, id: "claims"))
            page.append(.table(HTMLPage.Table(
                header: MarkdownExport.claimsHeader, rows: claims.rows.map { MarkdownExport.claimFields($0, disturbed: document.disturbed) },
                leftAligned: [0, 1, 2, 3, 4, 7])))
            page.append(.paragraph(ClaimsReport.familyNote(claims.rows.count)))
        }
        charts.filter { Self.workload(of: $0, among: workloads) == nil }.forEach(append)
        for (index, group) in groups.enumerated() {
            page.append(.heading(group.label, level: 2, id: "group-\(index + 1)"))
            let rows = report.summaries.filter { CellGroup($0.cell) == group }
            page.append(.table(HTMLPage.Table(
                header: MarkdownExport.header,
                rows: rows.map { MarkdownExport.fields($0, languages: report.languages, precision: report.precision) },
                rowModels: rows.map(\.cell.model), leftAligned: [0, 1])))
            for note in MarkdownExport.notes(rows, report: report) { page.append(.paragraph(note)) }
            let verdicts = report.verdicts.filter { $0.group == group }
            if let first = verdicts.first {
                page.append(.heading("Fastest by worker count (\(first.howJudged))", level: 3))
                page.append(.list(MarkdownExport.verdictSentences(verdicts)))
            }
            let fits = report.fits.filter { $0.group == group }
            if !fits.isEmpty {
                page.append(.heading("Scaling fit (Universal Scalability Law)", level: 3))
                page.append(.list(fits.map(\.sentence)))
            }
            if !groups[(index + 1)...].contains(where: { $0.workload == group.workload }) {
                charts.filter { Self.workload(of: $0, among: workloads) == group.workload }.forEach(append)
            }
        }
        if let meta = document.meta {
            page.append(.heading("Machine, build and settings (meta.json)", level: 2, id: "meta"))
            page.append(.table(HTMLPage.Table(header: ["key", "value"], rows: Self.flatten(meta), leftAligned: [0, 1])))
        }
        return page
    }

    /// Where a link to `file` (relative to the run folder) points from the page.
    private func href(_ file: String, folder: String?) -> String {
        guard !insideFolder, let folder else { return file }
        return URL(fileURLWithPath: folder).standardizedFileURL.appendingPathComponent(file).absoluteString
    }

    /// The folder's CSV files and meta.json, by name: what the page links to.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".csv") || $0 == "meta.json" }.sorted()
    }

    /// The order of chart kinds on the page: the verdicts' chart first.
    static let kinds = ["speedup", "wall", "efficiency", "cpu", "memory", "latency", "hybrid", "python-hybrid", "scan"]

    /// The charts of `folder/plots/` as paths relative to the folder: each
    /// chart's SVG, or its PNG when it has no SVG; the experiment's charts
    /// first, then per workload (in the run's order) by kind.
    public static func charts(in folder: String, workloads: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/plots")) ?? []
        let svgs = Set(names.filter { $0.hasSuffix(".svg") }.map { String($0.dropLast(4)) })
        let pngs = Set(names.filter { $0.hasSuffix(".png") }.map { String($0.dropLast(4)) })
        func rank(_ chart: String) -> (Int, Int, String) {
            guard let kind = kind(of: chart) else { return (-1, 0, chart) }
            let workload = workload(of: chart, among: workloads)
            return (workload.flatMap(workloads.firstIndex(of:)) ?? workloads.count, kinds.firstIndex(of: kind) ?? kinds.count, chart)
        }
        return svgs.union(pngs).sorted { rank($0) < rank($1) }.map { "plots/" + $0 + (svgs.contains($0) ? ".svg" : ".png") }
    }

    /// `speedup` for `speedup-xor`; nil for a chart of no known kind (an experiment's).
    private static func kind(of chart: String) -> String? {
        let name = caption(chart)
        return kinds.filter { name.hasPrefix($0 + "-") }.max { $0.count < $1.count }
    }

    /// The workload a chart shows (`wall-xor-iterations_1000000`: xor), nil for an experiment's chart.
    static func workload(of chart: String, among workloads: [String]) -> String? {
        guard let kind = kind(of: chart) else { return nil }
        let rest = caption(chart).dropFirst(kind.count + 1)
        return workloads.filter { rest == $0 || rest.hasPrefix($0 + "-") }.max { $0.count < $1.count }
    }

    /// `speedup-xor` for `plots/speedup-xor.svg` (and for `speedup-xor`): a
    /// chart's name, whatever dots its parameters' values hold.
    private static func caption(_ chart: String) -> String {
        let name = chart.split(separator: "/").last.map(String.init) ?? chart
        return name.hasSuffix(".svg") || name.hasSuffix(".png") ? String(name.dropLast(4)) : name
    }

    /// meta.json as key-value rows: nested keys joined by `.`, a list of plain values on one line.
    static func flatten(_ value: JSONValue, key: String = "") -> [[String]] {
        switch value {
        case let .object(object):
            return object.keys.sorted().flatMap { flatten(object[$0]!, key: key.isEmpty ? $0 : key + "." + $0) }
        case let .array(values):
            if values.allSatisfy({ if case .object = $0 { false } else if case .array = $0 { false } else { true } }) {
                return [[key, values.map { text($0) }.joined(separator: " ")]]
            }
            return values.enumerated().flatMap { flatten($1, key: "\(key)[\($0)]") }
        default:
            return [[key, text(value)]]
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case let .string(text): text
        case let .integer(number): String(number)
        case let .number(number): String(number)
        case let .bool(flag): String(flag)
        case .null: "null"
        case .object, .array: ""
        }
    }
}
