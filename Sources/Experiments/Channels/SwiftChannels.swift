import Dispatch
import Engine
import Foundation
import Glibc
import Harness
import Platform
import Synchronization
import Workloads

/// Swift's channels, measured: a pipe and a Unix socket pair to another
/// process (`bench-worker channel-peer`), a queue of a mutex and a condition
/// variable between two threads, and an AsyncStream between two tasks.
///
/// Every message is a fresh buffer of `size` bytes made by the sender and
/// checked by the receiver (`ProbeMessage`); every sample's messages are
/// proven received exactly once. CPU is every party's: this process's
/// rusage over the span plus the peer's own over its part of it.
enum SwiftChannels {
    /// What one sample measured.
    struct Span {
        var seconds: Double
        var cpuSeconds: Double
        var roundTrips: [Double] = []
    }

    // MARK: - Between processes

    /// Descriptors of one process channel: the parent's send and receive
    /// ends, and the peer's (given it as fd 3 and, for pipes, fd 4).
    private struct Wiring {
        let send: Int32
        let receive: Int32
        let peer: [Int32]
        let socket: Bool

        static func make(socket: Bool) throws -> Wiring {
            if socket {
                let (mine, theirs) = try makeSocketPair()
                return Wiring(send: mine, receive: mine, peer: [theirs], socket: true)
            }
            let out = try FileDescriptor.makePipe()
            let back = try FileDescriptor.makePipe()
            return Wiring(send: out.write, receive: back.read, peer: [out.read, back.write], socket: false)
        }

        /// Tells the peer that nothing more comes, keeping the way back open for its report.
        func endSending() {
            if socket { shutdown(send, Int32(SHUT_WR)) } else { FileDescriptor.close(send) }
        }

        func close() {
            FileDescriptor.close(receive)
            if !socket { FileDescriptor.close(send) }
        }
    }

    private static func name(socket: Bool) -> String { socket ? "the socket pair's" : "the pipe's" }

    /// `count` messages one way to a sink process, after `warmup` untimed ones.
    static func processOneWay(socket: Bool, size: Int, count: Int, warmup: Int) throws -> Span {
        let wiring = try Wiring.make(socket: socket)
        defer { wiring.close() }
        let peer = try PeerProcess(
            ChannelPeer.arguments(mode: .sink, size: size, count: count, warmup: warmup, socket: socket), descriptors: wiring.peer,
            role: "\(name(socket: socket)) sink process")
        defer { peer.stop() }
        try peer.awaitSignal(on: wiring.receive)
        for sequence in 0..<warmup {
            guard FileDescriptor.writeAll(wiring.send, ProbeMessage.make(UInt64(sequence), size: size)) == nil else {
                throw peer.failure("during the warmup")
            }
        }
        if warmup > 0 { try peer.awaitSignal(on: wiring.receive) }
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        for sequence in warmup..<(warmup + count) {
            guard FileDescriptor.writeAll(wiring.send, ProbeMessage.make(UInt64(sequence), size: size)) == nil else {
                throw peer.failure("after \(sequence - warmup) of \(count) messages")
            }
        }
        let report = try peer.report(from: wiring.receive)
        let seconds = MonotonicClock.seconds(since: start)
        let own = ResourceUsage.currentProcess() - before
        try verify(report.checksum, UInt64(warmup)..<UInt64(warmup + count), size: size, by: peer.role)
        try peer.finish()
        return Span(seconds: seconds, cpuSeconds: cpu(own) + cpu(report.usage))
    }

    /// `count` round trips through an echo process, each timed, after `warmup` untimed ones.
    static func processRoundTrips(socket: Bool, size: Int, count: Int, warmup: Int) throws -> Span {
        let wiring = try Wiring.make(socket: socket)
        defer { wiring.close() }
        let peer = try PeerProcess(
            ChannelPeer.arguments(mode: .echo, size: size, warmup: warmup, socket: socket), descriptors: wiring.peer,
            role: "\(name(socket: socket)) echo process")
        defer { peer.stop() }
        try peer.awaitSignal(on: wiring.receive)
        let timed = try timedRoundTrips(size: size, count: count, warmup: warmup) { index, message in
            var reply = [UInt8](repeating: 0, count: size)
            guard FileDescriptor.writeAll(wiring.send, message) == nil,
                  reply.withUnsafeMutableBytes({ ProbeMessage.readExactly(wiring.receive, into: $0) }) else {
                throw peer.failure("after \(max(0, index - warmup)) of \(count) round trips")
            }
            return reply
        }
        wiring.endSending()
        let report = try peer.report(from: wiring.receive)
        try verify(report.checksum, UInt64(warmup)..<UInt64(warmup + count), size: size, by: peer.role)
        try peer.finish()
        return Span(seconds: timed.seconds, cpuSeconds: timed.cpuSeconds + cpu(report.usage), roundTrips: timed.roundTrips)
    }

