import Platform

/// An order-independent digest of the results of a set of tasks.
///
/// Each (task, result) pair is mixed and the mixes are added, so threads and
/// processes can fold their partial digests in any order, while a lost,
/// duplicated or mispaired task still changes the total.
public struct Checksum: Sendable, Hashable, Codable, CustomStringConvertible {
    public private(set) var value: UInt64
    public private(set) var taskCount: Int

    public init() {
        value = 0
        taskCount = 0
    }

    public init(value: UInt64, taskCount: Int) {
        self.value = value
        self.taskCount = taskCount
    }

    /// Adds the result of one task.
    public mutating func add(task: Int, result: UInt64) {
        value &+= Checksum.term(task: task, result: result)
        taskCount += 1
    }

    /// Adds a partial digest made elsewhere (another thread or process).
    public mutating func merge(_ other: Checksum) {
        value &+= other.value
        taskCount += other.taskCount
    }

    /// The contribution of one task, for callers that add terms themselves.
    @inline(__always)
    public static func term(task: Int, result: UInt64) -> UInt64 {
        mix(result ^ mix(UInt64(truncatingIfNeeded: task) &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The checksum as 18 characters, e.g. `0x00ab...`, safe from spreadsheets
    /// that would round a 64-bit decimal.
    public var description: String {
        let hex = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
