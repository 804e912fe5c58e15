import Foundation
import Workloads

/// The seed tutorial's own Python program (reference/python/seed400.py) as a
/// model of the seed-400 experiment: P pool processes x T threads printing.
///
/// It measures itself the way bench measures its own models (see the
/// script's docstring): wall time from creating the Pool to the last result,
/// CPU time and context switches over that same span from getrusage in every
/// process, peak memory as the sum of each process's VmHWM. Interpreter start
/// and exit fall outside, as bench's own start and workers' exits do.
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
        guard exit.status.isSuccess else {
            let last = errorText.split(separator: "\n").last.map(String.init) ?? "no message"
            throw BenchError.runFailed("the Python reference \(exit.status): \(last)", fix: "run \(script) by hand to see why")
        }
        let report = try PythonReport(errorText)
        return Execution(
            checksum: report.checksum(of: job), wallSeconds: report.wallSeconds, setupSeconds: report.setupSeconds,
            workerUsage: report.usage, workerPeakKilobytes: report.peakKilobytes, ownUsage: .none)
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
    let userSeconds: Double
    let systemSeconds: Double
    let voluntarySwitches: Int
    let involuntarySwitches: Int
    let peakKilobytes: Int

    var usage: ResourceUsage {
        ResourceUsage(
            userSeconds: userSeconds, systemSeconds: systemSeconds, voluntarySwitches: voluntarySwitches,
            involuntarySwitches: involuntarySwitches)
    }

    enum CodingKeys: String, CodingKey {
        case wallSeconds = "wall_s"
        case setupSeconds = "setup_s"
        case count
        case sum
        case sumOfSquares = "sum_squares"
        case userSeconds = "user_s"
        case systemSeconds = "sys_s"
        case voluntarySwitches = "vcsw"
        case involuntarySwitches = "ivcsw"
        case peakKilobytes = "max_rss_kb"
    }

    init(_ standardError: String) throws {
        guard let line = standardError.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let report = try? JSONDecoder().decode(PythonReport.self, from: Data(line.utf8)) else {
            throw BenchError.runFailed("the Python reference wrote no report: \(standardError.suffix(200))", fix: "run reference/python/seed400.py by hand")
        }
        self = report
    }

    /// The run's checksum as the harness computes it. Python does not compute
    /// the print workload's checksum itself (its mixing in Python would cost
    /// as much as a print); it reports a digest of what it printed. When that
    /// digest is the one of items 0..<tasks, each printed once, its checksum is
    /// theirs; when not, a value from the digest that cannot match, so the row
    /// is written with ok=false and the cell fails, as for any model.
    func checksum(of job: Job) -> Checksum {
        var expectedSum: UInt64 = 0
        var expectedSquares: UInt64 = 0
        for item in 0..<UInt64(job.tasks) {
            expectedSum &+= item
            expectedSquares &+= item &* item
        }
        guard count == job.tasks, sum == expectedSum, sumOfSquares == expectedSquares else {
            return Checksum(value: mix(sum ^ mix(sumOfSquares)), taskCount: count)
        }
        var checksum = Checksum()
        for task in 0..<job.tasks {
            checksum.add(task: task, result: job.workload.expectedResult(task: task) ?? 0)
        }
        return checksum
    }
}
