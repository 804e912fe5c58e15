import Platform

/// A response the server owes, and when it becomes due.
struct PendingResponse {
    let due: UInt64
    let connection: ServerConnection
    let response: ServerResponse
}

/// Responses waiting out the injected latency, earliest first.
///
/// Any number of requests may wait at once with no thread each: the loop
/// keeps them here and one timerfd is armed at the earliest due time. A timer
/// heap would be the general structure, but every response waits the same
/// latency and a loop reads its requests in time order, so due times arrive
/// already sorted and a FIFO is the heap's exact special case: O(1) to add
/// and to take, no comparisons.
struct LatencyQueue {
    private var queue = TimeOrderedQueue<PendingResponse> { $0.due }

    var isEmpty: Bool { queue.isEmpty }
    var count: Int { queue.count }

    /// The earliest due time, if any response is waiting.
    var nextDue: UInt64? { queue.first?.due }

    mutating func append(_ entry: PendingResponse) {
        assert(isEmpty || entry.due >= (queue.first?.due ?? 0), "due times must not go backwards")
        queue.insert(entry)
    }

    /// The earliest entry if it is due at `now`.
    mutating func popDue(now: UInt64) -> PendingResponse? {
        guard let first = queue.first, first.due <= now else { return nil }
        return queue.removeFirst()
    }

    mutating func removeAll() {
        queue.removeAll()
    }
}
