import Workloads

/// Swift structured concurrency with a bounded window: a TaskGroup that keeps
/// at most `limit` child tasks in flight, starting the next as each finishes.
enum AsyncWindow {
    static func run<Tasks: Collection & Sendable>(tasks: Tasks, limit: Int, workload: any Workload) async throws -> Checksum
    where Tasks.Element == Int {
        precondition(limit >= 1)
        return try await withThrowingTaskGroup(of: UInt64.self) { group in
            var next = tasks.startIndex
            var inFlight = 0
            func startNext() {
                let task = tasks[next]
                next = tasks.index(after: next)
                inFlight += 1
                group.addTask {
                    Checksum.term(task: task, result: try await workload.runAsync(task: task))
                }
            }
            while next != tasks.endIndex && inFlight < limit {
                startNext()
            }
            var total: UInt64 = 0
            var count = 0
            for try await term in group {
                total &+= term
                count += 1
                if next != tasks.endIndex {
                    startNext()
                }
            }
            return Checksum(value: total, taskCount: count)
        }
    }
}
