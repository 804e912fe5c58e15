/// One measured floor of this machine: the repeated timings of one probe.
public struct FloorMeasurement: Sendable {
    public let name: String
    /// What one sample means, e.g. "per round trip".
    public let unit: Unit
    /// One value per repetition, in seconds (or nanoseconds for `.nanosecondsPerIteration`).
    public let samples: [Double]

    /// How samples are expressed.
    public enum Unit: String, Sendable {
        case seconds = "s"
        case nanosecondsPerIteration = "ns/iteration"
    }

    public var statistics: Statistics? { Statistics(samples) }

    /// The sample statistic in a human unit for the table.
    public func display(_ value: Double) -> String {
        switch unit {
        case .seconds: TerminalTable.duration(value)
        case .nanosecondsPerIteration: String(format: "%.3f ns/iteration", value)
        }
    }
}
