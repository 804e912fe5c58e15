import Platform

/// The classic CPU-bound loop of the tutorials (`x = x ^ 1`), made honest.
///
/// `x ^= 1` alone is vectorised or folded by the optimizer (see
/// NOTES-swift-linux.md), which would measure SIMD rather than a loop. The
/// serial dependency `x = (x ^ i) &+ 1` stays one scalar chain whose time
/// grows linearly with the iteration count. Each task starts from a seed
/// derived from its index, so no two tasks can share a computed result.
public struct XorWorkload: Workload {
    public let iterations: Int

    public init(iterations: Int) throws {
        guard iterations >= 1 else {
            throw WorkloadError("xor needs at least 1 iteration", exitCode: .usage)
        }
        self.iterations = iterations
    }

    public var name: String { "xor" }
    public var kind: WorkloadKind { .cpu }
    public var work: WorkSize { WorkSize(amount: iterations, unit: "iterations") }

    public func run(task: Int) throws -> UInt64 {
        xorChain(seed: mix(UInt64(truncatingIfNeeded: task)), iterations: iterations)
    }

    public static let iterationsParameter = ParameterDeclaration.count(
        "iterations", default: 2_000_000, quick: 1_000_000, range: 1...Int(Int32.max),
        help: "xor: loop iterations per task")

    public static let declaration = WorkloadDeclaration(
        name: "xor", kind: .cpu,
        summary: "x = (x ^ i) &+ 1 for --iterations steps: one scalar dependency chain",
        parameters: [iterationsParameter], defaultTasks: 64, quickTasks: 16
    ) { values in
        try XorWorkload(iterations: values.number("iterations"))
    }
}

/// Kept out of line so each call is one opaque unit of work the caller
/// cannot hoist or merge across tasks.
@inline(never)
func xorChain(seed: UInt64, iterations: Int) -> UInt64 {
    var x = seed
    var i: UInt64 = 0
    let end = UInt64(iterations)
    while i < end {
        x = (x ^ i) &+ 1
        i &+= 1
    }
    return x
}
