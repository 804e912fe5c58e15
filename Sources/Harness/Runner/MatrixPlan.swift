import Engine
import Platform
import Workloads

/// The matrix expanded into cells.
public struct MatrixPlan: Sendable {
    public let options: MatrixOptions
    public let cells: [Cell]
    /// Parameters the user gave that no selected workload declares: a
    /// one-line warning each, not silence.
    public let unusedParameters: [String]

    /// Expands workloads x their parameter combinations x models x shapes.
    /// Serial appears once per workload and combination, whatever the worker
    /// list, because it has one shape.
    public init(_ options: MatrixOptions) throws {
        self.options = options
        var cells: [Cell] = []
        var used: Set<String> = []
        for name in options.workloads {
            guard let declaration = WorkloadRegistry.declaration(named: name) else {
                throw BenchError.usage(
                    "unknown workload '\(name)'", fix: "choose from \(WorkloadRegistry.names.joined(separator: ", "))")
            }
            used.formUnion(declaration.parameters.map(\.name))
            for values in Self.combinations(of: declaration, options: options) {
                let work: WorkSize
                do {
                    work = try declaration.make(values).work
                } catch let error as any ReportableError {
                    throw BenchError.usage(error.what, fix: error.fix)
                }
                let distinguishing = Cell.distinguishing(values, from: declaration, quick: options.quick)
                for modelName in options.models {
                    guard let model = ModelCatalog.model(named: modelName) else {
                        throw BenchError.usage("unknown model '\(modelName)'", fix: "choose from \(ModelCatalog.names.joined(separator: ", "))")
                    }
                    if let reason = model.unsupported(declaration) {
                        throw BenchError.usage("\(modelName) cannot run \(name): \(reason)", fix: "leave \(name) or \(modelName) out of the matrix")
                    }
                    for shape in model.shapes(workers: options.workers, processes: options.processes)
                    where !cells.contains(where: { $0.workload == name && $0.parameters == values && $0.model == modelName && $0.shape == shape }) {
                        cells.append(Cell(
                            index: cells.count, workload: name, kind: declaration.kind, work: work, parameters: values,
                            model: modelName, shape: shape, tasks: options.taskCount(for: declaration),
                            distinguishing: distinguishing))
                    }
                }
            }
        }
        // The interpreter axis: every python-* cell once per interpreter (Swift's once).
        if options.python.isAxis {
            let names = options.python.axisNames
            cells = cells.flatMap { cell in
                ModelCatalog.model(named: cell.model) is PythonDriverModel ? names.map { cell.running(on: $0) } : [cell]
            }.enumerated().map { $1.renumbered($0) }
        }
        // The cores axis: every cell once per CPU set, renumbered in order.
        self.cells = options.cpuSets.isEmpty
            ? cells
            : options.cpuSets.flatMap { set in cells.map { $0.pinned(to: set) } }.enumerated().map { $1.renumbered($0) }
        unusedParameters = options.parameterValues.keys.filter { !used.contains($0) }.sorted()
        try MemoryFit.check(self.cells)
    }

    /// A plan of cells chosen one by one (an experiment's configurations)
    /// rather than a cross product; their indices are renumbered in order.
    public init(_ options: MatrixOptions, cells: [Cell]) {
        self.options = options
        self.cells = cells.enumerated().map { $1.renumbered($0) }
        unusedParameters = []
    }

    /// Every combination of the workload's scanned parameter values.
    static func combinations(of declaration: WorkloadDeclaration, options: MatrixOptions) -> [ParameterValues] {
        var combinations = [ParameterValues()]
        for parameter in declaration.parameters {
            let values = options.values(of: parameter)
            combinations = combinations.flatMap { partial in
                values.map { value in
                    var next = partial
                    next[parameter.name] = value
                    return next
                }
            }
        }
        return combinations
    }

    /// Whether any cell runs on worker processes (which may need the fork server).
    public var usesWorkerProcesses: Bool {
        cells.contains { ModelCatalog.model(named: $0.model)?.usesWorkerProcesses ?? false }
    }
}
