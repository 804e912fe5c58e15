import Workloads

/// One point of the matrix: a workload with its parameters, a model, a shape
/// and a task count. Samples are runs of a cell; a summary is their statistics.
struct Cell: Sendable, Hashable, Comparable {
    /// Position in the expanded matrix: the order of tables and summary rows.
    let index: Int
    let workload: String
    let kind: WorkloadKind
    let work: WorkSize
    let parameters: WorkloadParameters
    let model: ModelName
    let shape: Shape
    let tasks: Int

    static func < (lhs: Cell, rhs: Cell) -> Bool {
        lhs.index < rhs.index
    }

    /// e.g. `xor thread 1x4 [2000000 iterations]`, for progress lines and
    /// error messages; unique within a plan.
    var label: String {
        let size = work.amount.map { " [\($0) \(work.unit)]" } ?? ""
        return "\(workload) \(model.rawValue) \(shape)\(size)"
    }
}
