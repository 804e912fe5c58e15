import Platform
import Workloads

/// Whether the tasks a cell runs at once fit in this machine's memory, for
/// workloads that hold memory per task (`WorkloadDeclaration.memoryPerTask`):
/// checked when the plan is made, so that a matrix that would swap, or be
/// killed by the kernel halfway, is refused before anything starts.
enum MemoryFit {
    /// Throws a usage error for the first cell whose tasks in flight need
    /// more than `available` bytes (default: what the kernel says is available now).
    static func check(_ cells: [Cell], available: Int? = SystemMemory.availableBytes) throws {
        guard let available else { return }
        for cell in cells {
            guard let perTask = WorkloadRegistry.declaration(named: cell.workload)?.memoryPerTask?(cell.parameters), perTask > 0 else {
                continue
            }
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
}
