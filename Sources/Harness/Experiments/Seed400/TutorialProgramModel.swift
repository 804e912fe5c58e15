import Engine
import Foundation
import Platform
import Workloads

/// The seed tutorial's own Python program (python/seed400.py) as a model of
/// the seed-400 experiment: P pool processes x T threads printing.
///
/// It measures itself the way bench measures its own models (see the
/// script's docstring): wall time from creating the Pool to the last result,
/// CPU time and context switches over that same span from getrusage in every
/// process, peak memory as the sum of each process's VmHWM. Interpreter start
/// and exit fall outside, as bench's own start and workers' exits do.
struct TutorialProgramModel: ConcurrencyModel {
    static let modelName = "python-seed400"
    static let script = "python/seed400.py"

    let interpreter: PythonInterpreter
    let script: String
    /// `even` or `tutorial` (its producer's ranges).
    let split: String

    var name: String { Self.modelName }
    var summary: String { "the seed tutorial's Python program: a Pool of P processes x T threads printing (experiment seed-400)" }
    var baseline: String { Self.modelName }

    func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        processes.flatMap { count in workers.map { .processes(count, threadsEach: $0) } }
    }

    var metadata: JSONValue {
        .object(["interpreter": interpreter.metadata, "script": .string(script), "split": .string(split)])
    }

    /// The program beside this build, run by `interpreter` (or python3 on
    /// PATH); nil, with a note saying why, when there is no Python.
    static func locate(interpreter path: String?, split: String) throws -> TutorialProgramModel? {
        guard let script = PackageFile.locate(Self.script) else {
            printNote("note: \(Self.script) is not beside this build, so the Python program is skipped")
            return nil
        }
        let interpreter: PythonInterpreter
        do {
            interpreter = try PythonInterpreter.resolve(path)
        } catch let error as PythonInterpreter.Missing where path == nil {
            printNote("note: \(error.what), so the Python program is skipped — \(error.fix), or pass --no-python")
            return nil
        }
        return TutorialProgramModel(interpreter: interpreter, script: script.path, split: split)
    }

    func execute(_ job: Job) throws -> Execution {
        let threads = job.shape.threads ?? 1
        let child = try ChildProcess(
            executable: interpreter.path,
            arguments: [
                script, "--processes", String(job.shape.processes), "--threads", String(threads), "--items", String(job.tasks),
                "--split", split,
            ])
        guard let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: job.timeoutSeconds)) else {
            throw BenchError.runFailed("the Python program did not finish within --timeout \(job.timeoutSeconds) s", fix: "raise --timeout or lower --items")
        }
        let errorText = child.standardError()
        guard exit.status.isSuccess else {
            let last = errorText.split(separator: "\n").last.map(String.init) ?? "no message"
            throw BenchError.runFailed("the Python program \(exit.status): \(last)", fix: "run \(script) by hand to see why")
        }
        let report = try TutorialProgramReport(errorText)
        return Execution(
            checksum: report.checksum(of: job), wallSeconds: report.wallSeconds, setupSeconds: report.setupSeconds,
            workerUsage: report.usage, workerPeakKilobytes: report.peakKilobytes, ownUsage: .none)
    }
}

/// The JSON line seed400.py writes on standard error when it ends.
struct TutorialProgramReport: Decodable {
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
              let report = try? JSONDecoder().decode(TutorialProgramReport.self, from: Data(line.utf8)) else {
            throw BenchError.runFailed("the Python program wrote no report: \(standardError.suffix(200))", fix: "run python/seed400.py by hand")
        }
        self = report
    }

    /// The sample's checksum as the harness computes it. Python does not
    /// compute the print workload's checksum itself (its mixing in Python
    /// would cost as much as a print); it reports a digest of what it
    /// printed. When that digest is the one of items 0..<tasks, each printed
    /// once, its checksum is theirs; when not (the tutorial's split prints a
    /// quarter of them), a value from the digest that cannot match, so the
    /// row is written with ok=false and the cell fails, as for any model.
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
