import Engine
import Workloads

/// Cells that measured the same work: one workload with one set of
/// parameters and one task count. Tables, verdicts and fits are per group.
public struct CellGroup: Hashable, Sendable, Comparable {
    public let workload: String
    public let parameters: ParameterValues
    public let tasks: Int
    /// The CPU set the cells were pinned to (`--cpus`), nil when not pinned:
    /// runs on different sets are different questions, never pooled.
    public let cpus: [Int]?
    /// The smallest index of its cells: groups keep the matrix's order.
    let order: Int

    init(_ cell: Cell) {
        workload = cell.workload
        parameters = cell.parameters
        tasks = cell.tasks
        cpus = cell.cpus
        order = cell.index
    }

    public static func == (lhs: CellGroup, rhs: CellGroup) -> Bool {
        lhs.workload == rhs.workload && lhs.parameters == rhs.parameters && lhs.tasks == rhs.tasks && lhs.cpus == rhs.cpus
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(workload)
        hasher.combine(parameters)
        hasher.combine(tasks)
        hasher.combine(cpus)
    }

    public static func < (lhs: CellGroup, rhs: CellGroup) -> Bool {
        lhs.order < rhs.order
    }

    /// The groups of `cells`, in matrix order.
    static func of(_ cells: [Cell]) -> [CellGroup] {
        var groups: [CellGroup: Int] = [:]
        for cell in cells.sorted() where groups[CellGroup(cell)] == nil {
            groups[CellGroup(cell)] = cell.index
        }
        return groups.keys.map { group in
            CellGroup(workload: group.workload, parameters: group.parameters, tasks: group.tasks, cpus: group.cpus, order: groups[group]!)
        }.sorted()
    }

    private init(workload: String, parameters: ParameterValues, tasks: Int, cpus: [Int]?, order: Int) {
        self.workload = workload
        self.parameters = parameters
        self.tasks = tasks
        self.cpus = cpus
        self.order = order
    }

    /// e.g. `xor, 64 tasks, iterations=2000000`.
    public var label: String {
        "\(workload), \(tasks) tasks" + (parameters.description.isEmpty ? "" : ", \(parameters.description)")
            + (cpus.map { ", on CPUs \(Cell.cpuList($0))" } ?? "")
    }
}

