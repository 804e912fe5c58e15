import Bench

/// The workload this package adds to bench: each task hashes `--sha-bytes`
/// bytes with `SHA256`, declared exactly as bench declares its own.
///
/// Task `t` hashes its index (8 bytes, little-endian) followed by one shared
/// buffer, so every task's digest differs; the result is the digest's first
/// 8 bytes, read big-endian. bench checks every model's checksum against one
/// serial run of its own (`expectedResult` is not given: only hashing tells).
struct SHA256Workload: Workload {
    let bytes: Int
    /// The shared part of every task's input, made once per process.
    let buffer: [UInt8]

    init(bytes: Int) throws {
        guard bytes >= 0 else {
            throw WorkloadError("sha256 needs a size of 0 bytes or more", exitCode: .usage)
        }
        self.bytes = bytes
        buffer = Self.buffer(bytes: bytes)
    }

    var name: String { "sha256" }
    var kind: WorkloadKind { .cpu }
    var work: WorkSize { WorkSize(amount: bytes, unit: "bytes") }

    func run(task: Int) throws -> UInt64 {
        var hasher = SHA256()
        hasher.update(Self.prefix(task: task))
        hasher.update(buffer)
        return hasher.finish().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// What task `task` hashes before the buffer.
    static func prefix(task: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(task).littleEndian) { Array($0) }
    }

    /// Byte `i` of the buffer is `i * 31 + 7`, modulo 256.
    static func buffer(bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static let declaration = WorkloadDeclaration(
        name: "sha256", kind: .cpu,
        summary: "SHA-256 (by hand, this package's) over the task's index and --sha-bytes of a shared buffer",
        parameters: [
            .bytes("sha-bytes", default: 1 << 20, quick: 64 << 10, range: 0...(256 << 20),
                   help: "sha256: bytes each task hashes after its index"),
        ],
        defaultTasks: 64, quickTasks: 16
    ) { values in
        try SHA256Workload(bytes: values.number("sha-bytes"))
    }
}
