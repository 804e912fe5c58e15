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
    private var entries: [PendingResponse] = []
    private var head = 0

    var isEmpty: Bool { head == entries.count }
    var count: Int { entries.count - head }

    /// The earliest due time, if any response is waiting.
    var nextDue: UInt64? { isEmpty ? nil : entries[head].due }

    mutating func append(_ entry: PendingResponse) {
        assert(isEmpty || entry.due >= entries[entries.count - 1].due, "due times must not go backwards")
        entries.append(entry)
    }

    /// The earliest entry if it is due at `now`.
    mutating func popDue(now: UInt64) -> PendingResponse? {
        guard !isEmpty, entries[head].due <= now else { return nil }
        let entry = entries[head]
        head += 1
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= entries.count {
            // Drop the taken prefix now and then, so a queue that never empties stays bounded.
            entries.removeFirst(head)
            head = 0
        }
        return entry
    }

    mutating func removeAll() {
        entries.removeAll()
        head = 0
    }
}
