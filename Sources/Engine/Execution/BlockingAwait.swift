import Dispatch
import Synchronization

/// Runs async work from synchronous code and waits for it.
///
/// The runner is synchronous on the main thread; the async model's tasks run
/// on the cooperative pool, so parking the main thread here costs that pool
/// nothing. Never call this from a cooperative-pool thread: parking one of
/// the pool's few threads can leave the operation no thread to run on.
public func blockingAwait<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) throws -> Value {
    let outcome = OutcomeBox<Value>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            let value = try await operation()
            outcome.result.withLock { $0 = .success(value) }
        } catch {
            outcome.result.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    return try outcome.result.withLock { $0! }.get()
}

/// Carries a result from the detached task back to the waiting thread.
private final class OutcomeBox<Value: Sendable>: Sendable {
    let result = Mutex<Result<Value, any Error>?>(nil)
}
