import Platform

/// A task shaped like the user's own: it computes for `--cpu-us`, waits for
/// `--wait-ms`, touches `--memory-kib` of its own memory, reads the
/// `--shared-mib` block every task shares (`SharedBlock`), and returns a
/// result of `--result-bytes` bytes, which the pool models carry back to the
/// parent whole (see `PayloadWorkload`).
///
/// Computing is the xor round trip (`XorRoundTrip`), sized from the time one
/// step takes here, so it is real work for the whole time asked. Waiting is
/// a blocking sleep on threads and `Task.sleep` under async, or with
/// `--wait http` a request to bench's local server, which answers after
/// `--wait-ms`. Every part feeds the result, and each part's contribution is
/// known in advance, so the checksum is analytic whatever the timing.
public struct ProfileWorkload: PayloadWorkload {
    /// How a task waits.
    public enum Wait: String, Sendable, CaseIterable {
        case sleep
        case http
    }

    public let cpuMicroseconds: Int
    public let waitMilliseconds: Int
    public let wait: Wait
    public let memoryKibibytes: Int
    public let resultBytes: Int
    public let sharedMebibytes: Int
    /// Built by `setUpProcess()` (or the first task to read it); nil for `--shared-mib 0`.
    let shared: SharedBlock?
    /// Steps of the xor round trip per task.
    public let iterations: Int
    /// The client of `--wait http` (nil for sleep).
    let server: HTTPWorkload?

    /// The body of the server's answers: small, because the wait is the point, not the transfer.
    public static let httpBodyBytes = 64
    /// Mixed into each task's seed ("profile"), so its results differ from xor's.
    static let salt: UInt64 = 0x70_726F_6669_6C65

    /// `iterationPicoseconds` 0 uses this process's own measurement; `waitURL`
    /// is the server of `--wait http` (the fixture's, once it is up).
    public init(
        cpuMicroseconds: Int, waitMilliseconds: Int, wait: Wait = .sleep, memoryKibibytes: Int = 0, resultBytes: Int = 8,
        iterationPicoseconds: Int = 0, waitURL: String = "", sharedMebibytes: Int = 0
    ) throws {
        guard cpuMicroseconds >= 0, waitMilliseconds >= 0, memoryKibibytes >= 0, resultBytes >= 0, iterationPicoseconds >= 0,
              sharedMebibytes >= 0 else {
            throw WorkloadError("profile needs times, sizes and a step time of 0 or more", exitCode: .usage)
        }
        self.cpuMicroseconds = cpuMicroseconds
        self.waitMilliseconds = waitMilliseconds
        self.wait = wait
        self.memoryKibibytes = memoryKibibytes
        self.resultBytes = resultBytes
        self.sharedMebibytes = sharedMebibytes
        shared = sharedMebibytes > 0 ? SharedBlock(mebibytes: sharedMebibytes) : nil
        iterations = XorRoundTrip.iterations(
            microseconds: cpuMicroseconds,
            picoseconds: iterationPicoseconds > 0 || cpuMicroseconds == 0 ? iterationPicoseconds : XorRoundTrip.measuredPicoseconds)
        server = wait == .http
            ? try HTTPWorkload(latencyMilliseconds: waitMilliseconds, bytes: Self.httpBodyBytes, url: waitURL) : nil
    }

    public var name: String { "profile" }
    public var kind: WorkloadKind { .cpu }
    /// The task's time as asked: computing plus waiting, in microseconds.
    public var work: WorkSize { WorkSize(amount: cpuMicroseconds + 1000 * waitMilliseconds, unit: "microseconds") }

    public func payload(task: Int) throws -> [UInt8] {
        let x = XorRoundTrip.run(seed: Self.seed(task), iterations: iterations)
        let waited: UInt64
        if let server {
            _ = try server.fetch(task: task)
            waited = UInt64(Self.httpBodyBytes)
        } else {
            if waitMilliseconds > 0 { BlockingSleep.milliseconds(waitMilliseconds) }
            waited = 0
        }
        return result(x: x, waited: waited)
    }

    public func payloadAsync(task: Int) async throws -> [UInt8] {
        let x = XorRoundTrip.run(seed: Self.seed(task), iterations: iterations)
        let waited: UInt64
        if let server {
            _ = try await server.fetchAsync(task: task)
            waited = UInt64(Self.httpBodyBytes)
        } else {
            if waitMilliseconds > 0 { try await Task.sleep(for: .milliseconds(waitMilliseconds)) }
            waited = 0
        }
        return result(x: x, waited: waited)
    }

