import Workloads

/// The checksum every model must produce for a workload and task count:
/// analytic when the workload knows each task's result, otherwise from one
/// unmeasured serial run in this process; for a workload only Python runs
/// (python-function), from one unmeasured python-serial run on the cell's
/// interpreter (`pythonReference`).
final class ReferenceChecksums {
    private var cache: [Key: Checksum] = [:]
    /// Runs a python-serial sample of the cell, unmeasured, for its checksum.
    private let pythonReference: (Cell) throws -> Checksum

    init(pythonReference: @escaping (Cell) throws -> Checksum) {
        self.pythonReference = pythonReference
    }

    /// Cells with the same workload, parameters and tasks share a
    /// reference; a Python-only workload's, with the same interpreter too.
    private struct Key: Hashable {
        let workload: String
        let parameters: ParameterValues
        let tasks: Range<Int>
        let interpreter: String?
    }

    /// The checksum of `tasks` of `cell`, by default all of them (0..<cell.tasks).
    func checksum(for cell: Cell, workload: any Workload, tasks: Range<Int>? = nil) throws -> Checksum {
        let tasks = tasks ?? 0..<cell.tasks
        let runsOnlyInPython = WorkloadRegistry.declaration(named: cell.workload)?.runsOnlyInPython == true
        let key = Key(workload: cell.workload, parameters: cell.parameters, tasks: tasks, interpreter: runsOnlyInPython ? cell.interpreter : nil)
        if let known = cache[key] { return known }
        if runsOnlyInPython {
            let checksum = try pythonReference(cell)
            cache[key] = checksum
            return checksum
        }
        var checksum = Checksum()
        var session: (any WorkloadSession)?
        for task in tasks {
            if let expected = workload.expectedResult(task: task) {
                checksum.add(task: task, result: expected)
            } else {
                if session == nil { session = try workload.makeSession() }
                checksum.add(task: task, result: try session!.run(task: task))
            }
        }
        cache[key] = checksum
        return checksum
    }
}
