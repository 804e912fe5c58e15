import Engine
import Harness

/// One program shape of the seed-400 experiment: P processes x T threads,
/// with the seed tutorial's own time where it published one.
struct Seed400Configuration: Sendable, Hashable {
    let processes: Int
    let threads: Int
    /// Seconds the tutorial reported for 100,000 items (Python on Windows, 2019).
    let seedSeconds: Double?

    /// The two measured in the tutorial, and three shapes around them for context.
    static let all: [Seed400Configuration] = [
        Seed400Configuration(processes: 1, threads: 1, seedSeconds: nil),
        Seed400Configuration(processes: 1, threads: 400, seedSeconds: 17),
        Seed400Configuration(processes: 4, threads: 1, seedSeconds: nil),
        Seed400Configuration(processes: 4, threads: 10, seedSeconds: nil),
        Seed400Configuration(processes: 4, threads: 400, seedSeconds: 39),
    ]

    static let oneProcess = all[1]
    static let fourProcesses = all[4]
    /// The item count the seed figures are for.
    static let seedItems = 100_000

    var shape: Shape { .processes(processes, threadsEach: threads) }

    /// `1x400`, as experiment.csv and the charts name it.
    var name: String { "\(processes)x\(threads)" }

    var description: String {
        "\(processes) \(processes == 1 ? "process" : "processes") x \(threads) \(threads == 1 ? "thread" : "threads")"
    }
}
