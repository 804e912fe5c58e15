import Foundation

/// `bench compare OLD NEW`'s page, `compare-<old id>.html` in NEW's folder:
/// every cell's change of median wall time with its interval and verdict,
/// the CPU ratio and the floors, as the terminal shows them, in a sortable
/// table with the model toggles (an `HTMLPage`, so every field is escaped).
public enum ComparisonPage {
    /// `compare-<old id>.html`; an id with characters beyond letters, digits,
    /// `.`, `_` and `-` (a hand-edited raw.csv) has them replaced by `_`, so
    /// the name stays one file in NEW's folder.
    public static func fileName(old: RecordedRun) -> String {
        let safe = String(old.id.prefix(100).map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        return "compare-" + (safe.hasPrefix(".") ? "_" + safe.dropFirst() : safe) + ".html"
    }

    /// The page.
    public static func page(
        _ comparison: RunComparison, old: RecordedRun, new: RecordedRun, thresholdPercent: Double, warnings: [String]
    ) -> HTMLPage {
        var page = HTMLPage(title: "bench compare \(old.id) → \(new.id)")
        page.append(.list([
            "old: \(old.id) (\(old.folder))", "new: \(new.id) (\(new.folder))",
            "threshold: \(thresholdPercent)%: a cell regressed when its whole 95% interval of new/old lies above 1 + threshold, improved when below 1 - threshold",
        ]))
        for warning in warnings { page.append(.warning(warning)) }
        page.append(.paragraph(comparison.totals))
        page.append(.table(HTMLPage.Table(
            header: RunComparison.header, rows: comparison.tableRows, rowModels: comparison.rowModels, leftAligned: [0, 5, 7])))
        page.append(.links([
            (text: "new run's report", href: HTMLExport.fileName),
            (text: "old run's report", href: URL(fileURLWithPath: old.folder).standardizedFileURL.appendingPathComponent(HTMLExport.fileName).absoluteString),
        ]))
        return page
    }

    /// Writes the page into NEW's folder, replacing an earlier one whole; returns its path.
    @discardableResult
    public static func write(
        _ comparison: RunComparison, old: RecordedRun, new: RecordedRun, thresholdPercent: Double, warnings: [String]
    ) throws -> String {
        let path = new.folder + "/" + fileName(old: old)
        let html = page(comparison, old: old, new: new, thresholdPercent: thresholdPercent, warnings: warnings).render()
        try FileWriter.replace(path, with: html)
        return path
    }
}
