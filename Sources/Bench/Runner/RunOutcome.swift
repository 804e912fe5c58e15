/// A cell that could not be measured (worker died, checksum mismatch, timeout).
struct CellFailure: Sendable, Codable {
    let cell: String
    let message: String
}

/// Everything a run produced, for the report and the exit code.
struct RunOutcome: Sendable {
    var samples: [Sample] = []
    var failures: [CellFailure] = []
    /// The cells behind `failures`: their summaries are left out, so a failed
    /// cell never looks like a measured one.
    var failedCells: Set<Cell> = []
    var interrupted = false
    /// Cells that were part of the plan, for "n of m cells failed".
    var cellCount = 0
}