    /// Two writer processes and two reader processes on one pipe, as the
    /// seeds' producer/consumer: `count` messages in all, each received once.
    static func pipeTwoByTwo(size: Int, count: Int) throws -> Span {
        precondition(size <= Int(PIPE_BUF), "writes above PIPE_BUF are not atomic: two writers would interleave")
        let data = try FileDescriptor.makePipe()
        let go = try FileDescriptor.makePipe()
        var readers: [(peer: PeerProcess, report: Int32)] = []
        var writers: [PeerProcess] = []
        defer {
            (readers.map(\.peer) + writers).forEach { $0.stop() }
            readers.forEach { FileDescriptor.close($0.report) }
            [data.read, data.write, go.read, go.write].forEach(FileDescriptor.close)
        }
        for index in 0..<2 {
            let back = try FileDescriptor.makePipe()
            let input = fcntl(data.read, F_DUPFD_CLOEXEC, 10)
            readers.append((
                try PeerProcess(
                    ChannelPeer.arguments(mode: .sink, size: size), descriptors: [input, back.write], role: "the pipe's reader process \(index + 1)"),
                back.read))
        }
        for index in 0..<2 {
            let half = count / 2 + (index == 0 ? count % 2 : 0)
            let first = index == 0 ? 0 : count / 2 + count % 2
            writers.append(try PeerProcess(
                ChannelPeer.arguments(mode: .source, size: size, count: half, first: first),
                descriptors: [fcntl(go.read, F_DUPFD_CLOEXEC, 10), fcntl(data.write, F_DUPFD_CLOEXEC, 10)],
                role: "the pipe's writer process \(index + 1)"))
        }
        // Only the writers may hold the pipe's write end: the readers see its end when both are done.
        FileDescriptor.close(data.write)
        FileDescriptor.close(data.read)
        for reader in readers { try reader.peer.awaitSignal(on: reader.report) }
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        guard FileDescriptor.writeAll(go.write, [1, 1]) == nil else { throw writers[0].failure("before it started") }
        var total = Checksum()
        var usage = ResourceUsage.zero
        for reader in readers {
            let report = try reader.peer.report(from: reader.report)
            total.merge(report.checksum)
            usage = usage + report.usage
        }
        let seconds = MonotonicClock.seconds(since: start)
        let own = ResourceUsage.currentProcess() - before
        try verify(total, 0..<UInt64(count), size: size, by: "the two reader processes")
        for party in writers + readers.map(\.peer) { try party.finish() }
        return Span(seconds: seconds, cpuSeconds: cpu(own) + cpu(usage))
    }

    // MARK: - Between threads: a mutex and a condition variable

    /// `count` messages from this thread to another through a `LockedQueue`.
    static func threadOneWay(size: Int, count: Int, warmup: Int) throws -> Span {
        let queue = LockedQueue<[UInt8]>()
        let receiver = Receiver()
        let thread = try NativeThread.start(name: "queue-reader") {
            var checksum = Checksum()
            var broken = false
            for index in 0..<(warmup + count) {
                let message = queue.pop()
                let sequence = message.withUnsafeBytes { ProbeMessage.sequence(of: $0, size: size) }
                if sequence != UInt64(index) { broken = true }
                if index == warmup - 1 { receiver.warm.store(true, ordering: .releasing) }
                if index >= warmup { checksum.add(task: Int(sequence ?? 0), result: UInt64(size)) }
            }
            receiver.finish(checksum, broken: broken)
        }
        for sequence in 0..<warmup { queue.push(ProbeMessage.make(UInt64(sequence), size: size)) }
        while warmup > 0 && !receiver.warm.load(ordering: .acquiring) { sched_yield() }
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        for sequence in warmup..<(warmup + count) { queue.push(ProbeMessage.make(UInt64(sequence), size: size)) }
        thread.join()
        let end = receiver.end.load(ordering: .acquiring)
        let own = ResourceUsage.currentProcess() - before
        try receiver.verify(UInt64(warmup)..<UInt64(warmup + count), size: size)
        return Span(seconds: MonotonicClock.seconds(from: start, to: end), cpuSeconds: cpu(own))
    }

