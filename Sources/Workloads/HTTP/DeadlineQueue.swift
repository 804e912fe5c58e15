/// When each in-flight request of the async client gives up.
///
/// Deadlines are start + a timeout that is the same for a workload, so they
/// mostly arrive in order and sit in a FIFO; a rare earlier one (another
/// timeout in the same process) is inserted in place. Finished requests are
/// dropped when they reach the front.
struct DeadlineQueue {
    struct Entry {
        let deadline: UInt64
        let connection: ClientConnection
        let generation: Int
    }

    private var entries: [Entry] = []
    private var head = 0

    mutating func append(_ entry: Entry) {
        if head < entries.count, entry.deadline < entries[entries.count - 1].deadline {
            var low = head
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].deadline <= entry.deadline { low = middle + 1 } else { high = middle }
            }
            entries.insert(entry, at: low)
        } else {
            entries.append(entry)
        }
    }

    /// Drops finished entries at the front; returns the first live one if it has expired at `now`.
    mutating func popExpired(now: UInt64) -> Entry? {
        while head < entries.count {
            let entry = entries[head]
            let isLive = entry.connection.generation == entry.generation && entry.connection.request != nil
                && entry.connection.state != .closed
            if isLive && entry.deadline > now { return nil }
            head += 1
            compact()
            if isLive { return entry }
        }
        return nil
    }

    /// Milliseconds until the front deadline (rounded up), -1 when nothing waits.
    func millisecondsUntilNext(now: UInt64) -> Int32 {
        guard head < entries.count else { return -1 }
        let deadline = entries[head].deadline
        guard deadline > now else { return 0 }
        return Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    private mutating func compact() {
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
