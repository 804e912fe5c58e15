import Engine
import Foundation
import Platform
import Workloads

/// The one JSON line python/bench_driver.py writes on its report descriptor.
struct PythonDriverReport: Decodable {
    let wallSeconds: Double
    let setupSeconds: Double
    let userSeconds: Double
    let systemSeconds: Double
    let voluntarySwitches: Int
    let involuntarySwitches: Int
    let peakKilobytes: Int
    /// The driver's and its pool processes' PSS and USS; nil where unreadable (or an older driver).
    let pssKilobytes: Int?
    let ussKilobytes: Int?
    /// `0x` and 16 hex digits, as bench writes checksums.
    let checksum: String
    let tasks: Int
    let taskP50: Double?
    let taskP99: Double?
    let queueP50: Double?
    let queueP99: Double?
    /// `sys._is_gil_enabled()` at the sample's end (true before 3.13); nil from an older driver.
    let gilEnabled: Bool?
    /// Whether a plain function ran through asyncio.to_thread (python-function under asyncio).
    let toThread: Bool?

    enum CodingKeys: String, CodingKey {
        case checksum, tasks
        case wallSeconds = "wall_s"
        case setupSeconds = "setup_s"
        case userSeconds = "user_s"
        case systemSeconds = "sys_s"
        case voluntarySwitches = "vcsw"
        case involuntarySwitches = "ivcsw"
        case peakKilobytes = "max_rss_kb"
        case pssKilobytes = "pss_kb"
        case ussKilobytes = "uss_kb"
        case taskP50 = "task_p50_s"
        case taskP99 = "task_p99_s"
        case queueP50 = "queue_p50_s"
        case queueP99 = "queue_p99_s"
        case gilEnabled = "gil_enabled"
        case toThread = "to_thread"
    }

    /// The driver's error line; `usage`: the user's input is at fault (a
    /// --callable that does not import), which bench reports as bad usage.
    private struct Failure: Decodable {
        let error: String
        let usage: Bool?
    }

    /// The report, or the driver's own error message; nil for anything else
    /// (no line, garbage, a line cut short), which the caller reports with the exit status.
    enum Decoded {
        case success(PythonDriverReport)
        case failure(String, usage: Bool)
        case unreadable
    }

    static func decode(_ line: String) -> Decoded {
        let data = Data(line.utf8)
        if let report = try? JSONDecoder().decode(PythonDriverReport.self, from: data) { return .success(report) }
        if let failure = try? JSONDecoder().decode(Failure.self, from: data) { return .failure(failure.error, usage: failure.usage == true) }
        return .unreadable
    }

    var usage: ResourceUsage {
        ResourceUsage(
            userSeconds: userSeconds, systemSeconds: systemSeconds, voluntarySwitches: voluntarySwitches,
            involuntarySwitches: involuntarySwitches)
    }

    /// Its processes' account: their memory shares; the driver does not read
    /// its threads' run-queue waits (a Python thread's vanish when it ends).
    var account: ProcessAccount {
        ProcessAccount(
            memory: pssKilobytes.flatMap { pss in ussKilobytes.map { ProportionalMemory(pssKilobytes: pss, ussKilobytes: $0) } },
            scheduling: nil)
    }

    /// The checksum over the tasks the driver says it ran (the caller's
    /// verification compares both with serial's), or nil when it does not parse.
    var parsedChecksum: Checksum? {
        guard checksum.hasPrefix("0x"), let value = UInt64(checksum.dropFirst(2), radix: 16) else { return nil }
        return Checksum(value: value, taskCount: self.tasks)
    }
}
