import Workloads

/// A way of mapping N tasks onto threads, processes or async tasks.
///
/// Models are thin: each says how tasks map onto the primitives in
/// `Execution/` (and `Pool/`), and reports what it measured about itself.
/// They know nothing of CSV, statistics or the matrix.
protocol ConcurrencyModel: Sendable {
    var name: ModelName { get }
    /// Runs every task of `job` once and returns their combined checksum.
    func execute(_ job: Job) throws -> Execution
}

extension Workload {
    /// Runs `body`, then `finish()`, also when `body` throws: a failed run
    /// must not leave a stream of this run open for the next one.
    func finishing<Value>(_ body: () throws -> Value) throws -> Value {
        try finishing(body, finish: finish)
    }

    /// The same, with the caller's own way of finishing (one that times it, say).
    func finishing<Value>(_ body: () throws -> Value, finish: () throws -> Void) throws -> Value {
        let value: Value
        do {
            value = try body()
        } catch {
            try? self.finish()
            throw error
        }
        try finish()
        return value
    }
}
