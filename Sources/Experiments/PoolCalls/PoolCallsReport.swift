import Foundation
import Harness
import Platform

/// The pool-calls experiment's tables and claim checks.
struct PoolCallsReport {
    static let applyBlocks = SeedClaim("apply blocks the main process until its task is done; apply_async is its non-blocking version", source: SeedFile.seed004)
    static let mapWaits = SeedClaim("map blocks until the results are back, and runs the workers only once the whole iterable is ready; imap does not wait", source: SeedFile.seed004)
    static let chunks = SeedClaim("for a large iterable a chunksize bigger than the default 1 is better", source: SeedFile.seed004)
    static let queueRule = SeedClaim("a Pool's processes cannot use multiprocessing.Queue(); use multiprocessing.Manager().Queue()", source: SeedFile.seed004)
    static let claims = [applyBlocks, mapWaits, chunks, queueRule]

    let results: ProbeResults
    let sizes: [Int]
    let chunks: [Int]

    private func key(_ language: String, _ style: String, chunk: Int? = nil, size: Int) -> ProbeKey {
        ProbeKey(language, style, variant: chunk.map { "chunksize=\($0)" } ?? "", size: size, sizeUnit: "us")
    }

    /// The chunk size the claim compares 1 with: 16 when measured, else the largest.
    private var bigChunk: Int? {
        chunks.contains(16) ? 16 : chunks.filter { $0 > 1 }.last
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "pool-calls: the seed's claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for size in sizes {
            checks.append(ClaimCheck(
                id: "apply-blocks-\(size)us", claim: Self.applyBlocks,
                prediction: "\(size) µs tasks: apply in a loop / apply_async wall > 1", language: "python",
                measured: results.ratio(key("python", "apply", size: size), over: key("python", "apply_async", size: size), "wall_s"),
                line: 1, above: true))
            checks.append(ClaimCheck(
                id: "lockstep-blocks-\(size)us", claim: Self.applyBlocks,
                prediction: "\(size) µs tasks: lockstep / pipelined chunks of 1 wall > 1", language: "swift",
                measured: results.ratio(key("swift", "lockstep", size: size), over: key("swift", "process-pool", chunk: 1, size: size), "wall_s"),
                line: 1, above: true))
        }
        checks.append(ClaimCheck(
            id: "map-waits-for-the-iterable", claim: Self.mapWaits,
            prediction: "lazy input: map's first result / imap's > 1", language: "python",
            measured: results.ratio(
                key("python", "map-lazy", chunk: 1, size: 100), over: key("python", "imap-lazy", chunk: 1, size: 100), "first_result_s"),
            line: 1, above: true))
        if let big = bigChunk, chunks.contains(1) {
            for size in sizes {
                for (language, style) in [("python", "imap"), ("swift", "process-pool")] {
                    checks.append(ClaimCheck(
                        id: "bigger-chunks-\(style)-\(size)us", claim: Self.chunks,
                        prediction: "\(size) µs tasks: \(style) chunksize 1 / chunksize \(big) wall > 1", language: language,
                        measured: results.ratio(key(language, style, chunk: 1, size: size), over: key(language, style, chunk: big, size: size), "wall_s"),
                        line: 1, above: true))
                }
            }
        }
        for (metric, what) in [("mp_queue_raises", "a multiprocessing.Queue passed to a Pool task raises (1 = yes)"),
                               ("manager_queue_works", "a Manager().Queue() passed to Pool tasks carries every item once (1 = yes)")] {
            checks.append(ClaimCheck(
                id: metric.replacingOccurrences(of: "_", with: "-"), claim: Self.queueRule, prediction: what,
                language: "python", measured: results.behaviour(ProbeKey("python", "pool-queue"), metric), line: 0.5, above: true))
        }
        return checks
    }

    var text: String {
        var rows: [[String]] = []
        let styles: [(String, String, [Int?])] = [
            ("python", "apply", [nil]), ("python", "apply_async", [nil]), ("python", "map", chunks), ("python", "imap", chunks),
            ("python", "imap_unordered", chunks), ("swift", "lockstep", [nil]), ("swift", "process-pool", chunks),
        ]
        for (language, style, chunkList) in styles {
            for chunk in chunkList {
                let cells = sizes.map { size in
                    results.median(key(language, style, chunk: chunk, size: size), "us_per_task").map { String(format: "%.2f", $0.value) } ?? "-"
                }
                guard cells.contains(where: { $0 != "-" }) else { continue }
                rows.append([language, style, chunk.map(String.init) ?? "-"] + cells)
            }
        }
        var text = "\npool-calls: 2 workers, µs of wall time per task (median; the pool already started)\n"
        text += TextTable(
            header: ["language", "style", "chunksize"] + sizes.map { "\($0) µs tasks" }, rows: rows, leftAligned: [0, 1]
        ).render() + "\n"
        let lazy = ["map-lazy", "imap-lazy"].compactMap { style in
            results.median(key("python", style, chunk: 1, size: 100), "first_result_s").map { "\(style) \($0.description(places: 4)) s" }
        }
        if !lazy.isEmpty {
            text += "\nfirst result over an input that makes one item every \(PoolCallsExperiment.delayMilliseconds) ms: " + lazy.joined(separator: ", ") + "\n"
        }
        return text + claims.render(disturbed: results.disturbed)
    }
}