    /// `count` round trips to an echo thread through two `LockedQueue`s.
    static func threadRoundTrips(size: Int, count: Int, warmup: Int) throws -> Span {
        let out = LockedQueue<[UInt8]?>()
        let back = LockedQueue<[UInt8]>()
        let thread = try NativeThread.start(name: "queue-echo") {
            while let message = out.pop() { back.push(message) }
        }
        defer {
            out.push(nil)
            thread.join()
        }
        return try timedRoundTrips(size: size, count: count, warmup: warmup) { _, message in
            out.push(message)
            return back.pop()
        }
    }

    /// Two writer threads and two reader threads on one `LockedQueue`.
    static func threadTwoByTwo(size: Int, count: Int) throws -> Span {
        let queue = LockedQueue<[UInt8]?>()
        let receiver = Receiver()
        let go = DispatchSemaphore(value: 0)
        var threads: [NativeThread] = []
        for index in 0..<2 {
            let range = index == 0 ? 0..<(count / 2 + count % 2) : (count / 2 + count % 2)..<count
            threads.append(try NativeThread.start(name: "queue-writer") {
                go.wait()
                for sequence in range { queue.push(ProbeMessage.make(UInt64(sequence), size: size)) }
                queue.push(nil)
            })
            threads.append(try NativeThread.start(name: "queue-reader") {
                var checksum = Checksum()
                var broken = false
                while let message = queue.pop() {
                    guard let sequence = message.withUnsafeBytes({ ProbeMessage.sequence(of: $0, size: size) }) else {
                        broken = true
                        continue
                    }
                    checksum.add(task: Int(sequence), result: UInt64(size))
                }
                receiver.finish(checksum, broken: broken)
            })
        }
        let before = ResourceUsage.currentProcess()
        let start = MonotonicClock.now()
        go.signal()
        go.signal()
        threads.forEach { $0.join() }
        let own = ResourceUsage.currentProcess() - before
        try receiver.verify(0..<UInt64(count), size: size)
        return Span(seconds: MonotonicClock.seconds(from: start, to: receiver.end.load(ordering: .acquiring)), cpuSeconds: cpu(own))
    }

    // MARK: - Between async tasks: AsyncStream

    /// `count` messages from one task to another through an AsyncStream.
    static func streamOneWay(size: Int, count: Int, warmup: Int) throws -> Span {
        try blockingAwait {
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
            let receiver = Receiver()
            let reader = Task {
                var checksum = Checksum()
                var broken = false
                var index = 0
                for await message in stream {
                    let sequence = message.withUnsafeBytes { ProbeMessage.sequence(of: $0, size: size) }
                    if sequence != UInt64(index) { broken = true }
                    if index == warmup - 1 { receiver.warm.store(true, ordering: .releasing) }
                    if index >= warmup { checksum.add(task: Int(sequence ?? 0), result: UInt64(size)) }
                    index += 1
                    if index == warmup + count { break }
                }
                receiver.finish(checksum, broken: broken)
            }
            for sequence in 0..<warmup { continuation.yield(ProbeMessage.make(UInt64(sequence), size: size)) }
            while warmup > 0 && !receiver.warm.load(ordering: .acquiring) { await Task.yield() }
            let before = ResourceUsage.currentProcess()
            let start = MonotonicClock.now()
            for sequence in warmup..<(warmup + count) { continuation.yield(ProbeMessage.make(UInt64(sequence), size: size)) }
            await reader.value
            let own = ResourceUsage.currentProcess() - before
            continuation.finish()
            try receiver.verify(UInt64(warmup)..<UInt64(warmup + count), size: size)
            return Span(seconds: MonotonicClock.seconds(from: start, to: receiver.end.load(ordering: .acquiring)), cpuSeconds: cpu(own))
        }
    }

