import Glibc
import Testing
import Workloads
@testable import Broker
@testable import Engine
import Platform

/// The Redis protocol codec and the broker's small formats: what goes in
/// comes out, in reads of any size; anything else is an error, never a crash.
@Suite("RESP and the broker's formats")
struct RESPTests {
    static let replies: [RESPValue] = [
        .simple("OK"), .error("WRONGPASS invalid username-password pair"), .integer(-42), .integer(0),
        .bulk(Array("hé\r\nllo".utf8)), .bulk([]), .null,
        .array([]), .array([.bulk(Array("1-0".utf8)), .array([.bulk(Array("c".utf8)), .bulk(Array("7".utf8))])]),
        .array([.array([.array([.array([.integer(1)])])]), .null, .simple("")]),
    ]

    static func parseAll(_ bytes: [UInt8], readSize: Int) throws -> [RESPValue] {
        var parser = RESPParser()
        var values: [RESPValue] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + readSize, bytes.count)
            parser.append(Array(bytes[offset..<end]))
            offset = end
            while let value = try parser.next() { values.append(value) }
        }
        #expect(parser.pendingByteCount == 0)
        return values
    }

    @Test(arguments: [1, 2, 5, 64, 100_000])
    func repliesRoundTripInReadsOfAnySize(readSize: Int) throws {
        #expect(try Self.parseAll(Self.replies.flatMap(\.encoded), readSize: readSize) == Self.replies)
    }

    @Test func aCommandIsAnArrayOfBulkStrings() {
        #expect(RESPValue.command(["SET", "k", "v 1"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv 1\r\n".utf8))
        #expect(RESPValue.command(["PING"]) == Array("*1\r\n$4\r\nPING\r\n".utf8))
        // Byte length, not character count.
        #expect(RESPValue.command(["é"]) == Array("*1\r\n$2\r\né\r\n".utf8))
    }

    @Test func nullsAndTextViews() throws {
        #expect(try Self.parseAll(Array("$-1\r\n*-1\r\n".utf8), readSize: 3) == [.null, .null])
        #expect(RESPValue.integer(7).text == "7")
        #expect(RESPValue.bulk(Array("12".utf8)).integer == 12)
        #expect(RESPValue.null.elements == nil)
    }

    @Test(arguments: ["?x\r\n", ":12a\r\n", "$-2\r\n", "$3\r\nabcd\r\n", "*-5\r\n", "$999999999999\r\n"])
    func malformedBytesAreAnError(text: String) {
        var parser = RESPParser()
        parser.append(Array(text.utf8))
        #expect(throws: RESPProtocolError.self) { _ = try parser.next() }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        var parser = RESPParser()
        parser.append(Array(String(repeating: "*1\r\n", count: 100).utf8) + Array(":1\r\n".utf8))
        #expect(throws: RESPProtocolError.self) { _ = try parser.next() }
    }

    /// 10.0.0.5 stands for a remote broker: it is only parsed (inet_pton), never contacted.
    @Test func brokerURLs() throws {
        let plain = try BrokerAddress(url: "redis://127.0.0.1:6390", environmentPassword: nil)
        #expect(plain.host == "127.0.0.1" && plain.port == 6390 && plain.password == nil && plain.isLoopback)
        let withPassword = try BrokerAddress(url: "redis://:p%40ss:w@10.0.0.5:7000/0", environmentPassword: "ignored")
        #expect(withPassword.password == "p@ss:w" && withPassword.user == nil && withPassword.port == 7000)
        #expect(!withPassword.isLoopback)
        let user = try BrokerAddress(url: "redis://bench:secret@localhost", environmentPassword: nil)
        #expect(user.user == "bench" && user.password == "secret" && user.port == 6379 && user.isLoopback)
        // The environment's password when the URL has none.
        #expect(try BrokerAddress(url: "redis://10.0.0.5:6379", environmentPassword: "fromenv").password == "fromenv")
        // Never printed: description, url and errors name host and port only.
        #expect(withPassword.description == "redis://10.0.0.5:7000" && withPassword.url == withPassword.description)
        for bad in ["http://:hunter2@x:1", "redis://:hunter2@", "redis://:hunter2@host:0", "redis://:hunter2@h:1/3", "redis://hunter2@h:1"] {
            do {
                _ = try BrokerAddress(url: bad, environmentPassword: nil)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(!error.description.contains("hunter2"), "\(error)")
                #expect(error.exitCode == .usage)
            }
        }
    }

    @Test func aBrokerOthersCanReachNeedsAPassword() throws {
        #expect(throws: BrokerError.self) { try BrokerAddress(url: "redis://10.0.0.5:6379", environmentPassword: nil).checkSecure() }
        try BrokerAddress(url: "redis://10.0.0.5:6379", environmentPassword: "x").checkSecure()
        try BrokerAddress(url: "redis://127.0.0.1:6379", environmentPassword: nil).checkSecure()
    }

    @Test func streamRepliesAndReports() {
        let result = ChunkResult(chunk: 3, checksum: Checksum(value: .max, taskCount: 9), worker: "vm:12", redelivered: true)
        let final = WorkerFinal(
            worker: "vm:12", usage: ResourceUsage(userSeconds: 1.25, systemSeconds: 0.5, voluntarySwitches: 3, involuntarySwitches: 4),
            peakKilobytes: 7_000, chunks: 5,
            account: ProcessAccount(
                memory: ProportionalMemory(pssKilobytes: 5_000, ussKilobytes: 3_000),
                scheduling: SchedulerStatistics(runQueueWaitNanoseconds: 1_234, migrations: nil)),
            failure: "task 2: boom")
        let unaccounted = WorkerFinal(worker: "vm:13", usage: .zero, peakKilobytes: 1, chunks: 0)
        func entry(_ id: String, _ fields: [String]) -> RESPValue {
            .array([.bulk(Array(id.utf8)), .array(fields.map { .bulk(Array($0.utf8)) })])
        }
        let reply = RESPValue.array([
            .array([.bulk(Array("results".utf8)), .array([entry("1-0", result.fields), .array([.bulk(Array("2-0".utf8)), .null])])]),
            .array([.bulk(Array("final".utf8)), .array([entry("1-1", final.fields), entry("1-2", unaccounted.fields)])]),
        ])
        let streams = StreamEntry.byStream(reply)
        #expect(streams["results"]?.count == 1, "a deleted entry is skipped")
        #expect(streams["results"].flatMap { ChunkResult($0[0]) } == result)
        #expect(streams["final"].flatMap { WorkerFinal($0[0]) } == final)
        #expect(streams["final"].flatMap { WorkerFinal($0[1]) } == unaccounted, "a worker without an account leaves it unknown, not 0")
        #expect(StreamEntry.byStream(.null).isEmpty)
        let claimed = RESPValue.array([.bulk(Array("0-0".utf8)), .array([entry("5-0", ["c", "1"])]), .array([])])
        #expect(StreamEntry.claimed(claimed) == [StreamEntry(id: "5-0", fields: ["c": "1"])])
        let setup = SampleSetup(workload: "xor", parameters: "iterations=5", tasks: 10, chunkSize: 4, slots: 2, redeliveryMilliseconds: 0)
        #expect(SampleSetup(fields: Dictionary(uniqueKeysWithValues: stride(from: 0, to: setup.fields.count, by: 2).map { (setup.fields[$0], setup.fields[$0 + 1]) })) == setup)
        #expect(setup.chunks == 3 && setup.range(ofChunk: 2) == 8..<10)
    }
}
