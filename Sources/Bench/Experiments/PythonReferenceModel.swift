import Foundation
import Workloads

/// The seed tutorial's own Python program (reference/python/seed400.py) as a
/// model of the seed-400 experiment: P pool processes x T threads printing.
///
/// Its wall and setup times are its own (time.monotonic around the Pool, as
/// the tutorial timed it); its CPU time and context switches come from `wait4`
/// on the interpreter, which includes the pool processes it reaped; its peak
/// memory is the sum of each process's VmHWM, as it reports.
struct PythonReferenceModel: ConcurrencyModel {
    let interpreter: String
    let script: String

    var name: ModelName { .pythonHybrid }

    func execute(_ job: Job) throws -> Execution {
        let threads = job.shape.threads ?? 1
        let child = try ChildProcess(
            executable: interpreter,
            arguments: [script, "--processes", String(job.shape.processes), "--threads", String(threads), "--items", String(job.tasks)])
        let deadline = MonotonicClock.now() + UInt64(job.timeoutSeconds * 1e9)
        guard let exit = child.wait(until: deadline) else {
            throw BenchError.runFailed("the Python reference did not finish within --timeout \(job.timeoutSeconds) s", fix: "raise --timeout or lower --items")
        }
        let errorText = child.standardError()
        guard exit.succeeded else {
            let last = errorText.split(separator: "\n").last.map(String.init) ?? "no message"
            throw BenchError.runFailed("the Python reference \(exit.description): \(last)", fix: "run \(script) by hand to see why")
        }
        let report = try PythonReport(errorText)
        try report.verify(items: job.tasks)
        // Python printed exactly items 0..<tasks (verified above, and line by
        // line by the sink), so its result is the print workload's checksum of them.
        var checksum = Checksum()
        for task in 0..<job.tasks {
            checksum.add(task: task, result: job.workload.expectedResult(task: task) ?? 0)
        }
        return Execution(
            checksum: checksum, wallSeconds: report.wallSeconds, setupSeconds: report.setupSeconds,
            workerUsage: exit.usage, workerPeakKilobytes: report.peakKilobytes)
    }
}

/// The JSON line seed400.py writes on standard error when it ends.
struct PythonReport: Decodable {
    let wallSeconds: Double
    let setupSeconds: Double
    let count: Int
    /// Sum and sum of squares of the printed items, modulo 2^64.
    let sum: UInt64
    let sumOfSquares: UInt64
    let peakKilobytes: Int

    enum CodingKeys: String, CodingKey {
        case wallSeconds = "wall_s"
        case setupSeconds = "setup_s"
        case count
        case sum
        case sumOfSquares = "sum_squares"
        case peakKilobytes = "max_rss_kb"
    }

    init(_ standardError: String) throws {
        guard let line = standardError.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let report = try? JSONDecoder().decode(PythonReport.self, from: Data(line.utf8)) else {
            throw BenchError.runFailed("the Python reference wrote no report: \(standardError.suffix(200))", fix: "run reference/python/seed400.py by hand")
        }
        self = report
    }

    /// The digest of items 0..<items: each printed once, none missing.
    func verify(items: Int) throws {
        var expectedSum: UInt64 = 0
        var expectedSquares: UInt64 = 0
        for item in 0..<UInt64(items) {
            expectedSum &+= item
            expectedSquares &+= item &* item
        }
        guard count == items, sum == expectedSum, sumOfSquares == expectedSquares else {
            throw BenchError.runFailed(
                "the Python reference printed \(count) items with the wrong digest (expected \(items))", fix: "its output was not exactly the items 0..<\(items)")
        }
    }
}
