import Foundation
import Harness
import Platform

/// One run of `wrk` (Debian's package), the closed-loop generator: each of
/// `connections` connections sends its next request when the last is
/// answered, as fast as the server allows: the server's saturation
/// throughput. Its latencies are coordinated-omission-blind (a stalled
/// server is not sent the requests that would have waited), which is why
/// the latency curves come from `OpenLoopGenerator` instead.
public struct WrkRun: Sendable {
    public let requestsPerSecond: Double
    public let requests: Int
    /// Non-2xx answers plus connect, read, write errors and timeouts.
    public let errors: Int
    public let p50Seconds: Double?
    public let p99Seconds: Double?

    /// The wrk program, or a usage error saying how to install it.
    public static func locate() throws -> String {
        guard let path = ProgramSearch.find("wrk", path: nil) else {
            throw BenchError.usage("wrk is not on PATH", fix: "install it: apt-get install -y --no-install-recommends wrk")
        }
        return path
    }

    /// Runs `wrk` against `http://127.0.0.1:<port><path>` for `seconds`.
    public static func run(wrk: String, port: UInt16, path: String, connections: Int, threads: Int, seconds: Int, timeoutSeconds: Int = 10) throws -> WrkRun {
        let (child, bytes) = try ChildProcess.capturingOutput(
            executable: wrk,
            arguments: ["-t\(max(1, min(threads, connections)))", "-c\(connections)", "-d\(seconds)s", "--timeout", "\(timeoutSeconds)s", "--latency",
                        "http://127.0.0.1:\(port)\(path)"])
        let text = String(decoding: bytes, as: UTF8.self)
        guard let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: Double(seconds + timeoutSeconds + 10))), exit.status.isSuccess,
              let parsed = parse(text) else {
            let said = child.standardError().split(whereSeparator: \.isNewline).last.map(String.init) ?? text.split(separator: "\n").last.map(String.init) ?? ""
            throw BenchError.runFailed("wrk against port \(port) failed: \(said)", fix: "run wrk by hand against the server to see why")
        }
        return parsed
    }

    /// Reads wrk's report: `Requests/sec:`, the latency distribution (`--latency`), errors.
    static func parse(_ text: String) -> WrkRun? {
        var rate: Double?
        var requests = 0
        var errors = 0
        var percentiles: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), words.count == 2 {
                rate = Double(words[1])
            } else if words.count >= 2, words[1] == "requests", let count = Int(words[0]) {
                requests = count
            } else if line.contains("Non-2xx or 3xx responses:"), let count = words.last.flatMap({ Int($0) }) {
                errors += count
            } else if line.contains("Socket errors:") {
                errors += words.compactMap { Int($0.filter(\.isNumber)) }.reduce(0, +)
            } else if words.count == 2, words[0].hasSuffix("%"), let seconds = duration(String(words[1])) {
                percentiles[String(words[0])] = seconds
            }
        }
        guard let rate else { return nil }
        return WrkRun(requestsPerSecond: rate, requests: requests, errors: errors, p50Seconds: percentiles["50%"], p99Seconds: percentiles["99%"])
    }

    /// `1.23ms`, `456.00us`, `2.01s`, `1.50m` in seconds.
    static func duration(_ text: String) -> Double? {
        for (unit, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)) { return value * scale }
        }
        return nil
    }
}
