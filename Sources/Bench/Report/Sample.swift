import Workloads

/// One measured run of a cell, exactly what a `raw.csv` row holds.
struct Sample: Sendable {
    let cell: Cell
    /// Position of this run in the shuffled schedule, 1-based over measured runs.
    let order: Int
    /// Which run of its cell this is, 1-based.
    let repetition: Int
    let wallSeconds: Double
    let setupSeconds: Double
    let usage: ResourceUsage
    let maxRSSKilobytes: Int
    let checksum: Checksum
    /// The checksum matched the reference and every task ran once.
    let ok: Bool

    var cpuSeconds: Double { usage.userSeconds + usage.systemSeconds }
}
