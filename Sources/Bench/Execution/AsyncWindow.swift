import Workloads

/// Swift structured concurrency with a bounded window: a TaskGroup that keeps
/// at most `limit` child tasks in flight, starting the next as each finishes.
enum AsyncWindow {
    static func run(tasks: Range<Int>, limit: Int, workload: any Workload) async throws -> Checksum {
        precondition(limit >= 1)
        return try await withThrowingTaskGroup(of: UInt64.self) { group in
            var nextTask = tasks.lowerBound
            func startNext() {
                let task = nextTask
                nextTask += 1
                group.addTask {
                    Checksum.term(task: task, result: try await workload.runAsync(task: task))
                }
            }
            while nextTask < tasks.upperBound && nextTask - tasks.lowerBound < limit {
                startNext()
            }
            var total: UInt64 = 0
            var count = 0
            for try await term in group {
                total &+= term
                count += 1
                if nextTask < tasks.upperBound {
                    startNext()
                }
            }
            return Checksum(value: total, taskCount: count)
        }
    }
}
