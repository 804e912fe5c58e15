import Platform
import Workloads

/// Swift structured concurrency with a bounded window: a TaskGroup that keeps
/// at most `limit` child tasks in flight, starting the next as each finishes.
enum AsyncWindow {
    /// What one child task brings back: its checksum term and, when timed,
    /// when it started and ended (the group's loop records them: no lock).
    private struct Outcome: Sendable {
        let term: UInt64
        let start: UInt64
        let end: UInt64
    }

    /// Runs `tasks`; with `timedFrom`, also each task's duration (suspended
    /// time included: that is how long the task took) and its wait since that origin.
    static func run<Tasks: Collection & Sendable>(
        tasks: Tasks, limit: Int, workload: any Workload, timedFrom origin: UInt64? = nil
    ) async throws -> (checksum: Checksum, taskTimes: TaskTimes?) where Tasks.Element == Int {
        precondition(limit >= 1)
        let timed = origin != nil
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = tasks.startIndex
            var inFlight = 0
            func startNext() {
                let task = tasks[next]
                next = tasks.index(after: next)
                inFlight += 1
                group.addTask {
                    let start = timed ? MonotonicClock.now() : 0
                    let term = Checksum.term(task: task, result: try await workload.runAsync(task: task))
                    return Outcome(term: term, start: start, end: timed ? MonotonicClock.now() : 0)
                }
            }
            while next != tasks.endIndex && inFlight < limit {
                startNext()
            }
            var total: UInt64 = 0
            var count = 0
            var times = timed ? TaskTimes() : nil
            for try await outcome in group {
                total &+= outcome.term
                count += 1
                if let origin { times?.record(origin: origin, start: outcome.start, end: outcome.end) }
                if next != tasks.endIndex {
                    startNext()
                }
            }
            return (Checksum(value: total, taskCount: count), times)
        }
    }
}