    public func setUpProcess() {
        shared?.build()
    }

    public func expectedResult(task: Int) -> UInt64? {
        let x = Self.seed(task)
        let touched = MemoryTouch.expected(kibibytes: memoryKibibytes, value: Self.memoryValue(x))
        let waited: UInt64 = wait == .http ? UInt64(Self.httpBodyBytes) : 0
        let read = SharedBlock.expectedSum(mebibytes: sharedMebibytes)
        return ResultBytes.digestOfRepeating(x ^ mix(touched &+ waited &+ read), count: resultBytes)
    }

    /// The memory parts, then the result built from every part (with no
    /// shared block its part is 0, which leaves the results as they were before it).
    func result(x: UInt64, waited: UInt64) -> [UInt8] {
        let touched = MemoryTouch.run(kibibytes: memoryKibibytes, value: Self.memoryValue(x))
        let read = shared?.readEveryPage() ?? 0
        return ResultBytes.repeating(x ^ mix(touched &+ waited &+ read), count: resultBytes)
    }

    static func seed(_ task: Int) -> UInt64 {
        mix(UInt64(truncatingIfNeeded: task) ^ salt)
    }

    /// The byte written into the task's memory: never 0, so a page that was not written reads differently.
    static func memoryValue(_ x: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: x) | 1
    }

    public static let cpuParameter = ParameterDeclaration.count(
        "cpu-us", default: 1_000, quick: 200, range: 0...60_000_000,
        help: "profile: microseconds each task computes (the xor chain, sized from the measured time of one step)")
    public static let waitParameter = ParameterDeclaration.milliseconds(
        "wait-ms", default: 1, range: 0...600_000, help: "profile: milliseconds each task then waits")
    public static let memoryParameter = ParameterDeclaration.count(
        "memory-kib", default: 256, quick: 64, range: 0...max(1, (SystemMemory.totalBytes ?? 1 << 30) / 1024),
        help: "profile: KiB of its own memory each task allocates and writes (a byte per cache line), at most this machine's RAM")
    public static let resultParameter = ParameterDeclaration.bytes(
        "result-bytes", default: 1024, range: 0...(16 << 20),
        help: "profile: bytes of the result each task returns; pools carry them to the parent")
    public static let sharedParameter = ParameterDeclaration.count(
        "shared-mib", default: 0, range: 0...max(1, (SystemMemory.totalBytes ?? 1 << 30) >> 20),
        help: "profile: MiB built once before the workers start, which every task reads (a byte per page): threads share it, forked processes share it until written (Python's fork), spawned ones build their own copy (Swift's workers, Python's spawn)")
    public static let picosecondsParameter = ParameterDeclaration.count(
        "iteration-ps", default: 0, range: 0...1_000_000,
        help: "profile: picoseconds one xor step takes, which sizes --cpu-us; 0 = measured by bench before measuring (Python measures its own)")

    public static let declaration = WorkloadDeclaration(
        name: "profile", kind: .cpu,
        summary: "your task's shape: computes --cpu-us, waits --wait-ms, touches --memory-kib, returns --result-bytes",
        parameters: [
            cpuParameter, waitParameter,
            .choice("wait", Wait.allCases.map(\.rawValue), default: Wait.sleep.rawValue,
                    help: "profile: sleep (blocking on threads, Task.sleep under async) or http (a request to bench's local server, answering after --wait-ms)"),
            memoryParameter, resultParameter, sharedParameter, picosecondsParameter,
            .text("wait-url", example: "http://127.0.0.1:8080/",
                  help: "profile: with --wait http, request this server (e.g. a bench serve) instead of starting one"),
        ],
        defaultTasks: 64, quickTasks: 16, fixture: ProfileFixture.declaration, inDefaultMatrix: false,
        memoryPerTask: { values in values.number("memory-kib") * 1024 + 2 * values.number("result-bytes") },
        memoryPerProcess: { values in values.number("shared-mib") << 20 }
    ) { values in
        try ProfileWorkload(
            cpuMicroseconds: values.number("cpu-us"), waitMilliseconds: values.number("wait-ms"),
            wait: Wait(rawValue: values.text("wait")) ?? .sleep, memoryKibibytes: values.number("memory-kib"),
            resultBytes: values.number("result-bytes"), iterationPicoseconds: values.number("iteration-ps"),
            waitURL: values.text("wait-url"), sharedMebibytes: values.number("shared-mib"))
    }
}
