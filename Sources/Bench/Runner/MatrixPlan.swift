import Workloads

/// The matrix expanded into cells, each with the workload it runs.
struct MatrixPlan: Sendable {
    let options: MatrixOptions
    let cells: [Cell]

    /// Expands workloads x models x shapes. Serial appears once per workload,
    /// whatever the worker list, because it has one shape.
    init(_ options: MatrixOptions) throws {
        self.options = options
        var cells: [Cell] = []
        for name in options.workloads {
            guard let descriptor = WorkloadRegistry.descriptor(named: name) else {
                throw BenchError.usage(
                    "unknown workload '\(name)'", fix: "choose from \(WorkloadRegistry.names.joined(separator: ", "))")
            }
            let workload: any Workload
            do {
                workload = try descriptor.make(options.parameters)
            } catch let error as WorkloadError {
                throw BenchError.usage(error.description, fix: "see 'bench list' for valid parameters")
            }
            for model in options.models {
                for shape in ModelRegistry.shapes(of: model, workers: options.workers, processes: options.processes)
                where !cells.contains(where: { $0.workload == name && $0.model == model && $0.shape == shape }) {
                    cells.append(Cell(
                        index: cells.count, workload: name, kind: descriptor.kind, work: workload.work,
                        parameters: options.parameters, model: model, shape: shape,
                        tasks: options.taskCount(for: descriptor)))
                }
            }
        }
        self.cells = cells
    }

    /// A plan of cells chosen one by one (an experiment's configurations)
    /// rather than a cross product; their indices are renumbered in order.
    init(_ options: MatrixOptions, cells: [Cell]) {
        self.options = options
        self.cells = cells.enumerated().map { index, cell in
            Cell(
                index: index, workload: cell.workload, kind: cell.kind, work: cell.work, parameters: cell.parameters,
                model: cell.model, shape: cell.shape, tasks: cell.tasks)
        }
    }
}
