import Platform

/// The framing of the pool's pipe protocol, shared by both directions.
///
/// Every message is one frame: an 8-byte header, then `length` payload bytes.
///
///     byte 0     magic 0xBE        (a stray write on the pipe is caught at once)
///     byte 1     protocol version  (a stale worker binary is caught at once)
///     byte 2     kind              (which message; see ParentMessage, WorkerMessage)
///     byte 3     0                 (reserved)
///     bytes 4-7  payload length, UInt32 little-endian, at most `maxPayload`
///
/// Integers in payloads are 64-bit little-endian. The hot messages (task
/// ranges, results) have fixed sizes, so decoding them allocates nothing.
enum WireFormat {
    static let magic: UInt8 = 0xBE
    static let version: UInt8 = 3
    static let headerSize = 8
    /// Room for the largest task result (16 MiB, `--result-bytes`) and its
    /// task index; the other messages are a few hundred bytes at most. A
    /// larger length means the stream is corrupt, not that a big message is coming.
    static let maxPayload = (16 << 20) + 8

    /// Appends a header for a payload of `length` bytes.
    static func appendHeader(kind: UInt8, length: Int, to bytes: inout [UInt8]) {
        precondition(length <= maxPayload, "pool message too large")
        bytes.append(magic)
        bytes.append(version)
        bytes.append(kind)
        bytes.append(0)
        appendUInt32(UInt32(length), to: &bytes)
    }

    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func appendInt64(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func appendUInt64(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func uint64(_ payload: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    static func int64(_ payload: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    /// Throws unless `payload` is exactly `size` bytes, for fixed-size messages.
    static func expectSize(_ payload: UnsafeRawBufferPointer, _ size: Int, for name: String) throws {
        guard payload.count == size else {
            throw ProtocolError("\(name) message has \(payload.count) payload bytes, expected \(size)")
        }
    }
}

/// A message on the pool's pipe that breaks the protocol: the stream cannot
/// be trusted after it, so the run fails (it is never a crash).
struct ProtocolError: ReportableError, Equatable {
    let what: String

    init(_ what: String) {
        self.what = what
    }

    var fix: String { "check that \(HelperExecutable.environmentVariable), if set, is this build's bench-worker" }
    var exitCode: ExitCode { .runFailed }
}

/// One direction's message set: decoded from a frame, encoded into bytes.
protocol WireMessage {
    /// Builds the message from a frame's kind and payload, or throws `ProtocolError`.
    static func decode(kind: UInt8, payload: UnsafeRawBufferPointer) throws -> Self
    /// Appends the whole frame (header and payload).
    func encode(into bytes: inout [UInt8])
}

extension WireMessage {
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }
}

/// Turns a byte stream, arriving in reads of any size, into messages.
///
/// Bytes are appended as they are read; `next()` yields each complete frame's
/// message and nil when the rest has not arrived yet; `finish()` says whether
/// the stream ended cleanly between frames.
struct FrameDecoder<Message: WireMessage> {
    private var buffer: [UInt8] = []
    private var start = 0

    init() {}

    /// Bytes received but not yet decoded.
    var pendingByteCount: Int { buffer.count - start }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Compact only when the consumed prefix dominates, so appending stays amortized O(1).
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete message, or nil if more bytes are needed.
    mutating func next() throws -> Message? {
        let available = buffer.count - start
        guard available >= WireFormat.headerSize else { return nil }
        let (message, consumed): (Message?, Int) = try buffer.withUnsafeBytes { all in
            let header = UnsafeRawBufferPointer(rebasing: all[start..<(start + WireFormat.headerSize)])
            guard header[0] == WireFormat.magic else {
                throw ProtocolError("bad frame magic 0x\(String(header[0], radix: 16)) (the stream is corrupt)")
            }
            guard header[1] == WireFormat.version else {
                throw ProtocolError(
                    "protocol version \(header[1]), expected \(WireFormat.version) (is the worker a different build of bench?)")
            }
            guard header[3] == 0 else {
                throw ProtocolError("reserved header byte is \(header[3]), expected 0 (the stream is corrupt)")
            }
            let length = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            guard length <= WireFormat.maxPayload else {
                throw ProtocolError("frame length \(length) exceeds \(WireFormat.maxPayload) (the stream is corrupt)")
            }
            guard available >= WireFormat.headerSize + length else { return (nil, 0) }
            let payloadStart = start + WireFormat.headerSize
            let payload = UnsafeRawBufferPointer(rebasing: all[payloadStart..<(payloadStart + length)])
            return (try Message.decode(kind: header[2], payload: payload), WireFormat.headerSize + length)
        }
        start += consumed
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return message
    }

    /// Call at end of stream: throws if it stopped inside a frame.
    func finish() throws {
        let left = buffer.count - start
        if left > 0 {
            throw ProtocolError("stream ended inside a message (\(left) bytes of an incomplete frame)")
        }
    }
}
