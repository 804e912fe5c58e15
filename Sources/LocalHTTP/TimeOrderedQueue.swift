import Platform

/// Entries kept in order of a time and taken from the front.
///
/// Times here nearly always arrive in order (every request of a workload
/// waits the same latency, or times out after the same while), so the queue
/// is a FIFO over an array with a moving head: O(1) to add and to take. A
/// rare earlier entry is inserted in place by binary search.
public struct TimeOrderedQueue<Entry> {
    private var entries: [Entry] = []
    private var head = 0
    private let time: (Entry) -> UInt64

    public init(time: @escaping (Entry) -> UInt64) {
        self.time = time
    }

    public var isEmpty: Bool { head == entries.count }
    public var count: Int { entries.count - head }
    public var first: Entry? { isEmpty ? nil : entries[head] }

    public mutating func insert(_ entry: Entry) {
        guard !isEmpty, time(entry) < time(entries[entries.count - 1]) else {
            entries.append(entry)
            return
        }
        var low = head
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if time(entries[middle]) <= time(entry) { low = middle + 1 } else { high = middle }
        }
        entries.insert(entry, at: low)
    }

    /// Takes the front entry; the queue must not be empty.
    public mutating func removeFirst() -> Entry {
        precondition(!isEmpty)
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

    public mutating func removeAll() {
        entries.removeAll()
        head = 0
    }
}
