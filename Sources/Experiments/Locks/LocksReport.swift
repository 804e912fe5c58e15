import Foundation
import Harness
import Platform

/// The locks experiment's tables and claim checks.
struct LocksReport {
    static let processLock = SeedClaim(
        "使用Lock来避免多进程共享资源的时候发生冲突 — use a Lock so that processes sharing a resource do not collide", source: SeedFile.seed001)
    static let semaphore = SeedClaim(
        "信号量, 用来控制对共享资源的访问数量 … Semaphore(2)表示最多有两个连接数 — a semaphore limits how many use a shared resource at once: Semaphore(2) lets two in",
        source: SeedFile.seed001)
    static let event = SeedClaim("Event 用来实现进程间同步通信 — an Event synchronizes processes", source: SeedFile.seed001)
    static let threadLock = SeedClaim(
        "多线程通信用共享变量即可，共享变量的读取加锁threading.Lock()即可 — threads share variables; a threading.Lock() around their use is all it takes",
        source: SeedFile.seed004)
    static let claims = [processLock, semaphore, event, threadLock]

    /// A Semaphore(2) sample may run this much past the seed's arithmetic (starting, waking, sleeping late).
    static let seedRatioLine = 1.1
    /// A wake-up within a millisecond synchronizes well enough for the seed's programs.
    static let wakeLineMicroseconds = 1000.0
    /// "All it takes": contention at 2 parties at most doubles the cost of an uncontended acquire.
    static let contentionLine = 2.0

    let results: ProbeResults
    let parties: [Int]
    let holdMilliseconds: Int

    private func lock(_ language: String, _ subject: String, _ parties: Int) -> ProbeKey {
        ProbeKey(language, subject, variant: "lock", size: parties, sizeUnit: "parties")
    }

    private func hold(_ language: String, _ subject: String) -> ProbeKey {
        ProbeKey(language, subject, variant: "hold", size: LocksExperiment.holdWorkers, sizeUnit: "parties")
    }

    private func event(_ language: String, _ subject: String) -> ProbeKey {
        ProbeKey(language, subject, variant: "event")
    }

