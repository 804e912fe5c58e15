/// A cell that could not be measured (worker died, checksum mismatch, timeout).
public struct CellFailure: Sendable, Codable {
    public let cell: String
    public let message: String
}

/// Everything a run produced, for the report and the exit code.
public struct InvocationOutcome: Sendable {
    public var samples: [Sample] = []
    public var failures: [CellFailure] = []
    /// The cells behind `failures`: their summaries are left out, so a failed
    /// cell never looks like a measured one.
    public var failedCells: Set<Cell> = []
    public var interrupted = false
    /// Cells that were part of the plan, for "n of m cells failed".
    public var cellCount = 0

    public init() {}
}
