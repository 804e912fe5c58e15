/// Messages from the parent to a worker, on the worker's input pipe (fd 3).
///
/// Order: one `setup`, then any number of `tasks` (sent ahead of results:
/// the pipeline), then one `finish`. End of file before `finish` means the
/// parent is gone, and the worker exits.
enum ParentMessage: WireMessage, Equatable {
    /// Which workload to build and how many threads to run it on.
    case setup(WorkerSetup)
    /// Run the task indices in this range (a chunk, or a hybrid's whole block).
    case tasks(Range<Int>)
    /// No more tasks will come: finish the queued ones, report, exit.
    case finish

    static let setupKind: UInt8 = 1
    static let tasksKind: UInt8 = 2
    static let finishKind: UInt8 = 3

    func encode(into bytes: inout [UInt8]) {
        switch self {
        case let .setup(setup):
            var payload: [UInt8] = []
            setup.encode(into: &payload)
            WireFormat.appendHeader(kind: Self.setupKind, length: payload.count, to: &bytes)
            bytes.append(contentsOf: payload)
        case let .tasks(range):
            WireFormat.appendHeader(kind: Self.tasksKind, length: 16, to: &bytes)
            WireFormat.appendInt64(Int64(range.lowerBound), to: &bytes)
            WireFormat.appendInt64(Int64(range.upperBound), to: &bytes)
        case .finish:
            WireFormat.appendHeader(kind: Self.finishKind, length: 0, to: &bytes)
        }
    }

    static func decode(kind: UInt8, payload: UnsafeRawBufferPointer) throws -> ParentMessage {
        switch kind {
        case setupKind:
            return .setup(try WorkerSetup.decode(payload))
        case tasksKind:
            try WireFormat.expectSize(payload, 16, for: "tasks")
            let lower = WireFormat.int64(payload, at: 0)
            let upper = WireFormat.int64(payload, at: 8)
            guard lower >= 0, lower <= upper else {
                throw ProtocolError("tasks message has an invalid range \(lower)..<\(upper)")
            }
            return .tasks(Int(lower)..<Int(upper))
        case finishKind:
            try WireFormat.expectSize(payload, 0, for: "finish")
            return .finish
        default:
            throw ProtocolError("unknown message kind \(kind) from the parent")
        }
    }
}
