import Synchronization

/// Where the threads of a team take their next task index from.
public protocol TaskSource: Sendable {
    /// The next task to run, or nil when there is none left.
    func next() -> Int?
}

/// A shared queue of the task indices in a range: one atomic counter that
/// every thread advances, so each index is handed out exactly once.
public final class RangeTaskQueue: TaskSource {
    private let cursor: Atomic<Int>
    private let end: Int

    public init(_ range: Range<Int>) {
        cursor = Atomic(range.lowerBound)
        end = range.upperBound
    }

    public func next() -> Int? {
        let index = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < end ? index : nil
    }
}
