import Engine
import Platform
import Workloads

/// One measured run of a cell, exactly what a `raw.csv` row holds.
public struct Sample: Sendable {
    public let cell: Cell
    /// Position of this sample in the shuffled schedule, 1-based over measured samples.
    public let order: Int
    /// Which sample of its cell this is, 1-based.
    public let repetition: Int
    public let wallSeconds: Double
    public let setupSeconds: Double
    public let usage: ResourceUsage
    public let maxRSSKilobytes: Int
    public let checksum: Checksum
    /// The checksum matched the reference and every task ran once.
    public let ok: Bool
    /// The median and 99th percentile of one task's own duration; nil where not taken.
    public var taskLatency: LatencyPercentiles?
    /// The same of each task's wait from the sample's start until a worker took it.
    public var queueDelay: LatencyPercentiles?

    public init(
        cell: Cell, order: Int, repetition: Int, wallSeconds: Double, setupSeconds: Double, usage: ResourceUsage,
        maxRSSKilobytes: Int, checksum: Checksum, ok: Bool, taskLatency: LatencyPercentiles? = nil, queueDelay: LatencyPercentiles? = nil
    ) {
        self.cell = cell
        self.order = order
        self.repetition = repetition
        self.wallSeconds = wallSeconds
        self.setupSeconds = setupSeconds
        self.usage = usage
        self.maxRSSKilobytes = maxRSSKilobytes
        self.checksum = checksum
        self.ok = ok
        self.taskLatency = taskLatency
        self.queueDelay = queueDelay
    }

    public var cpuSeconds: Double { usage.userSeconds + usage.systemSeconds }
}
