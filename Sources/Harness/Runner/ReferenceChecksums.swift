import Workloads

/// The checksum every model must produce for a workload and task count:
/// analytic when the workload knows each task's result, otherwise from one
/// unmeasured serial run in this process.
final class ReferenceChecksums {
    private var cache: [Key: Checksum] = [:]

    /// Cells with the same workload, parameters and tasks share a reference.
    private struct Key: Hashable {
        let workload: String
        let parameters: ParameterValues
        let tasks: Range<Int>
    }

    /// The checksum of `tasks` of `cell`, by default all of them (0..<cell.tasks).
    func checksum(for cell: Cell, workload: any Workload, tasks: Range<Int>? = nil) throws -> Checksum {
        let tasks = tasks ?? 0..<cell.tasks
        let key = Key(workload: cell.workload, parameters: cell.parameters, tasks: tasks)
        if let known = cache[key] { return known }
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
