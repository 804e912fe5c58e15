/// A workload whose tasks hand back bytes, not only a checksum: the result a
/// real task returns (a parsed record, a thumbnail), of a declared size.
///
/// In-process models digest the bytes where the task ran, which is all it
/// costs to hand them over in one address space. The pool models send them
/// whole from the worker to the parent, which digests what arrives: the
/// pipe's copies and the parent's reading are part of the work, as they are
/// for a Python Pool that pickles its results. Either way the task's result
/// is `ResultBytes.digest` of its bytes, so every model's checksum agrees.
/// Payload workloads keep no per-thread session.
public protocol PayloadWorkload: Workload {
    /// Performs task `task`, blocking, and returns its result bytes.
    func payload(task: Int) throws -> [UInt8]

    /// Performs task `task` from Swift concurrency (suspending, never
    /// blocking, while it waits) and returns its result bytes.
    func payloadAsync(task: Int) async throws -> [UInt8]
}

extension PayloadWorkload {
    public func run(task: Int) throws -> UInt64 {
        ResultBytes.digest(try payload(task: task))
    }

    public func runAsync(task: Int) async throws -> UInt64 {
        ResultBytes.digest(try await payloadAsync(task: task))
    }

    public func payloadAsync(task: Int) async throws -> [UInt8] {
        try payload(task: task)
    }
}
