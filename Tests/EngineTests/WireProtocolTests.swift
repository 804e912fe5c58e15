import Testing
import Workloads
@testable import Engine
@testable import LocalHTTP
import Platform
import TestSupport

/// The pool's pipe protocol: what goes in comes out, in reads of any size,
/// and anything else is a `ProtocolError`, never a crash.
@Suite("Pool wire protocol")
struct WireProtocolTests {
    static let parentMessages: [ParentMessage] = [
        .setup(WorkerSetup(workload: "xor", parameters: "iterations=1000", mode: .threads(4))),
        .setup(WorkerSetup(workload: "http", parameters: "http-url=http://127.0.0.1:1/%3Bx;keep-alive=true", mode: .async(inFlight: 64))),
        .tasks(0..<1), .tasks(17..<4_000_000), .tasks(5..<5), .finish,
    ]

    static let workerMessages: [WorkerMessage] = [
        .ready,
        .done(Checksum(value: 0xDEAD_BEEF_0123_4567, taskCount: 12), starved: false),
        .done(Checksum(), starved: true),
        .final(Checksum(value: .max, taskCount: 1_000_000), peakKilobytes: 23_456, usage: ResourceUsage(userSeconds: 1.5, systemSeconds: 0.25, voluntarySwitches: 7, involuntarySwitches: 3)),
        .failure("worker 3: unknown workload 'x' — ünïcode survives"),
        .result(task: 0, bytes: []),
        .result(task: 4_000_000, bytes: (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }),
        .account(ProcessAccount(
            memory: ProportionalMemory(pssKilobytes: 12_345, ussKilobytes: 6_789),
            scheduling: SchedulerStatistics(runQueueWaitNanoseconds: 98_765_432_100, migrations: 17))),
        // What the worker's kernel did not give stays unknown across the pipe, never 0.
        .account(ProcessAccount(memory: nil, scheduling: SchedulerStatistics(runQueueWaitNanoseconds: 0, migrations: nil))),
        .account(ProcessAccount(memory: nil, scheduling: nil)),
    ]

