import Harness
import Platform
import Workloads

/// What the crossover experiment measures: tasks of one fixed time split
/// between computing and waiting in whole milliseconds, times result sizes,
/// under some models at some widths.
struct CrossoverConfiguration: Sendable {
    /// Every task takes this long, computing plus waiting: `--cpu-us` +
    /// `--wait-ms`. Whole milliseconds, because `--wait-ms` is; so the CPU
    /// shares are 0, 1/n, ..., 100% of n ms.
    var taskMilliseconds: Int
    var resultSizes: [Int]
    /// Worker counts (threads, processes, or tasks in flight): by default the
    /// core count and 4 and 16 times it.
    var widths: [Int]
    /// The models that compete (their serial baselines are added to the plan).
    var models: [String]
    var tasks: Int
    var memoryKibibytes: Int

    static let swiftModels = ["thread", "async", "process-pool"]
    static let pythonModels = ["python-thread", "python-async", "python-process-pool"]

    /// One point of the map: a CPU share and a result size.
    struct Point: Hashable, Comparable, Sendable {
        let cpuMicroseconds: Int
        let waitMilliseconds: Int
        let resultBytes: Int

        /// The computing part of the task, in percent.
        var cpuPercent: Int {
            let total = cpuMicroseconds + 1000 * waitMilliseconds
            return total == 0 ? 0 : Int((100 * Double(cpuMicroseconds) / Double(total)).rounded())
        }

        init(cpuMicroseconds: Int, waitMilliseconds: Int, resultBytes: Int) {
            self.cpuMicroseconds = cpuMicroseconds
            self.waitMilliseconds = waitMilliseconds
            self.resultBytes = resultBytes
        }

        init(_ cell: Cell) {
            self.init(
                cpuMicroseconds: cell.parameters.number("cpu-us"), waitMilliseconds: cell.parameters.number("wait-ms"),
                resultBytes: cell.parameters.number("result-bytes"))
        }

        static func < (lhs: Point, rhs: Point) -> Bool {
            (lhs.resultBytes, lhs.cpuMicroseconds) < (rhs.resultBytes, rhs.cpuMicroseconds)
        }
    }

    /// Every point: each split of the task time, at each result size.
    var points: [Point] {
        resultSizes.flatMap { bytes in
            (0...taskMilliseconds).map { computing in
                Point(cpuMicroseconds: 1000 * computing, waitMilliseconds: taskMilliseconds - computing, resultBytes: bytes)
            }
        }
    }

    /// `8 B`, `4 KiB`, `1 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }
}
