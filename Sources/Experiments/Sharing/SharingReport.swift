import Foundation
import Harness
import Platform

/// The sharing experiment's tables and claim checks.
struct SharingReport {
    static let processesCopy = SeedClaim(
        "多进程中，同一个变量，各自有一份拷贝存在于每个进程中，互不影响 — with processes, each has its own copy of a variable, and the copies do not affect one another",
        source: SeedFile.seed003)
    static let threadsShare = SeedClaim("多线程中，所有变量都由所有线程共享 — with threads, every variable is shared by all of them", source: SeedFile.seed003)
    static let globalsNeedLock = SeedClaim(
        "如果数据是全局的，那么我们就需要加锁，防止数据混乱 — if the data is global, we need a lock to keep it from being scrambled", source: SeedFile.seed002)
    static let coroutinesNoLock = SeedClaim(
        "协程不需要用锁机制，因为只有一个线程，也不存在同时写变量冲突 — coroutines need no lock: there is one thread, so no two writes collide", source: SeedFile.seed004)
    static let threadLocal = SeedClaim(
        "线程处理的数据最好是局部的、其他线程不能干扰的 (local_variable = threading.local()) — a thread's data had best be local, out of other threads' reach",
        source: SeedFile.seed002)
    static let claims = [processesCopy, threadsShare, globalsNeedLock, coroutinesNoLock, threadLocal]

    /// A copy per worker shows as at least this much of the block per added worker; sharing as at most `sharedShare`.
    static let copiedShare = 0.8
    static let sharedShare = 0.2

    let results: ProbeResults
    let workers: Int
    let memoryWorkers: [Int]
    let mebibytes: Int

    private func key(_ language: String, _ subject: String, _ kind: String = "counter") -> ProbeKey {
        ProbeKey(language, subject, variant: kind, size: workers, sizeUnit: "workers")
    }

    private func memory(_ language: String, _ subject: String, _ count: Int) -> ProbeKey {
        ProbeKey(language, subject, variant: "memory", size: count, sizeUnit: "workers")
    }

    private func lost(_ language: String, _ subject: String, none: Bool, claim: SeedClaim, what: String) -> ClaimCheck {
        ClaimCheck(
            id: "\(none ? "no-lost-updates" : "lost-updates")-\(subject)", claim: claim,
            prediction: "\(subject), \(workers) \(what): updates lost \(none ? "= 0" : "> 0")", language: language,
            measured: results.behaviour(key(language, subject), "lost_updates"), line: 0.5, above: !none)
    }

