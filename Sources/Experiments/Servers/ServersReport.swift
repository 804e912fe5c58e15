import Foundation
import Harness
import Platform
import Servers

/// The servers experiment's tables and claim checks.
struct ServersReport {
    static let cpuClaim = SeedClaim(
        "most Python frameworks are prefork, i.e. a process pool (a fact); implied: prefork beats threads for CPU-bound handlers in CPython",
        source: SeedFile.seed004)
    static let ioClaim = SeedClaim(
        "implied by the same choice's critics: for IO-bound handlers, threads or async beat prefork per unit of memory", source: SeedFile.seed004)
    static let idleClaim = SeedClaim(
        "implied by the event-loop servers (asyncio, nginx): an event loop holds far more idle connections per MiB", source: SeedFile.seed004)
    static let pitfallClaim = SeedClaim(
        "in a prefork web server a global variable is one copy per process: each worker counts only its own requests", source: SeedFile.seed004)
    static let claims = [cpuClaim, ioClaim, idleClaim, pitfallClaim]

    let results: ProbeResults
    let plan: ServersPlan

    private func key(_ model: String, _ variant: String) -> ProbeKey {
        ProbeKey(plan.language(model), model, variant: variant)
    }

    private func idleKey(_ model: String) -> ProbeKey {
        ProbeKey(plan.language(model), model, variant: "idle", size: plan.idleConnections, sizeUnit: "connections")
    }

