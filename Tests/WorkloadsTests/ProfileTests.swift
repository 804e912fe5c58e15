import Testing
@testable import Workloads
import Platform
import TestSupport

/// The profile workload's parts, each checked for what it returns, never for how long it takes.
@Suite("profile workload")
struct ProfileTests {
    @Test(arguments: [0, 1, 7, 8, 9, 63, 64, 1_000, 65_537])
    func resultBytesAndTheirDigestAgreeWithTheShortcut(count: Int) {
        let word: UInt64 = 0x0123_4567_89AB_CDEF
        let bytes = ResultBytes.repeating(word, count: count)
        #expect(bytes.count == count)
        #expect(bytes.prefix(8).elementsEqual([0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01].prefix(count)), "little-endian")
        #expect(ResultBytes.digest(bytes) == ResultBytes.digestOfRepeating(word, count: count))
    }

    @Test func theDigestSeesEveryByteAndTheLength() {
        let bytes = ResultBytes.repeating(42, count: 1_001)
        let digest = ResultBytes.digest(bytes)
        for position in [0, 500, 999, 1_000] {
            var changed = bytes
            changed[position] ^= 1
            #expect(ResultBytes.digest(changed) != digest, "byte \(position)")
        }
        #expect(ResultBytes.digest(Array(bytes.dropLast())) != digest)
        #expect(ResultBytes.digest(bytes + [0]) != digest, "a zero byte added still changes the length")
    }

    @Test(arguments: [0, 1, 2, 3, 1_000, 1_000_001])
    func theXorRoundTripComesBackToItsSeed(iterations: Int) {
        #expect(XorRoundTrip.run(seed: 0xFEED_FACE, iterations: iterations) == 0xFEED_FACE)
        #expect(XorRoundTrip.run(seed: .max, iterations: iterations) == .max)
    }

    @Test func iterationsComeFromTheTimeAndTheStepTime() {
        #expect(XorRoundTrip.iterations(microseconds: 1_000, picoseconds: 500) == 2_000_000)
        #expect(XorRoundTrip.iterations(microseconds: 0, picoseconds: 500) == 0)
        #expect(XorRoundTrip.iterations(microseconds: .max, picoseconds: 1) == .max)
        #expect(XorRoundTrip.measuredPicoseconds > 0)
    }

    @Test func memoryTouchReadsBackWhatItWrote() {
        for kibibytes in [0, 1, 4, 5, 1_024] {
            #expect(MemoryTouch.run(kibibytes: kibibytes, value: 3) == MemoryTouch.expected(kibibytes: kibibytes, value: 3))
        }
        #expect(MemoryTouch.expected(kibibytes: 5, value: 3) == 6, "two pages, the second partly used")
    }

    @Test func eachTaskReturnsItsAnalyticResultBlockingAndAsync() async throws {
        let workload = try ProfileWorkload(
            cpuMicroseconds: 20, waitMilliseconds: 0, memoryKibibytes: 12, resultBytes: 1_003, iterationPicoseconds: 500)
        #expect(workload.iterations == 40_000)
        #expect(workload.work == WorkSize(amount: 20, unit: "microseconds"))
        for task in [0, 1, 77] {
            let bytes = try workload.payload(task: task)
            #expect(bytes.count == 1_003)
            #expect(try workload.run(task: task) == workload.expectedResult(task: task))
            #expect(try await workload.runAsync(task: task) == workload.expectedResult(task: task))
        }
        #expect(workload.expectedResult(task: 0) != workload.expectedResult(task: 1))
    }

    /// The shared block is read by every task and changes the result by its
    /// analytic sum; without one the results are what they were before it existed.
    @Test func theSharedBlockIsReadByEveryTaskAndBuiltOnce() async throws {
        #expect(SharedBlock(mebibytes: 3).readEveryPage() == SharedBlock.expectedSum(mebibytes: 3))
        #expect(SharedBlock.expectedSum(mebibytes: 3) == 768 * 0xA5)
        let block = SharedBlock(mebibytes: 1)
        #expect(block.build().baseAddress == block.build().baseAddress, "built once")
        let plain = try ProfileWorkload(cpuMicroseconds: 5, waitMilliseconds: 0, memoryKibibytes: 4, iterationPicoseconds: 500)
        let shared = try ProfileWorkload(
            cpuMicroseconds: 5, waitMilliseconds: 0, memoryKibibytes: 4, iterationPicoseconds: 500, sharedMebibytes: 2)
        #expect(plain.shared == nil)
        shared.setUpProcess()
        for task in [0, 9] {
            #expect(try shared.run(task: task) == shared.expectedResult(task: task))
            #expect(try await shared.runAsync(task: task) == shared.expectedResult(task: task))
            #expect(shared.expectedResult(task: task) != plain.expectedResult(task: task))
        }
        // Without setUpProcess, the first task to read the block builds it.
        let unprepared = try ProfileWorkload(cpuMicroseconds: 0, waitMilliseconds: 0, sharedMebibytes: 1)
        #expect(try unprepared.run(task: 2) == unprepared.expectedResult(task: 2))
    }

    @Test func waitingOnTheLocalServerGivesTheSameKindOfResult() async throws {
        useBuiltBenchForWorkers()
        let declaration = try #require(WorkloadRegistry.declaration(named: "profile"))
        var values = declaration.defaults(quick: true)
        values["wait"] = .text("http")
        values["wait-ms"] = .number(0)
        let fixture = try #require(try declaration.fixture?.start(values))
        defer { fixture.stop() }
        let resolved = fixture.resolve(values)
        #expect(resolved.text("wait-url").hasPrefix("http://127.0.0.1:"))
        #expect(resolved.number("iteration-ps") == XorRoundTrip.measuredPicoseconds)
        #expect(fixture.note?.contains("ps per xor step") == true)
        let workload = try declaration.make(resolved)
        #expect(try workload.run(task: 3) == workload.expectedResult(task: 3))
        #expect(try await workload.runAsync(task: 4) == workload.expectedResult(task: 4))
        let sleeping = try declaration.make(fixture.resolve(declaration.defaults(quick: true)))
        #expect(sleeping.expectedResult(task: 3) != workload.expectedResult(task: 3), "the wait is part of the result")
    }

    @Test func parametersAreCheckedAgainstTheirRanges() throws {
        let declaration = try #require(WorkloadRegistry.declaration(named: "profile"))
        for (text, fragment) in [
            ("cpu-us=-1", "--cpu-us"), ("result-bytes=16777217", "--result-bytes"), ("wait=poll", "--wait"),
            ("memory-kib=\((SystemMemory.totalBytes ?? 0) / 1024 + 1)", "--memory-kib"),
        ] {
            #expect(throws: BenchError.self, "\(text)") { try declaration.values(parsing: text) }
            do {
                _ = try declaration.values(parsing: text)
            } catch {
                #expect(error.what.contains(fragment), "\(error)")
            }
        }
        #expect(declaration.memoryPerTask?(try declaration.values(parsing: "memory-kib=2;result-bytes=10")) == 2_048 + 20)
        #expect(declaration.memoryPerProcess?(try declaration.values(parsing: "shared-mib=3")) == 3 << 20)
        #expect(throws: BenchError.self) { try declaration.values(parsing: "shared-mib=\(((SystemMemory.totalBytes ?? 0) >> 20) + 1)") }
        #expect(!declaration.inDefaultMatrix && !WorkloadRegistry.defaultMatrix.contains("profile"))
    }
}