    static func decodeAll<Message: WireMessage>(_ bytes: [UInt8], readSize: Int, as: Message.Type) throws -> [Message] {
        var decoder = FrameDecoder<Message>()
        var messages: [Message] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + readSize, bytes.count)
            decoder.append(Array(bytes[offset..<end]))
            offset = end
            while let message = try decoder.next() {
                messages.append(message)
            }
        }
        try decoder.finish()
        return messages
    }

    @Test(arguments: [1, 3, 8, 25, 4096])
    func roundTripsInReadsOfAnySize(readSize: Int) throws {
        let parentBytes = Self.parentMessages.flatMap(\.encoded)
        #expect(try Self.decodeAll(parentBytes, readSize: readSize, as: ParentMessage.self) == Self.parentMessages)
        let workerBytes = Self.workerMessages.flatMap(\.encoded)
        #expect(try Self.decodeAll(workerBytes, readSize: readSize, as: WorkerMessage.self) == Self.workerMessages)
    }

    @Test func hotMessagesHaveFixedSmallSizes() {
        // Small enough that a write of one is atomic on a pipe (PIPE_BUF is 4096).
        #expect(ParentMessage.tasks(0..<10).encoded.count == 24)
        #expect(WorkerMessage.done(Checksum(), starved: false).encoded.count == 32)
        #expect(ParentMessage.finish.encoded.count == 8)
    }

    @Test func theLargestResultFitsAFrame() throws {
        let largest = try #require(ProfileWorkload.resultParameter.range?.upperBound)
        let message = WorkerMessage.result(task: 1, bytes: [UInt8](repeating: 7, count: largest))
        #expect(try Self.decodeAll(message.encoded, readSize: 1 << 16, as: WorkerMessage.self) == [message])
    }

    @Test func truncatedStreamIsAnErrorAtEndOfFile() throws {
        let bytes = WorkerMessage.final(Checksum(value: 1, taskCount: 1), peakKilobytes: 1, usage: .zero).encoded
        for cut in 1..<bytes.count {
            var decoder = FrameDecoder<WorkerMessage>()
            decoder.append(Array(bytes[0..<cut]))
            #expect(try decoder.next() == nil, "a partial frame waits for more bytes")
            #expect(throws: ProtocolError.self, "cut at \(cut)") { try decoder.finish() }
        }
    }

    static func error<Message: WireMessage>(decoding bytes: [UInt8], as: Message.Type) -> ProtocolError? {
        var decoder = FrameDecoder<Message>()
        decoder.append(bytes)
        do {
            while try decoder.next() != nil {}
            try decoder.finish()
            return nil
        } catch let error as ProtocolError {
            return error
        } catch {
            return ProtocolError("unexpected error type: \(error)")
        }
    }

    static func frame(kind: UInt8, payload: [UInt8], version: UInt8 = WireFormat.version) -> [UInt8] {
        var bytes: [UInt8] = [WireFormat.magic, version, kind, 0]
        WireFormat.appendUInt32(UInt32(payload.count), to: &bytes)
        return bytes + payload
    }

    static func int64s(_ values: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values { WireFormat.appendInt64(value, to: &bytes) }
        return bytes
    }

    @Test(arguments: [
        ("garbage text", Array("hello, worker!".utf8), "magic"),
        ("zeros", [UInt8](repeating: 0, count: 64), "magic"),
        ("other version", frame(kind: ParentMessage.finishKind, payload: [], version: 9), "version"),
        ("reserved byte", [WireFormat.magic, WireFormat.version, ParentMessage.finishKind, 7, 0, 0, 0, 0], "reserved"),
        ("huge length", [WireFormat.magic, WireFormat.version, ParentMessage.tasksKind, 0, 0xFF, 0xFF, 0xFF, 0x7F], "exceeds"),
        ("unknown kind", frame(kind: 200, payload: []), "unknown message kind"),
        ("short tasks", frame(kind: ParentMessage.tasksKind, payload: int64s([1])), "expected 16"),
        ("reversed range", frame(kind: ParentMessage.tasksKind, payload: int64s([9, 2])), "invalid range"),
        ("negative range", frame(kind: ParentMessage.tasksKind, payload: int64s([-5, 2])), "invalid range"),
        ("finish with payload", frame(kind: ParentMessage.finishKind, payload: [1]), "expected 0"),
        ("setup not JSON", frame(kind: ParentMessage.setupKind, payload: Array("{not json".utf8)), "setup message"),
        ("setup zero threads", frame(kind: ParentMessage.setupKind, payload: Array(#"{"workload":"xor","threads":0,"parameters":{}}"#.utf8)), "setup message"),
        ("worker kind sent to worker", frame(kind: WorkerMessage.readyKind, payload: []), "unknown message kind"),
        ("truncated header", [WireFormat.magic, WireFormat.version, 2], "incomplete frame"),
        ("good frame then junk", ParentMessage.finish.encoded + [1, 2, 3, 4, 5, 6, 7, 8], "magic"),
        ("good frame then a few bytes", ParentMessage.finish.encoded + [1, 2, 3], "incomplete frame"),
    ])
    func malformedParentStreamsAreErrors(what: String, bytes: [UInt8], expected: String) {
        let error = Self.error(decoding: bytes, as: ParentMessage.self)
        #expect(error?.description.contains(expected) == true, "\(what): \(String(describing: error))")
    }

    @Test func malformedWorkerStreamsAreErrors() {
        let cases: [([UInt8], String)] = [
            (Self.frame(kind: WorkerMessage.doneKind, payload: Self.int64s([1, 2])), "expected 24"),
            (Self.frame(kind: WorkerMessage.doneKind, payload: Self.int64s([-1, 2, 0])), "task count -1"),
            (Self.frame(kind: WorkerMessage.doneKind, payload: Self.int64s([1, 2, 5])), "flags 5"),
            (Self.frame(kind: WorkerMessage.finalKind, payload: Self.int64s([1, 2, -3, 0, 0, 0, 0])), "peak -3"),
            (Self.frame(kind: WorkerMessage.finalKind, payload: Self.int64s([1, 2, 3, 0, -1, 0, 0])), "usage"),
            (Self.frame(kind: WorkerMessage.readyKind, payload: [0]), "expected 0"),
            (Self.frame(kind: WorkerMessage.failureKind, payload: [UInt8](repeating: 65, count: 5_000)), "exceeds"),
            (Self.frame(kind: ParentMessage.tasksKind, payload: Self.int64s([0, 1])), "unknown message kind"),
            (Self.frame(kind: WorkerMessage.resultKind, payload: [1, 2, 3]), "no valid task index"),
            (Self.frame(kind: WorkerMessage.resultKind, payload: Self.int64s([-2]) + [9]), "no valid task index"),
            (Self.frame(kind: WorkerMessage.accountKind, payload: Self.int64s([1, 2, 3])), "expected 32"),
            (Self.frame(kind: WorkerMessage.accountKind, payload: Self.int64s([1, 2, -5, 0])), "figures"),
        ]
        for (bytes, expected) in cases {
            let error = Self.error(decoding: bytes, as: WorkerMessage.self)
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<64, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half the time, start with a plausible header so the payload checks are reached too.
            if Bool.random(using: &generator) && bytes.count >= 3 {
                bytes[0] = WireFormat.magic
                bytes[1] = WireFormat.version
                bytes[2] = [ParentMessage.setupKind, ParentMessage.tasksKind, WorkerMessage.doneKind, WorkerMessage.finalKind].randomElement(using: &generator)!
            }
            _ = Self.error(decoding: bytes, as: ParentMessage.self)
            _ = Self.error(decoding: bytes, as: WorkerMessage.self)
        }
    }

    @Test func exitStatusesReadAsWords() {
        #expect(ExitStatus(waitStatus: 0).isSuccess)
        #expect(ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ExitStatus(waitStatus: 9) == .signaled(9, coreDumped: false))
        #expect(ExitStatus(waitStatus: 9).description == "was killed by SIGKILL (signal 9)")
        #expect(ExitStatus(waitStatus: 11 | 0x80).description.contains("SIGSEGV"))
        #expect(ExitStatus(waitStatus: 11 | 0x80).description.contains("core dumped"))
    }
}
