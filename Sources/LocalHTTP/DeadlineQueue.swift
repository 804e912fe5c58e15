import Platform

/// When each in-flight request of the async client gives up.
///
/// Deadlines are start + a timeout that is the same for a workload, so they
/// mostly arrive in order; a rare earlier one (another timeout in the same
/// process) is inserted in place. Finished requests are dropped when they
/// reach the front.
struct DeadlineQueue {
    /// One request's deadline; `generation` tells a reused connection's later request apart.
    struct Entry {
        let deadline: UInt64
        let connection: ClientConnection
        let generation: Int
    }

    private var queue = TimeOrderedQueue<Entry> { $0.deadline }

    mutating func append(_ entry: Entry) {
        queue.insert(entry)
    }

    /// Drops finished entries at the front; returns the first live one if it has expired at `now`.
    mutating func popExpired(now: UInt64) -> Entry? {
        while let entry = queue.first {
            let isLive = entry.connection.generation == entry.generation && entry.connection.request != nil
                && entry.connection.state != .closed
            if isLive && entry.deadline > now { return nil }
            _ = queue.removeFirst()
            if isLive { return entry }
        }
        return nil
    }

    /// Milliseconds until the front deadline (rounded up), -1 when nothing waits.
    func millisecondsUntilNext(now: UInt64) -> Int32 {
        guard let deadline = queue.first?.deadline else { return -1 }
        guard deadline > now else { return 0 }
        return Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }
}
