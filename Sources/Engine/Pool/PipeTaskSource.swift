import Glibc
import Platform
import Synchronization

/// A worker's task queue, filled from its input pipe: the blocking
/// `TaskSource` a `ThreadTeam` drains inside a worker process.
///
/// Task ranges are queued as the parent sends them. A thread that finds the
/// queue empty first flushes the results not yet reported (the parent refills
/// on results), then either becomes the one reader of the pipe or waits for
/// the reader to bring more. `next()` returns nil once the parent has sent
/// `finish` and the queue is empty, or after the stream broke the protocol
/// (`protocolError` then says how; the worker reports it and exits 1). End
/// of file before `finish` means the parent is gone: the process exits at once.
final class PipeTaskSource: TaskSource, @unchecked Sendable {
    private let fd: Int32
    private let outbox: ResultOutbox
    /// Guards the queue below; readers-in-waiting sleep on its condition.
    private let state = LockedCondition()

    // Guarded by `state`.
    private var current: Range<Int> = 0..<0
    private var ranges: [Range<Int>] = []
    private var head = 0
    private var finished = false
    private var failure: ProtocolError?
    private var readerActive = false
    private var receivedTasks = false

    /// Owned by whichever thread is the reader (`readerActive`), one at a time.
    private var decoder = FrameDecoder<ParentMessage>()
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Tasks received and not yet handed out: the outbox's flushing rule reads it.
    let queuedTasks = Atomic<Int>(0)

    init(fd: Int32, outbox: ResultOutbox) {
        self.fd = fd
        self.outbox = outbox
    }

    /// Why the stream was abandoned, if it broke the protocol.
    var protocolError: ProtocolError? {
        state.lock()
        defer { state.unlock() }
        return failure
    }

    /// Reads until the first message, which must be `setup`; called once,
    /// before the team starts. Later messages that came with it are queued.
    func readSetup() throws -> WorkerSetup {
        while true {
            let messages = try readMessages()
            guard let first = messages.first else { continue }
            guard case let .setup(setup) = first else {
                throw ProtocolError("the first message was not setup")
            }
            state.lock()
            defer { state.unlock() }
            try enqueue(messages.dropFirst())
            return setup
        }
    }

    func next() -> Int? {
        state.lock()
        while true {
            if !current.isEmpty {
                let task = current.lowerBound
                current = (task + 1)..<current.upperBound
                state.unlock()
                queuedTasks.subtract(1, ordering: .relaxed)
                return task
            }
            if head < ranges.count {
                current = ranges[head]
                head += 1
                if head == ranges.count {
                    ranges.removeAll(keepingCapacity: true)
                    head = 0
                }
                continue
            }
            if finished || failure != nil {
                state.unlock()
                return nil
            }
            if readerActive {
                // Report what this thread finished before it waits, or the
                // parent may be waiting for exactly these results to send more.
                state.unlock()
                outbox.flush(starved: false)
                state.lock()
                while readerActive && head == ranges.count && current.isEmpty && !finished && failure == nil {
                    state.wait()
                }
                continue
            }
            readerActive = true
            let starved = receivedTasks
            state.unlock()
            outbox.flush(starved: starved)
            let outcome = Result { try readMessages() }
            state.lock()
            readerActive = false
            do {
                try enqueue(outcome.get()[...])
            } catch {
                failure = error as? ProtocolError ?? ProtocolError(oneLine(error))
            }
            state.broadcast()
        }
    }

    /// Queues what the parent sent. Caller holds `state`.
    private func enqueue(_ messages: ArraySlice<ParentMessage>) throws {
        for message in messages {
            switch message {
            case .setup:
                throw ProtocolError("a second setup message arrived")
            case let .tasks(range):
                guard !finished else { throw ProtocolError("tasks arrived after finish") }
                guard !range.isEmpty else { continue }
                ranges.append(range)
                receivedTasks = true
                queuedTasks.add(range.count, ordering: .relaxed)
            case .finish:
                finished = true
            }
        }
    }

    /// Blocks until at least one whole message has arrived, and returns all
    /// that have. Called by one thread at a time, without `state` held.
    private func readMessages() throws -> [ParentMessage] {
        var messages: [ParentMessage] = []
        while messages.isEmpty {
            let outcome = readBuffer.withUnsafeMutableBytes { FileDescriptor.readSome(fd, into: $0) }
            switch outcome {
            case let .bytes(count):
                readBuffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                while let message = try decoder.next() {
                    messages.append(message)
                }
            case .endOfFile:
                // The parent closed the pipe before `finish`: it is gone, or is stopping us.
                _exit(ParentDeath.parentGoneStatus)
            case .wouldBlock:
                continue
            case let .failed(code):
                throw ProtocolError("reading the input pipe failed: \(SystemCallError.describe(code))")
            }
        }
        return messages
    }
}
