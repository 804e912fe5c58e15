/// Turns the bytes a Redis server sends into `RESPValue`s, however the reads
/// cut them: bytes are appended as they arrive, and `next()` returns a value
/// only once all of it is there, consuming nothing otherwise.
public struct RESPParser {
    private var buffer: [UInt8] = []
    private var head = 0

    /// Longest bulk string and largest array accepted: far above anything the
    /// broker protocol sends, low enough that a corrupt length cannot make
    /// the client allocate gigabytes.
    static let maximumBulkBytes = 64 * 1024 * 1024
    static let maximumElements = 16 * 1024 * 1024
    /// Arrays nest this deep at most (XREADGROUP replies nest four deep).
    static let maximumDepth = 16

    public init() {}

    /// Bytes received and not yet returned as values.
    public var pendingByteCount: Int { buffer.count - head }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if head > 0 && head >= buffer.count / 2 {
            buffer.removeFirst(head)
            head = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next whole value, or nil until more bytes arrive. Throws for bytes
    /// that are not RESP; the stream cannot be trusted after that.
    public mutating func next() throws(RESPProtocolError) -> RESPValue? {
        var position = head
        guard let value = try parse(at: &position, depth: 0) else { return nil }
        head = position
        return value
    }

    /// One value starting at `position`, advancing it past the value; nil
    /// (and `position` wherever) when the value is not complete yet.
    private func parse(at position: inout Int, depth: Int) throws(RESPProtocolError) -> RESPValue? {
        guard position < buffer.count else { return nil }
        let kind = buffer[position]
        guard let line = lineEnd(after: position + 1) else { return nil }
        let text = String(decoding: buffer[(position + 1)..<line], as: UTF8.self)
        position = line + 2
        switch kind {
        case UInt8(ascii: "+"):
            return .simple(text)
        case UInt8(ascii: "-"):
            return .error(text)
        case UInt8(ascii: ":"):
            guard let value = Int(text) else { throw RESPProtocolError("integer reply '\(text.prefix(40))'") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(text), length >= -1, length <= Self.maximumBulkBytes else {
                throw RESPProtocolError("bulk string length '\(text.prefix(40))'")
            }
            if length == -1 { return .null }
            guard position + length + 2 <= buffer.count else { return nil }
            guard buffer[position + length] == 13, buffer[position + length + 1] == 10 else {
                throw RESPProtocolError("bulk string of \(length) bytes not followed by CRLF")
            }
            let payload = Array(buffer[position..<(position + length)])
            position += length + 2
            return .bulk(payload)
        case UInt8(ascii: "*"):
            guard let count = Int(text), count >= -1, count <= Self.maximumElements else {
                throw RESPProtocolError("array length '\(text.prefix(40))'")
            }
            if count == -1 { return .null }
            guard depth < Self.maximumDepth else { throw RESPProtocolError("arrays nested more than \(Self.maximumDepth) deep") }
            var values: [RESPValue] = []
            values.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let value = try parse(at: &position, depth: depth + 1) else { return nil }
                values.append(value)
            }
            return .array(values)
        default:
            throw RESPProtocolError("type byte \(kind) ('\(Character(Unicode.Scalar(kind)))')")
        }
    }

    /// The index of the CR of the first CRLF at or after `start`; nil if none yet.
    private func lineEnd(after start: Int) -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

/// Bytes from the broker that are not RESP: the peer is not Redis (or not one
/// this client understands), and the connection is closed.
public struct RESPProtocolError: Error, Sendable, CustomStringConvertible {
    public let detail: String

    init(_ detail: String) {
        self.detail = "unexpected " + detail
    }

    public var description: String { detail }
}
