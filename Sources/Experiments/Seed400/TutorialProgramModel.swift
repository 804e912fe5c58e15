import Engine
import Foundation
import Harness
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

    /// The items the program prints of `items` over `processes` pool tasks:
    /// all of them under the even split; under the tutorial's, its ranges
    /// `range(items*(i-1)//P, items*int(i/P))` for i = 1...P, of which only
    /// i = P's is not empty (python/seed400.py's `share`): the last 1/P.
    static func printedItems(items: Int, processes: Int, split: String) -> Range<Int> {
        guard split == "tutorial", processes > 1 else { return 0..<items }
        return items * (processes - 1) / processes..<items
    }

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
        let printed = Self.printedItems(items: job.tasks, processes: job.shape.processes, split: split)
        var execution = Execution(
            checksum: report.checksum(of: job, printed: printed), wallSeconds: report.wallSeconds, setupSeconds: report.setupSeconds,
            workerUsage: report.usage, workerPeakKilobytes: report.peakKilobytes, ownUsage: .none)
        // The tutorial's split prints part of the items by design: the checks expect exactly those.
        execution.tasksRun = printed == 0..<job.tasks ? nil : printed
        return execution
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
    /// printed. When that digest is the one of the items it should print
    /// (`printed`: all of them, or the tutorial split's share), each printed
    /// once, its checksum is theirs; when not, a value from the digest that
    /// cannot match, so the row is written with ok=false and the cell fails,
    /// as for any model.
    func checksum(of job: Job, printed: Range<Int>) -> Checksum {
        var expectedSum: UInt64 = 0
        var expectedSquares: UInt64 = 0
        for item in printed.lazy.map(UInt64.init) {
            expectedSum &+= item
            expectedSquares &+= item &* item
        }
        guard count == printed.count, sum == expectedSum, sumOfSquares == expectedSquares else {
            return Checksum(value: mix(sum ^ mix(sumOfSquares)), taskCount: count)
        }
        var checksum = Checksum()
        for task in printed {
            checksum.add(task: task, result: job.workload.expectedResult(task: task) ?? 0)
        }
        return checksum
    }
}