    /// `count` round trips to an echo task through two AsyncStreams.
    static func streamRoundTrips(size: Int, count: Int, warmup: Int) throws -> Span {
        try blockingAwait {
            let (out, toEcho) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
            let (back, toMe) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
            let echo = Task {
                for await message in out { toMe.yield(message) }
                toMe.finish()
            }
            var replies = back.makeAsyncIterator()
            var timer = RoundTripTimer(count: count, warmup: warmup)
            for index in 0..<(warmup + count) {
                timer.begin(index)
                let sent = MonotonicClock.now()
                toEcho.yield(ProbeMessage.make(UInt64(index), size: size))
                guard let reply = await replies.next(),
                      reply.withUnsafeBytes({ ProbeMessage.sequence(of: $0, size: size) }) == UInt64(index) else {
                    throw BenchError.runFailed("round trip \(index) through the AsyncStreams came back wrong", fix: "this is a bug in the probe")
                }
                timer.end(index, seconds: MonotonicClock.seconds(since: sent))
            }
            let span = timer.span()
            toEcho.finish()
            await echo.value
            return span
        }
    }

    // MARK: - Shared

    /// Times each of `count` round trips of `exchange` (after `warmup` untimed
    /// ones), checking every reply; the CPU is this process's over the timed ones.
    static func timedRoundTrips(size: Int, count: Int, warmup: Int, _ exchange: (Int, [UInt8]) throws -> [UInt8]) throws -> Span {
        var timer = RoundTripTimer(count: count, warmup: warmup)
        for index in 0..<(warmup + count) {
            timer.begin(index)
            let sent = MonotonicClock.now()
            let reply = try exchange(index, ProbeMessage.make(UInt64(index), size: size))
            let back = MonotonicClock.now()
            guard reply.withUnsafeBytes({ ProbeMessage.sequence(of: $0, size: size) }) == UInt64(index) else {
                throw BenchError.runFailed("round trip \(index) came back as another message", fix: "this is a bug in the probe")
            }
            timer.end(index, seconds: MonotonicClock.seconds(from: sent, to: back))
        }
        return timer.span()
    }

    static func cpu(_ usage: ResourceUsage) -> Double {
        usage.userSeconds + usage.systemSeconds
    }

    static func verify(_ checksum: Checksum, _ range: Range<UInt64>, size: Int, by whom: String) throws {
        let expected = ProbeMessage.expected(range, size: size)
        guard checksum == expected else {
            throw BenchError.runFailed(
                "\(whom) received \(checksum.taskCount) messages with checksum \(checksum), expected \(expected.taskCount) with \(expected): messages were lost, repeated or damaged",
                fix: "this is a bug in the channel or the probe; rerun this configuration alone to reproduce it")
        }
    }
}

/// What the receiving side of an in-process probe hands back: when it took
/// the last message, and the checksum of what it took (summed over receivers).
private final class Receiver: Sendable {
    let warm = Atomic<Bool>(false)
    let end = Atomic<UInt64>(0)
    private let state = Mutex((checksum: Checksum(), broken: false))

    func finish(_ checksum: Checksum, broken: Bool) {
        state.withLock {
            $0.checksum.merge(checksum)
            $0.broken = $0.broken || broken
        }
        let now = MonotonicClock.now()
        var seen = end.load(ordering: .relaxed)
        while seen < now {
            let (exchanged, original) = end.compareExchange(expected: seen, desired: now, ordering: .acquiringAndReleasing)
            if exchanged { break }
            seen = original
        }
    }

    func verify(_ range: Range<UInt64>, size: Int) throws {
        let (checksum, broken) = state.withLock { ($0.checksum, $0.broken) }
        guard !broken else {
            throw BenchError.runFailed("a receiver took a message out of order or damaged", fix: "this is a bug in the channel or the probe")
        }
        try SwiftChannels.verify(checksum, range, size: size, by: "the receiving side")
    }
}

/// An unbounded FIFO queue of a mutex and a condition variable: what
/// Python's `queue.Queue` is made of, without an interpreter around it.
final class LockedQueue<Element>: @unchecked Sendable {
    private let state = LockedCondition()
    /// Taken slots are emptied at once, so a message's buffer lives only while queued.
    private var items: [Element?] = []
    private var head = 0

    func push(_ item: Element) {
        state.lock()
        items.append(item)
        state.signal()
        state.unlock()
    }

    /// Blocks until an item is there.
    func pop() -> Element {
        state.lock()
        while head == items.count { state.wait() }
        let item = items[head].take()!
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        state.unlock()
        return item
    }
}
