import Platform

/// The body the server sends for `GET /task/<n>`: `task <n>\n` followed by a
/// fixed printable pattern, `bytes` bytes in all.
///
/// The prefix makes every task's body different, so a response delivered to
/// the wrong request changes the checksum; the pattern is the same for every
/// task, so the server copies it rather than computing bytes per request.
/// Clients digest what they receive and `HTTPBody.digest(task:bytes:)`
/// computes the same value without a server, which keeps the reference
/// checksum analytic.
public enum HTTPBody {
    /// 64 printable bytes ending in a newline, so a body read by a person (curl) looks like text.
    private static let line = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+\n".utf8)

    /// The task-independent pattern, `bytes` bytes long (a route hook's patterned bodies use it too).
    public static func pattern(bytes: Int) -> [UInt8] {
        (0..<bytes).map { line[$0 & 63] }
    }

    /// The part that differs per task.
    static func prefix(task: Int) -> [UInt8] {
        Array("task \(task)\n".utf8)
    }

    /// Appends the body of `task` to `output`, taking the tail from `pattern`
    /// (which must be `pattern(bytes:)` of the body size).
    static func append(task: Int, pattern: [UInt8], to output: inout [UInt8]) {
        let prefix = prefix(task: task)
        let head = min(prefix.count, pattern.count)
        output.append(contentsOf: prefix[0..<head])
        output.append(contentsOf: pattern[head...])
    }

    /// The body of `task`, whole.
    public static func body(task: Int, bytes: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes)
        append(task: task, pattern: pattern(bytes: bytes), to: &output)
        return output
    }

    /// What a client's digest of that body comes to: a task's expected result.
    public static func digest(task: Int, bytes: Int) -> UInt64 {
        var digest = BodyDigest()
        body(task: task, bytes: bytes).withUnsafeBytes { digest.update($0) }
        return digest.value
    }
}

/// A running digest of body bytes, fed in whatever pieces the socket
/// delivers: FNV-1a over the bytes, finished with the length.
///
/// Byte-at-a-time so that chunk boundaries cannot change the result; about a
/// nanosecond per byte, small beside a request even for large bodies.
public struct BodyDigest: Sendable {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325
    public private(set) var count = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var hash = state
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        state = hash
        count += bytes.count
    }

    public var value: UInt64 {
        mix(state ^ UInt64(truncatingIfNeeded: count))
    }
}
