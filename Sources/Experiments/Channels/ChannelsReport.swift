import Foundation
import Harness
import Platform

/// The channels experiment's tables and claim checks.
struct ChannelsReport {
    static let threadSafe = SeedClaim("queue.Queue is thread-safe: threads hand items to one another through it", source: SeedFile.seed004)
    static let processQueue = SeedClaim("processes communicate through a Queue: two writers and two readers can share one", source: SeedFile.seed000)
    static let threadsShare = SeedClaim("processes communicate through queues, while threads need only shared variables and a lock", source: SeedFile.seed004)

    static let claims = [threadSafe, processQueue, threadsShare]

    let results: ProbeResults
    let sizes: [Int]

    private func key(_ language: String, _ channel: String, _ variant: String, _ size: Int) -> ProbeKey {
        ProbeKey(language, channel, variant: variant, size: size, sizeUnit: "B")
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "channels: the seeds' claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        let small = sizes.first ?? 8
        var checks: [ClaimCheck] = []
        for (language, channel) in [("python", "queue-queue"), ("swift", "thread-queue")] {
            checks.append(ClaimCheck(
                id: "thread-queue-exactly-once", claim: Self.threadSafe,
                prediction: "\(channel), 2 writer and 2 reader threads: every message once (1 = yes)", language: language,
                measured: results.verified(key(language, channel, "2x2", small)), line: 0.5, above: true))
        }
        for (language, channel) in [("python", "mp-queue"), ("python", "mp-simplequeue"), ("python", "manager-queue"), ("swift", "pipe")] {
            checks.append(ClaimCheck(
                id: "process-queue-exactly-once-\(channel)", claim: Self.processQueue,
                prediction: "\(channel), 2 writer and 2 reader processes: every message once (1 = yes)", language: language,
                measured: results.verified(key(language, channel, "2x2", small)), line: 0.5, above: true))
        }
        for (language, process, thread) in [("python", "mp-queue", "queue-queue"), ("python", "mp-pipe", "queue-queue"), ("swift", "pipe", "thread-queue")] {
            checks.append(ClaimCheck(
                id: "threads-cheaper-\(process)", claim: Self.threadsShare,
                prediction: "round trip at \(small) B: \(process) / \(thread) > 1", language: language,
                measured: results.ratio(key(language, process, "round-trip", small), over: key(language, thread, "round-trip", small), "rtt_p50_us"),
                line: 1, above: true))
        }
        return checks
    }

    private func value(_ key: ProbeKey, _ metric: String, _ format: String) -> String {
        results.median(key, metric).map { String(format: format, $0.value) } ?? "-"
    }

    var text: String {
        var rows: [[String]] = []
        let measured = results.keys.sorted { Self.order($0).lexicographicallyPrecedes(Self.order($1)) }
        var seen: Set<String> = []
        for probe in measured where probe.variant != "2x2" {
            let size = probe.size ?? 0
            guard seen.insert("\(probe.language) \(probe.subject) \(size)").inserted else { continue }
            let oneWay = key(probe.language, probe.subject, "one-way", size)
            let trip = key(probe.language, probe.subject, "round-trip", size)
            rows.append([
                probe.language, probe.subject, Self.bytes(size), value(oneWay, "msgs_per_s", "%.0f"), value(oneWay, "mb_per_s", "%.1f"),
                value(oneWay, "cpu_us_per_msg", "%.2f"), value(trip, "rtt_p50_us", "%.1f"), value(trip, "rtt_p99_us", "%.1f"),
                value(trip, "cpu_us_per_msg", "%.2f"),
            ])
        }
        var text = "\nchannels: medians of each configuration's samples (95% intervals in experiment.csv)\n"
        text += TextTable(
            header: ["language", "channel", "size", "one-way msg/s", "MB/s", "CPU µs/msg", "round trip p50 µs", "p99 µs", "CPU µs/trip"],
            rows: rows, leftAligned: [0, 1]
        ).render() + "\n"
        let shared = measured.filter { $0.variant == "2x2" }
        if !shared.isEmpty {
            text += "\nthe seeds' producer/consumer: 2 writers and 2 readers on one channel\n"
            text += TextTable(
                header: ["language", "channel", "size", "msg/s", "MB/s", "every message once"],
                rows: shared.map {
                    [$0.language, $0.subject, Self.bytes($0.size ?? 0), value($0, "msgs_per_s", "%.0f"), value($0, "mb_per_s", "%.2f"),
                     results.verified($0)?.value == 1 ? "yes" : "no"]
                }, leftAligned: [0, 1, 5]
            ).render() + "\n"
        }
        let small = sizes.first ?? 8
        let trips = [("swift", "pipe"), ("python", "mp-pipe"), ("python", "manager-queue")].compactMap { language, channel in
            results.median(key(language, channel, "round-trip", small), "rtt_p50_us").map { "\(channel) (\(language)) \(String(format: "%.1f", $0.value)) µs" }
        }
        if !trips.isEmpty {
            text += "\nround trip at \(Self.bytes(small)), median: " + trips.joined(separator: ", ") + "\n"
        }
        return text + claims.render(disturbed: results.disturbed)
    }

    /// Tables list Python's channels, then Swift's, each in the experiment's order, sizes rising.
    private static func order(_ key: ProbeKey) -> [Int] {
        [key.language == "python" ? 0 : 1, ChannelsExperiment.channels.firstIndex { $0.name == key.subject } ?? 0, key.size ?? 0]
    }

    static func bytes(_ size: Int) -> String {
        size >= 1 << 20 && size % (1 << 20) == 0 ? "\(size >> 20) MiB" : size >= 1024 && size % 1024 == 0 ? "\(size >> 10) KiB" : "\(size) B"
    }
}