    private func countKey(_ model: String, shared: Bool) -> ProbeKey {
        ProbeKey(plan.language(model), model, variant: shared ? "count-shared" : "count-local", size: plan.countRequests, sizeUnit: "requests")
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "servers: the seed's claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for (language, prefork, threads) in [("python", "python-prefork", "python-threading"), ("swift", "prefork", "thread-per-connection")] {
            checks.append(ClaimCheck(
                id: "prefork-beats-threads-cpu-\(language)", claim: Self.cpuClaim,
                prediction: "\(prefork) / \(threads) saturation req/s, cpu handler > 1", language: language,
                measured: results.ratio(key(prefork, "cpu"), over: key(threads, "cpu"), "wrk_rps"), line: 1, above: true))
        }
        for (language, prefork, rivals) in [
            ("python", "python-prefork", ["python-threading", "python-asyncio"]), ("swift", "prefork", ["thread-pool", "async"]),
        ] {
            for rival in rivals {
                checks.append(ClaimCheck(
                    id: "\(rival)-beats-prefork-io-per-mib", claim: Self.ioClaim,
                    prediction: "\(rival) / \(prefork) req/s per MiB of PSS, io handler > 1", language: language,
                    measured: results.ratio(key(rival, "io"), over: key(prefork, "io"), "rps_per_mib"), line: 1, above: true))
            }
        }
        for (language, loop, threads) in [("swift", "epoll", "thread-per-connection"), ("python", "python-asyncio", "python-threading")] {
            let baseline = results.median(idleKey(threads), "held_per_mib")?.value
            checks.append(ClaimCheck(
                id: "\(loop)-holds-more-idle-per-mib", claim: Self.idleClaim,
                prediction: "\(loop) idle connections held per MiB > 2 x \(threads)'s" + (baseline.map { String(format: " (2 x %.1f)", $0) } ?? ""),
                language: language, measured: baseline == nil ? nil : results.median(idleKey(loop), "held_per_mib"), line: 2 * (baseline ?? 0),
                above: true))
        }
        for model in ["prefork", "prefork-reuseport", "prefork-threads", "python-prefork", "python-prefork-threads"] where plan.models.contains(model) {
            let language = plan.language(model)
            checks.append(ClaimCheck(
                id: "\(model)-counts-per-process", claim: Self.pitfallClaim,
                prediction: "\(model), a global: largest count any answer showed / N < 1", language: language,
                measured: results.behaviour(countKey(model, shared: false), "largest_fraction"), line: 0.999, above: false))
            checks.append(ClaimCheck(
                id: "\(model)-counts-sum-to-n", claim: Self.pitfallClaim,
                prediction: "\(model), a global: the workers' own counts add up to N (sum / N = 1)", language: language,
                measured: results.behaviour(countKey(model, shared: false), "sum_fraction"), line: 0.999, above: true))
            checks.append(ClaimCheck(
                id: "\(model)-shared-counter-fixes", claim: Self.pitfallClaim,
                prediction: "\(model), the fix (shared memory): largest count / N = 1", language: language,
                measured: results.behaviour(countKey(model, shared: true), "largest_fraction"), line: 0.999, above: true))
        }
        for model in ["thread-per-connection", "thread-pool", "python-threading"] where plan.models.contains(model) {
            checks.append(ClaimCheck(
                id: "\(model)-counts-all", claim: Self.pitfallClaim,
                prediction: "\(model) (one process), a global: largest count / N = 1", language: plan.language(model),
                measured: results.behaviour(countKey(model, shared: false), "largest_fraction"), line: 0.999, above: true))
        }
        return checks
    }

    private func number(_ estimate: Estimate?, _ format: String = "%.0f") -> String {
        estimate.map { String(format: format, $0.value) } ?? "-"
    }

    private func cell(_ key: ProbeKey, _ metric: String, _ format: String = "%.0f") -> String {
        number(results.median(key, metric), format)
    }

    var text: String {
        var text = "\nservers: saturation (wrk -t2 -c\(plan.wrkConnections), \(plan.wrkSeconds) s x \(plan.runs)), medians [95% CI]; PSS summed over the server's processes\n"
        var rows: [[String]] = []
        for model in plan.models {
            for handler in plan.handlers {
                let key = key(model, handler.name)
                rows.append([
                    model, handler.name, results.median(key, "wrk_rps")?.description(places: 0) ?? "-", cell(key, "wrk_p99_ms", "%.2f"),
                    cell(key, "wrk_errors"), cell(key, "pss_mib", "%.1f"), cell(key, "rps_per_mib", "%.1f"),
                ])
            }
        }
        text += TextTable(header: ["model", "handler", "req/s", "wrk p99 ms", "errors", "PSS MiB", "req/s per MiB"], rows: rows, leftAligned: [0, 1]).render() + "\n"

        text += "\nservers: latency under open load (bench's generator, timed from each request's intended send; \(plan.loadSeconds) s per level)\n"
        rows = []
        for model in plan.models {
            for handler in plan.handlers {
                let levels = results.keys.filter { $0.subject == model && $0.variant == handler.name && $0.size != nil }
                    .sorted { ($0.size ?? 0) < ($1.size ?? 0) }
                for level in levels {
                    let kept = results.median(level, "kept_schedule").map { $0.value >= 1 } ?? false
                    rows.append([
                        model, handler.name, "\(level.size ?? 0)\(level.sizeUnit == "%" ? "%" : " req/s")", cell(level, "offered_rps"), cell(level, "achieved_rps"),
                        cell(level, "p50_ms", "%.2f"), cell(level, "p99_ms", "%.2f"), cell(level, "p999_ms", "%.2f"), cell(level, "errors"),
                        kept ? "" : "generator-limited (send lag p99 \(cell(level, "send_lag_p99_ms", "%.1f")) ms)",
                    ])
                }
            }
        }
        text += TextTable(
            header: ["model", "handler", "load", "offered", "achieved", "p50 ms", "p99 ms", "p99.9 ms", "errors", "note"], rows: rows, leftAligned: [0, 1, 9]
        ).render() + "\n"
        text += "  a percentile shown '-' fell on a request that failed or timed out; an error counts as slower than any answer\n"

        text += "\nservers: idle keep-alive connections (\(plan.idleConnections) opened, one request each), medians\n"
        rows = plan.models.map { model in
            let key = idleKey(model)
            return [model, cell(key, "held"), cell(key, "pss_idle_mib", "%.1f"), cell(key, "pss_held_mib", "%.1f"), cell(key, "kib_per_connection", "%.1f"),
                    cell(key, "held_per_mib", "%.1f")]
        }
        text += TextTable(header: ["model", "held", "PSS idle MiB", "PSS held MiB", "KiB per connection", "held per MiB"], rows: rows, leftAligned: [0]).render() + "\n"

        text += "\nservers: GET /count x \(plan.countRequests), each on a new connection: a global per process, then one in shared memory\n"
        rows = []
        for model in plan.models {
            for shared in [false, true] {
                let key = countKey(model, shared: shared)
                var cost = ""
                if shared, let local = results.median(countKey(model, shared: false), "count_rps")?.value,
                   let sharedRate = results.median(key, "count_rps")?.value, local > 0, sharedRate > 0 {
                    cost = String(format: "%.1f", 1e6 / sharedRate - 1e6 / local)
                    // The interval says whether the difference is more than the noise of the runs.
                    if let ratio = results.ratio(countKey(model, shared: false), over: key, "count_rps") { cost += " (x\(ratio.description(places: 2)))" }
                }
                rows.append([
                    model, shared ? "shared" : "global", cell(key, "processes_seen"), cell(key, "largest_fraction", "%.3f"),
                    shared ? "" : cell(key, "sum_fraction", "%.3f"), cell(key, "count_rps"), cost, cell(key, "increment_ns", "%.1f"),
                ])
            }
        }
        text += TextTable(
            header: ["model", "counter", "processes", "largest count / N", "sum of counts / N", "/count req/s", "cost µs/request", "ns/increment"], rows: rows,
            leftAligned: [0, 1]
        ).render() + "\n"

        let wrk = results.median(ProbeKey("swift", "wrk", variant: "ceiling"), "achieved_rps")
        let openLoop = ProbeKey("swift", "open-loop", variant: "ceiling")
        text += "  cost µs/request: 1/(req/s with the shared counter) - 1/(with the global), wrk on /count, and (x the global's req/s / the shared's [95% CI]);\n"
            + "  an interval that covers 1 is no cost the runs can tell from noise; ns/increment: the counter alone, in bench (Swift's)\n"
        text += "\nservers: the generators against a 0-work epoll server: wrk \(number(wrk)) req/s; bench's open-loop generator, offered "
            + "\(Int(OpenLoopGenerator.maximumRate)) req/s, achieved "
            + "\(cell(openLoop, "achieved_rps")) req/s (send lag p99 \(cell(openLoop, "send_lag_p99_ms", "%.2f")) ms, "
            + ((results.median(openLoop, "kept_schedule")?.value ?? 0) >= 1 ? "on schedule" : "could not keep the schedule") + ")\n"
        return text + claims.render(disturbed: results.disturbed)
    }
}
