import Platform
import Workloads

/// The messages the channel and hand-off probes send: `size` bytes (at least
/// 8), the first 8 the sequence number (UInt64, little-endian), the rest a
/// fill byte that depends on it. A receiver checks both, so a message that is
/// lost, repeated, reordered, cut or mixed with another is caught, and it adds
/// `Checksum.term(seq, size)` to its checksum, so several receivers' sums
/// prove together that every message arrived exactly once.
public enum ProbeMessage {
    public static let minimumSize = 8

    @inline(__always)
    public static func fill(_ sequence: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: sequence &* 31 &+ 7)
    }

    /// A fresh message (a new buffer, as a producer makes new data).
    public static func make(_ sequence: UInt64, size: Int) -> [UInt8] {
        var message = [UInt8](repeating: fill(sequence), count: size)
        message.withUnsafeMutableBytes { $0.storeBytes(of: sequence.littleEndian, as: UInt64.self) }
        return message
    }

    /// The sequence number of a received message, or nil when its length or
    /// fill byte is not what that sequence number's message has.
    @inline(__always)
    public static func sequence(of message: UnsafeRawBufferPointer, size: Int) -> UInt64? {
        guard message.count == size else { return nil }
        let sequence = UInt64(littleEndian: message.loadUnaligned(as: UInt64.self))
        guard size == minimumSize || message[size - 1] == fill(sequence) else { return nil }
        return sequence
    }

    /// The checksum of messages `range` of `size` bytes, each received once.
    public static func expected(_ range: Range<UInt64>, size: Int) -> Checksum {
        var checksum = Checksum()
        for sequence in range { checksum.add(task: Int(sequence), result: UInt64(size)) }
        return checksum
    }

    /// Reads exactly `buffer.count` bytes; false at end of file (or an error)
    /// before the last one. Blocking, retried on EINTR.
    public static func readExactly(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            switch FileDescriptor.readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...])) {
            case let .bytes(count): offset += count
            case .wouldBlock: continue
            case .endOfFile, .failed: return false
            }
        }
        return true
    }
}

/// What a peer process reports when it is done: how many messages it
/// received and their checksum, and its CPU time since its timed part began.
/// 32 bytes: count, checksum, user µs, system µs (UInt64 little-endian each).
public struct PeerReport: Sendable, Equatable {
    public var checksum: Checksum
    public var usage: ResourceUsage

    public static let size = 32

    public init(checksum: Checksum, usage: ResourceUsage) {
        self.checksum = checksum
        self.usage = usage
    }

    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        for value in [
            UInt64(checksum.taskCount), checksum.value, UInt64(max(0, usage.userSeconds * 1e6)),
            UInt64(max(0, usage.systemSeconds * 1e6)),
        ] {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.size else { return nil }
        func word(_ index: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
        checksum = Checksum(value: word(1), taskCount: Int(word(0)))
        usage = ResourceUsage(userSeconds: Double(word(2)) / 1e6, systemSeconds: Double(word(3)) / 1e6)
    }
}
