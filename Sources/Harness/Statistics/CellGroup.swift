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
    /// The interpreter of its python-* cells on the interpreter axis (each
    /// has its own python-serial baseline), nil off it.
    public let interpreter: String?
    /// The smallest index of its cells: groups keep the matrix's order.
    let order: Int

    init(_ cell: Cell) {
        workload = cell.workload
        parameters = cell.parameters
        tasks = cell.tasks
        cpus = cell.cpus
        interpreter = cell.interpreter
        order = cell.index
    }

    public static func == (lhs: CellGroup, rhs: CellGroup) -> Bool {
        lhs.workload == rhs.workload && lhs.parameters == rhs.parameters && lhs.tasks == rhs.tasks && lhs.cpus == rhs.cpus
            && lhs.interpreter == rhs.interpreter
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(workload)
        hasher.combine(parameters)
        hasher.combine(tasks)
        hasher.combine(cpus)
        hasher.combine(interpreter)
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
            CellGroup(
                workload: group.workload, parameters: group.parameters, tasks: group.tasks, cpus: group.cpus, interpreter: group.interpreter,
                order: groups[group]!)
        }.sorted()
    }

    private init(workload: String, parameters: ParameterValues, tasks: Int, cpus: [Int]?, interpreter: String?, order: Int) {
        self.workload = workload
        self.parameters = parameters
        self.tasks = tasks
        self.cpus = cpus
        self.interpreter = interpreter
        self.order = order
    }

    /// e.g. `xor, 64 tasks, iterations=2000000`.
    public var label: String {
        "\(workload), \(tasks) tasks" + (parameters.description.isEmpty ? "" : ", \(parameters.description)")
            + (cpus.map { ", on CPUs \(Cell.cpuList($0))" } ?? "") + (interpreter.map { ", under \($0)" } ?? "")
    }
}

