/// One measured floor of this machine: the repeated timings of one probe.
struct FloorMeasurement: Sendable {
    let name: String
    /// What one sample means, e.g. "per round trip".
    let unit: Unit
    /// One value per repetition, in seconds (or nanoseconds for `.nanosecondsPerIteration`).
    let samples: [Double]

    /// How samples are expressed.
    enum Unit: String, Sendable {
        case seconds = "s"
        case nanosecondsPerIteration = "ns/iteration"
    }

    var statistics: Statistics? { Statistics(samples) }

    /// The sample statistic in a human unit for the table.
    func display(_ value: Double) -> String {
        switch unit {
        case .seconds: TerminalTable.duration(value)
        case .nanosecondsPerIteration: String(format: "%.3f ns/iteration", value)
        }
    }
}
