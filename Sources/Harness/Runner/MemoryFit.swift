import Engine
import Platform
import Workloads

/// Whether a cell's memory fits in this machine's, for workloads that hold
/// memory per task (`WorkloadDeclaration.memoryPerTask`) or per process
/// (`memoryPerProcess`): checked when the plan is made, so that a matrix that
/// would swap, or be killed by the kernel halfway, is refused before anything starts.
enum MemoryFit {
    /// Throws a usage error for the first cell whose tasks in flight, or whose
    /// processes' own copies, need more than `available` bytes (default: what
    /// the kernel says is available now).
    static func check(_ cells: [Cell], available: Int? = SystemMemory.availableBytes) throws {
        guard let available else { return }
        for cell in cells {
            guard let declaration = WorkloadRegistry.declaration(named: cell.workload) else { continue }
            if let perProcess = declaration.memoryPerProcess?(cell.parameters), perProcess > 0 {
                try checkCopies(of: perProcess, for: cell, available: available)
            }
            guard let perTask = declaration.memoryPerTask?(cell.parameters), perTask > 0 else { continue }
            let atOnce = min(cell.tasks, cell.shape.workers)
            let (needed, overflow) = perTask.multipliedReportingOverflow(by: atOnce)
            guard overflow || needed > available else { continue }
            throw BenchError.usage(
                "\(cell.label): \(atOnce) tasks at once x \(SystemMemory.describe(perTask)) each need "
                    + (overflow ? "more memory than can be counted" : SystemMemory.describe(needed))
                    + ", more than the \(SystemMemory.describe(available)) of RAM available",
                fix: "lower the memory per task (e.g. --memory-kib) or --workers")
        }
    }

    /// The processes that build their own copy of what the workload builds once
    /// per process (`Workload.setUpProcess`): bench itself for a model that runs
    /// its tasks there, each worker process for a Swift pool; for the others
    /// (a Python driver and its pool, the distributed workers) one per process
    /// and one more, an upper bound where forked processes share the driver's.
    static func copies(for cell: Cell) -> Int {
        guard let model = ModelRegistry.model(named: cell.model) else { return 1 + cell.shape.processes }
        return model.runsTasksInThisProcess ? 1 : cell.shape.processes
    }

    private static func checkCopies(of perProcess: Int, for cell: Cell, available: Int) throws {
        let copies = copies(for: cell)
        let (needed, overflow) = perProcess.multipliedReportingOverflow(by: copies)
        guard overflow || needed > available else { return }
        let largest = (available / copies) >> 20
        throw BenchError.usage(
            "\(cell.label): \(copies) \(copies == 1 ? "copy" : "copies") of \(SystemMemory.describe(perProcess)) built per process need "
                + (overflow ? "more memory than can be counted" : SystemMemory.describe(needed))
                + ", more than the \(SystemMemory.describe(available)) of RAM available now",
            fix: "give --shared-mib from 0 to \(largest) for this cell, or fewer --processes")
    }
}
