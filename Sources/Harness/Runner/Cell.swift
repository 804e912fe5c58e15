import Engine
import Workloads

/// One point of the matrix: a workload with its parameters, a model, a shape
/// and a task count. Samples are runs of a cell; a summary is their statistics.
public struct Cell: Sendable, Hashable, Comparable {
    /// Position in the expanded matrix: the order of tables and summary rows.
    public let index: Int
    public let workload: String
    public let kind: WorkloadKind
    public let work: WorkSize
    /// The workload's own parameters, as the user gave them (or their defaults).
    public let parameters: ParameterValues
    public let model: String
    public let shape: Shape
    public let tasks: Int
    /// Parameters that differ from the defaults, e.g. `iterations=4000000`:
    /// what tells this cell from its neighbours in labels and tables.
    public let distinguishing: String
    /// The CPUs its samples are pinned to (`--cpus`); nil: not pinned.
    public let cpus: [Int]?
    /// The Python interpreter of a python-* cell when `--python` lists
    /// several (the interpreter axis), by its name in the `interpreter`
    /// column (`PythonOptions.axisNames`); nil otherwise.
    public let interpreter: String?

    public init(
        index: Int, workload: String, kind: WorkloadKind, work: WorkSize, parameters: ParameterValues, model: String,
        shape: Shape, tasks: Int, distinguishing: String = "", cpus: [Int]? = nil, interpreter: String? = nil
    ) {
        self.index = index
        self.workload = workload
        self.kind = kind
        self.work = work
        self.parameters = parameters
        self.model = model
        self.shape = shape
        self.tasks = tasks
        self.distinguishing = distinguishing
        self.cpus = cpus
        self.interpreter = interpreter
    }

    public static func < (lhs: Cell, rhs: Cell) -> Bool {
        lhs.index < rhs.index
    }

    /// e.g. `xor thread 1x4` or `xor thread 1x4 [iterations=4000000]`, for
    /// progress lines and error messages; unique within a plan.
    public var label: String {
        "\(workload) \(model) \(shape)" + (distinguishing.isEmpty ? "" : " [\(distinguishing)]")
            + (cpus.map { " on CPUs \(Self.cpuList($0))" } ?? "") + (interpreter.map { " under \($0)" } ?? "")
    }

    /// The parameters of `values` that differ from the declared defaults
    /// (`quick`: the quick ones), e.g. `iterations=4000000`: a cell's
    /// `distinguishing`, drawn alike by the plan, an experiment and a reader of raw.csv.
    public static func distinguishing(_ values: ParameterValues, from declaration: WorkloadDeclaration?, quick: Bool) -> String {
        let defaults = declaration?.defaults(quick: quick) ?? values
        return ParameterValues(values.values.filter { defaults[$0.key] != $0.value }).description
    }

    /// `0+1`: CPUs as the CSV `cpus` column and charts write them (no comma, no space).
    public static func cpuList(_ cpus: [Int]) -> String {
        cpus.map(String.init).joined(separator: "+")
    }

    /// The same cell pinned to `cpus`.
    func pinned(to cpus: [Int]?) -> Cell {
        Cell(
            index: index, workload: workload, kind: kind, work: work, parameters: parameters, model: model, shape: shape,
            tasks: tasks, distinguishing: distinguishing, cpus: cpus, interpreter: interpreter)
    }

    /// The same cell on the interpreter named `interpreter` (the interpreter axis).
    func running(on interpreter: String?) -> Cell {
        Cell(
            index: index, workload: workload, kind: kind, work: work, parameters: parameters, model: model, shape: shape,
            tasks: tasks, distinguishing: distinguishing, cpus: cpus, interpreter: interpreter)
    }

    /// The same cell at another position (experiments renumber the cells they pick).
    func renumbered(_ index: Int) -> Cell {
        Cell(
            index: index, workload: workload, kind: kind, work: work, parameters: parameters, model: model, shape: shape,
            tasks: tasks, distinguishing: distinguishing, cpus: cpus, interpreter: interpreter)
    }
}