    static let holdSubjects = LocksExperiment.subjects.filter { $0.kind == "hold" }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "locks: the seeds' claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        let most = parties.max() ?? 1
        let contended = [2, most].filter { $0 > 1 && parties.contains($0) }.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        for (language, subject) in [("python", "mp-lock"), ("swift", "process-semaphore")] {
            for count in contended {
                checks.append(ClaimCheck(
                    id: "process-lock-excludes-\(subject)-\(count)", claim: Self.processLock,
                    prediction: "\(subject), \(count) processes: updates lost = 0", language: language,
                    measured: results.behaviour(lock(language, subject, count), "lost_updates"), line: 0.5, above: false))
            }
        }
        for subject in Self.holdSubjects {
            checks.append(ClaimCheck(
                id: "semaphore-lets-two-in-\(subject.name)", claim: Self.semaphore,
                prediction: "\(subject.name), 5 \(subject.parties): at most 2 inside at once", language: subject.language,
                measured: results.behaviour(hold(subject.language, subject.name), "most_inside"), line: Double(LocksExperiment.holdLimit) + 0.5,
                above: false))
        }
        for subject in Self.holdSubjects {
            checks.append(ClaimCheck(
                id: "semaphore-wall-\(subject.name)", claim: Self.semaphore,
                prediction: "\(subject.name): wall / (ceil(5/2) x \(holdMilliseconds) ms) < \(Self.seedRatioLine)", language: subject.language,
                measured: results.median(hold(subject.language, subject.name), "seed_ratio"), line: Self.seedRatioLine, above: false))
        }
        for (language, subject) in [("python", "mp-event"), ("swift", "process-event")] {
            checks.append(ClaimCheck(
                id: "event-wakes-process-\(subject)", claim: Self.event,
                prediction: "\(subject): set -> waiting process running, p50 < \(Int(Self.wakeLineMicroseconds)) µs", language: language,
                measured: results.median(event(language, subject), "wake_p50_us"), line: Self.wakeLineMicroseconds, above: false))
        }
        for (language, subject) in [("python", "threading-lock"), ("swift", "mutex")] {
            checks.append(ClaimCheck(
                id: "thread-lock-excludes-\(subject)", claim: Self.threadLock,
                prediction: "\(subject), \(most) threads: updates lost = 0", language: language,
                measured: results.behaviour(lock(language, subject, most), "lost_updates"), line: 0.5, above: false))
        }
        for (language, subject) in [("python", "threading-lock"), ("swift", "mutex")] {
            checks.append(ClaimCheck(
                id: "thread-lock-contention-\(subject)", claim: Self.threadLock,
                prediction: "\(subject): ns per acquire at 2 threads / at 1 < \(Self.contentionLine)", language: language,
                measured: results.ratio(lock(language, subject, 2), over: lock(language, subject, 1), "ns_per_acquire"),
                line: Self.contentionLine, above: false))
        }
        return checks
    }

    private func value(_ key: ProbeKey, _ metric: String, _ format: String) -> String {
        results.median(key, metric).map { String(format: format, $0.value) } ?? "-"
    }

    var text: String {
        var text = ""
        let order = LocksExperiment.subjects.map { "\($0.language) \($0.name) \($0.kind)" }
        let measured = results.keys
        let lockRows = LocksExperiment.subjects.filter { subject in
            subject.kind == "lock" && measured.contains { $0.variant == "lock" && $0.subject == subject.name && $0.language == subject.language }
        }
        if !lockRows.isEmpty {
            text += "\nlocks: ns per acquire + release (median of the samples) by parties contending; \(Self.cores) cores\n"
            let most = parties.max() ?? 1
            let rows = lockRows.map { subject -> [String] in
                let lost = parties.compactMap { results.values(lock(subject.language, subject.name, $0), "lost_updates").max() }.max()
                return [subject.language, subject.name, subject.parties]
                    + parties.map { value(lock(subject.language, subject.name, $0), "ns_per_acquire", "%.0f") }
                    + [value(lock(subject.language, subject.name, most), "cpu_ns_per_acquire", "%.0f"), lost.map { String(format: "%.0f", $0) } ?? "-"]
            }
            text += TextTable(
                header: ["language", "mechanism", "parties"] + parties.map { "\($0)" } + ["CPU ns at \(most)", "lost updates"],
                rows: rows, leftAligned: [0, 1, 2]
            ).render() + "\n"
        }
        let holds = measured.filter { $0.variant == "hold" }.sorted { order.firstIndex(of: "\($0.language) \($0.subject) hold") ?? 0 < order.firstIndex(of: "\($1.language) \($1.subject) hold") ?? 0 }
        if !holds.isEmpty {
            let batches = (LocksExperiment.holdWorkers + LocksExperiment.holdLimit - 1) / LocksExperiment.holdLimit
            text += "\nthe seed's Semaphore(2): 5 workers each holding it \(holdMilliseconds) ms; the seed's arithmetic: ceil(5/2) x \(holdMilliseconds) = \(batches * holdMilliseconds) ms\n"
            text += TextTable(
                header: ["language", "mechanism", "wall ms [95% CI]", "wall / arithmetic", "most inside at once"],
                rows: holds.map { key in
                    [
                        key.language, key.subject, results.median(key, "wall_ms")?.description(places: 1) ?? "-", value(key, "seed_ratio", "%.3f"),
                        results.values(key, "most_inside").max().map { String(format: "%.0f", $0) } ?? "-",
                    ]
                }, leftAligned: [0, 1]
            ).render() + "\n"
        }
        let events = measured.filter { $0.variant == "event" }.sorted { order.firstIndex(of: "\($0.language) \($0.subject) event") ?? 0 < order.firstIndex(of: "\($1.language) \($1.subject) event") ?? 0 }
        if !events.isEmpty {
            text += "\nEvent: from set() to the waiter running again, once it is parked (medians of the samples' quantiles)\n"
            text += TextTable(
                header: ["language", "mechanism", "p50 µs [95% CI]", "p99 µs"],
                rows: events.map { [$0.language, $0.subject, results.median($0, "wake_p50_us")?.description(places: 1) ?? "-", value($0, "wake_p99_us", "%.1f")] },
                leftAligned: [0, 1]
            ).render() + "\n"
        }
        return text + claims.render(disturbed: results.disturbed)
    }

    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
