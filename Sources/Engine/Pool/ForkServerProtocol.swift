import Platform

/// The messages between bench and its fork server: fixed-size records on a
/// SOCK_SEQPACKET socket pair, so each send is one message and descriptors
/// (SCM_RIGHTS) travel with the request that needs them.
///
/// Request: operation (1 byte), then two Int64 arguments, little-endian.
/// Reply: state (1 byte), value, exit status word, user and system CPU in
/// µs, voluntary and involuntary switches (Int64 each).
enum ForkServerProtocol {
    enum Operation: UInt8 {
        /// Fork a worker; argument: its index. Descriptors: command read end,
        /// result write end, standard output, standard error. Reply value: the pid (or errno).
        case fork = 1
        /// Collect a worker if it has ended (never blocks); argument: its pid.
        case wait = 2
        /// SIGKILL a worker that has not been collected; argument: its pid.
        case kill = 3
        /// Answer at once: the start-up handshake.
        case ping = 4
    }

    enum State: UInt8 {
        case done = 1
        case running = 2
        case failed = 3
        case unknown = 4
    }

    static let requestSize = 17
    static let replySize = 49

    static func request(_ operation: Operation, _ argument: Int) -> [UInt8] {
        var bytes: [UInt8] = [operation.rawValue]
        WireFormat.appendInt64(Int64(argument), to: &bytes)
        WireFormat.appendInt64(0, to: &bytes)
        return bytes
    }

    static func reply(_ state: State, value: Int = 0, status: Int32 = 0, usage: ResourceUsage = .zero) -> [UInt8] {
        var bytes: [UInt8] = [state.rawValue]
        for field in [
            Int64(value), Int64(status), Int64((usage.userSeconds * 1e6).rounded()),
            Int64((usage.systemSeconds * 1e6).rounded()), Int64(usage.voluntarySwitches), Int64(usage.involuntarySwitches),
        ] {
            WireFormat.appendInt64(field, to: &bytes)
        }
        return bytes
    }

    /// A decoded reply.
    struct Reply {
        let state: State
        let value: Int
        let status: Int32
        let usage: ResourceUsage
    }

    static func decodeReply(_ bytes: UnsafeRawBufferPointer) -> Reply? {
        guard bytes.count == replySize, let state = State(rawValue: bytes[0]) else { return nil }
        let fields = stride(from: 1, to: replySize, by: 8).map { WireFormat.int64(bytes, at: $0) }
        return Reply(
            state: state, value: Int(fields[0]), status: Int32(truncatingIfNeeded: fields[1]),
            usage: ResourceUsage(
                userSeconds: Double(fields[2]) / 1e6, systemSeconds: Double(fields[3]) / 1e6,
                voluntarySwitches: Int(fields[4]), involuntarySwitches: Int(fields[5])))
    }
}
