import Workloads

/// How a worker process runs its share of the tasks.
public enum WorkerMode: Sendable, Equatable {
    /// A thread team of this many threads (1 for process-pool, T for hybrid).
    case threads(Int)
    /// A TaskGroup keeping at most this many tasks in flight (process-async).
    case async(inFlight: Int)

    /// Tasks the worker runs at once.
    var width: Int {
        switch self {
        case let .threads(count), let .async(count): count
        }
    }
}

/// What a worker needs to rebuild the parent's workload and run its share:
/// the first message on its input pipe. The parameters travel in their
/// declared `params` form, and the worker parses them with the workload's
/// own declarations, so a new parameter needs no change here.
///
///     byte 0        mode: 1 threads, 2 async
///     bytes 1-8     width (threads, or tasks in flight), Int64 little-endian
///     bytes 9-16    the parent's start (MonotonicClock) to time tasks from, 0: no task timing
///     bytes 17-20   length of the workload name, then the name (UTF-8)
///     next 4 bytes  length of the parameters, then the parameters (UTF-8)
struct WorkerSetup: Equatable, Sendable {
    var workload: String
    /// `ParameterValues.description` of the resolved parameters.
    var parameters: String
    var mode: WorkerMode
    /// When the parent's sample began (CLOCK_MONOTONIC is one clock for every
    /// process of the machine), so a worker can time each task's queueing
    /// delay from it; nil: the worker times no task.
    var timingOrigin: UInt64? = nil

    func encode(into bytes: inout [UInt8]) {
        switch mode {
        case .threads: bytes.append(1)
        case .async: bytes.append(2)
        }
        WireFormat.appendInt64(Int64(mode.width), to: &bytes)
        WireFormat.appendUInt64(timingOrigin ?? 0, to: &bytes)
        for text in [workload, parameters] {
            let utf8 = Array(text.utf8)
            WireFormat.appendUInt32(UInt32(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    static func decode(_ payload: UnsafeRawBufferPointer) throws(ProtocolError) -> WorkerSetup {
        guard payload.count >= 25 else { throw ProtocolError("setup message of \(payload.count) bytes is too short") }
        let width = WireFormat.int64(payload, at: 1)
        guard width >= 1, width <= 1_000_000 else { throw ProtocolError("setup message asks for a width of \(width)") }
        let mode: WorkerMode
        switch payload[0] {
        case 1: mode = .threads(Int(width))
        case 2: mode = .async(inFlight: Int(width))
        default: throw ProtocolError("setup message has unknown mode \(payload[0])")
        }
        let origin = WireFormat.uint64(payload, at: 9)
        var offset = 17
        var texts: [String] = []
        for _ in 0..<2 {
            guard offset + 4 <= payload.count else { throw ProtocolError("setup message is cut short") }
            let length = Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length <= payload.count else { throw ProtocolError("setup message is cut short") }
            texts.append(String(decoding: UnsafeRawBufferPointer(rebasing: payload[offset..<(offset + length)]), as: UTF8.self))
            offset += length
        }
        guard offset == payload.count else { throw ProtocolError("setup message has \(payload.count - offset) extra bytes") }
        return WorkerSetup(workload: texts[0], parameters: texts[1], mode: mode, timingOrigin: origin == 0 ? nil : origin)
    }
}