    /// How much a model's `metric` grows from the fewest workers to the most, against `share` of a block per added worker.
    private func growth(_ language: String, _ subject: String, _ metric: String, share: Double, above: Bool, claim: SeedClaim) -> ClaimCheck? {
        guard let few = memoryWorkers.first, let most = memoryWorkers.last, most > few else { return nil }
        let line = share * Double((most - few) * mebibytes)
        let label = metric == "pss_mib" ? "PSS" : "summed RSS"
        return ClaimCheck(
            id: "\(metric == "pss_mib" ? "pss" : "rss")-growth-\(subject)", claim: claim,
            prediction: "\(subject): \(label) at \(most) workers - at \(few) \(above ? ">" : "<") \(share) x \(most - few) x \(mebibytes) MiB",
            language: language,
            measured: Estimate(
                difference: results.values(memory(language, subject, most), metric), minus: results.values(memory(language, subject, few), metric)),
            line: line, above: above)
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "sharing: the seeds' claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for language in ["python", "swift"] {
            checks.append(ClaimCheck(
                id: "parent-sees-0-\(language)", claim: Self.processesCopy,
                prediction: "processes-own-copy, \(workers) processes: the parent's count afterwards = 0", language: language,
                measured: results.behaviour(key(language, "processes-own-copy"), "parent_count"), line: 0.5, above: false))
            checks.append(ClaimCheck(
                id: "own-copies-count-\(language)", claim: Self.processesCopy,
                prediction: "processes-own-copy: each process counted all of its own (1 = yes)", language: language,
                measured: results.behaviour(key(language, "processes-own-copy"), "copies_exact"), line: 0.5, above: true))
        }
        checks += [
            growth("python", "python-process-pool-spawn", "pss_mib", share: Self.copiedShare, above: true, claim: Self.processesCopy),
            growth("swift", "process-pool-spawn", "pss_mib", share: Self.copiedShare, above: true, claim: Self.processesCopy),
            growth("swift", "process-pool-forkserver", "pss_mib", share: Self.copiedShare, above: true, claim: Self.processesCopy),
            growth("python", "python-process-pool-fork", "pss_mib", share: Self.sharedShare, above: false, claim: Self.processesCopy),
            growth("python", "python-process-pool-fork", "rss_sum_mib", share: Self.copiedShare, above: true, claim: Self.processesCopy),
        ].compactMap { $0 }
        checks.append(lost("python", "threads-lock", none: true, claim: Self.threadsShare, what: "threads"))
        checks.append(lost("swift", "threads-mutex", none: true, claim: Self.threadsShare, what: "threads"))
        checks += [
            growth("swift", "thread", "pss_mib", share: Self.sharedShare, above: false, claim: Self.threadsShare),
            growth("python", "python-thread", "pss_mib", share: Self.sharedShare, above: false, claim: Self.threadsShare),
        ].compactMap { $0 }
        for (language, subject, what) in [
            ("python", "threads-plus-equals", "threads"), ("python", "threads-read-call-write", "threads"), ("swift", "threads-unsafe-pointer", "threads"),
            ("python", "mp-value-no-lock", "processes"), ("swift", "shared-memory-no-lock", "processes"),
        ] {
            checks.append(lost(language, subject, none: false, claim: Self.globalsNeedLock, what: what))
        }
        for (language, subject, what) in [
            ("python", "mp-value-lock", "processes"), ("python", "manager-value", "processes"), ("python", "shared-memory", "processes"),
            ("python", "itertools-count", "threads"), ("swift", "shared-memory-semaphore", "processes"), ("swift", "shared-memory-atomic", "processes"),
            ("swift", "atomic", "threads"),
        ] {
            checks.append(lost(language, subject, none: true, claim: Self.globalsNeedLock, what: what))
        }
        for (language, subject) in [("python", "asyncio-no-lock"), ("python", "asyncio-await-no-lock"), ("swift", "tasks-unsafe-pointer")] {
            checks.append(lost(language, subject, none: true, claim: Self.coroutinesNoLock, what: "tasks"))
        }
        checks.append(ClaimCheck(
            id: "coroutines-cheaper-than-locked-threads", claim: Self.coroutinesNoLock,
            prediction: "ns per increment: threads-lock / asyncio-no-lock > 1", language: "python",
            measured: results.ratio(key("python", "threads-lock"), over: key("python", "asyncio-no-lock"), "ns_per_increment"), line: 1, above: true))
        for (language, subject) in [("python", "threading-local"), ("swift", "pthread-key"), ("swift", "task-local")] {
            checks.append(ClaimCheck(
                id: "own-value-only-\(subject)", claim: Self.threadLocal,
                prediction: "\(subject), \(workers) parties: reads of another's value = 0", language: language,
                measured: results.behaviour(key(language, subject, "local"), "foreign_reads"), line: 0.5, above: false))
        }
        for (language, local, global) in [("python", "threading-local", "locked-dict"), ("swift", "pthread-key", "locked-dictionary")] {
            checks.append(ClaimCheck(
                id: "local-cheaper-than-locked-global-\(local)", claim: Self.threadLocal,
                prediction: "ns per access: \(local) / \(global) < 1", language: language,
                measured: results.ratio(key(language, local, "local"), over: key(language, global, "local"), "ns_per_access"), line: 1, above: false))
        }
        return checks
    }

    private func value(_ key: ProbeKey, _ metric: String, _ format: String) -> String {
        results.median(key, metric).map { String(format: format, $0.value) } ?? "-"
    }

    private func ordered(_ kind: String) -> [ProbeSubject] {
        SharingExperiment.subjects.filter { subject in
            subject.kind == kind && results.keys.contains { $0.variant == kind && $0.subject == subject.name && $0.language == subject.language }
        }
    }

    var text: String {
        var text = ""
        let counters = ordered("counter")
        if !counters.isEmpty {
            text += "\nsharing: a counter incremented by \(workers) workers (medians of the samples; lost = the most any sample lost)\n"
            text += TextTable(
                header: ["language", "variant", "parties", "ns per increment", "final / expected", "lost", "parent's count"],
                rows: counters.map { subject in
                    let key = key(subject.language, subject.name)
                    let final = results.median(key, "final_count")?.value, expected = results.median(key, "expected_count")?.value
                    let lost = results.values(key, "lost_updates").max()
                    return [
                        subject.language, subject.name, subject.parties, value(key, "ns_per_increment", "%.1f"),
                        final.flatMap { f in expected.map { String(format: "%.0f / %.0f", f, $0) } } ?? "-",
                        lost.map { String(format: "%.0f (%.1f%%)", $0, $0 / max(1, expected ?? 1) * 100) } ?? "-",
                        value(key, "parent_count", "%.0f"),
                    ]
                }, leftAligned: [0, 1, 2]
            ).render() + "\n"
        }
        let locals = ordered("local")
        if !locals.isEmpty {
            text += "\nthe seed's threading.local: \(workers) parties each reading its own value through worker()\n"
            text += TextTable(
                header: ["language", "variant", "parties", "ns per access [95% CI]", "another's value seen"],
                rows: locals.map { subject in
                    let key = key(subject.language, subject.name, "local")
                    return [
                        subject.language, subject.name, subject.parties, results.median(key, "ns_per_access")?.description(places: 1) ?? "-",
                        results.values(key, "foreign_reads").max().map { String(format: "%.0f", $0) } ?? "-",
                    ]
                }, leftAligned: [0, 1, 2]
            ).render() + "\n"
        }
        let blocks = ordered("memory")
        if !blocks.isEmpty {
            text += "\nmemory: a \(mebibytes) MiB block every task reads; PSS / summed peak RSS in MiB (medians) by workers\n"
            text += TextTable(
                header: ["language", "model"] + memoryWorkers.map { "\($0)" },
                rows: blocks.map { subject in
                    [subject.language, subject.name] + memoryWorkers.map { count in
                        let key = memory(subject.language, subject.name, count)
                        return "\(value(key, "pss_mib", "%.0f")) / \(value(key, "rss_sum_mib", "%.0f"))"
                    }
                }, leftAligned: [0, 1]
            ).render() + "\n"
        }
        return text + claims.render(disturbed: results.disturbed)
    }
}
