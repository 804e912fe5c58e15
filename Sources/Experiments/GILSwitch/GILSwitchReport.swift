import Foundation
import Harness
import Platform

/// The gil-switch experiment's table and claim checks.
struct GILSwitchReport {
    static let releasesOften = SeedClaim(
        "每执行100条字节码，解释器就自动释放GIL锁，让别的线程有机会执行 — every 100 bytecodes the interpreter releases the GIL by itself, so that other threads get their chance",
        source: SeedFile.seed004)
    static let processesParallel = SeedClaim("进程可以实现并行运行代码 — processes run code in parallel", source: SeedFile.seed002)
    static let claims = [releasesOften, processesParallel]

    /// "Barely waits": an IO's median at most half again its median alone.
    static let barelyLine = 1.5
    /// "The interval decides the wait": the longest interval's median at least twice the shortest's.
    static let followsLine = 2.0

    let results: ProbeResults
    let intervals: [Double]
    let kinds: [String]

    /// The interval the threads checks compare at: CPython's default when measured, else the middle one.
    var reference: Double {
        intervals.contains(GILSwitchExperiment.defaultInterval) ? GILSwitchExperiment.defaultInterval : intervals[intervals.count / 2]
    }

    private func python(_ subject: String, _ io: String, _ interval: Double = GILSwitchExperiment.defaultInterval) -> ProbeKey {
        GILSwitchExperiment.key("python", subject, io: io, interval: interval)
    }

    private func swift(_ subject: String, _ io: String) -> ProbeKey {
        GILSwitchExperiment.key("swift", subject, io: io, interval: nil)
    }

    private func seconds(_ interval: Double) -> String {
        GILSwitchExperiment.format(interval) + " s"
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "gil-switch: the seeds' claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for io in kinds {
            checks.append(ClaimCheck(
                id: "io-barely-waits-\(io)", claim: Self.releasesOften,
                prediction: "\(io): p50 beside a CPU thread (interval \(seconds(reference))) / alone < \(Self.barelyLine)", language: "python",
                measured: results.ratio(python("threads", io, reference), over: python("alone", io), "io_p50_us"), line: Self.barelyLine, above: false))
            checks.append(ClaimCheck(
                id: "io-barely-waits-\(io)", claim: Self.releasesOften,
                prediction: "\(io): p50 beside a CPU thread / alone < \(Self.barelyLine) (no GIL)", language: "swift",
                measured: results.ratio(swift("threads", io), over: swift("alone", io), "io_p50_us"), line: Self.barelyLine, above: false))
            if let shortest = intervals.first, let longest = intervals.last, longest > shortest {
                checks.append(ClaimCheck(
                    id: "wait-follows-interval-\(io)", claim: Self.releasesOften,
                    prediction: "\(io): p50 beside a CPU thread at \(seconds(longest)) / at \(seconds(shortest)) > \(Self.followsLine)", language: "python",
                    measured: results.ratio(python("threads", io, longest), over: python("threads", io, shortest), "io_p50_us"),
                    line: Self.followsLine, above: true))
            }
        }
        // Grouped by claim: the table shows each claim once.
        for io in kinds {
            checks.append(ClaimCheck(
                id: "cpu-process-leaves-io-alone-\(io)", claim: Self.processesParallel,
                prediction: "\(io): p50 beside a CPU-bound process / alone < \(Self.barelyLine)", language: "python",
                measured: results.ratio(python("processes", io), over: python("alone", io), "io_p50_us"), line: Self.barelyLine, above: false))
        }
        return checks
    }

    private func value(_ key: ProbeKey, _ metric: String, _ format: String, scale: Double = 1) -> String {
        results.median(key, metric).map { String(format: format, $0.value * scale) } ?? "-"
    }

    var text: String {
        var text = ""
        for io in kinds {
            var rows: [(String, String, ProbeKey)] = [("python", "alone", python("alone", io))]
            rows += intervals.map { ("python", "beside a CPU thread, interval \(seconds($0))", python("threads", io, $0)) }
            rows += [
                ("python", "beside a CPU process", python("processes", io)), ("swift", "alone", swift("alone", io)),
                ("swift", "beside a CPU thread (no GIL)", swift("threads", io)),
            ]
            let measured = rows.filter { !results.values($0.2, "io_p50_us").isEmpty }
            guard !measured.isEmpty else { continue }
            let what = io == "sleep" ? "a 1 ms sleep" : "a GET to bench's server (answered after 1 ms)"
            text += "\ngil-switch, \(io): the time of \(what) in an IO thread (medians of the samples)\n"
            text += TextTable(
                header: ["language", "configuration", "p50 µs [95% CI]", "p99 µs", "IO/s", "CPU Mit/s"],
                rows: measured.map { language, configuration, key in
                    [
                        language, configuration, results.median(key, "io_p50_us")?.description(places: 0) ?? "-", value(key, "io_p99_us", "%.0f"),
                        value(key, "io_per_s", "%.0f"), value(key, "cpu_iterations_per_s", "%.1f", scale: 1e-6),
                    ]
                }, leftAligned: [0, 1]
            ).render() + "\n"
        }
        return text + claims.render(disturbed: results.disturbed)
    }
}
