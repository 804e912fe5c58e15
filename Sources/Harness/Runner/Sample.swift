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
    /// PSS and USS summed over the sample's processes, and the run-queue wait
    /// and migrations of their threads over the sample; nil parts were not
    /// measured (the CSV fields are then empty, never 0).
    public var account: ProcessAccount
    /// The hardware counters of bench and every process it started, over the
    /// sample; nil where the kernel gives none.
    public var counters: HardwareCounters?

    public init(
        cell: Cell, order: Int, repetition: Int, wallSeconds: Double, setupSeconds: Double, usage: ResourceUsage,
        maxRSSKilobytes: Int, checksum: Checksum, ok: Bool, taskLatency: LatencyPercentiles? = nil, queueDelay: LatencyPercentiles? = nil,
        account: ProcessAccount = ProcessAccount(memory: nil, scheduling: nil), counters: HardwareCounters? = nil
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
        self.account = account
        self.counters = counters
    }

    public var cpuSeconds: Double { usage.userSeconds + usage.systemSeconds }
}
