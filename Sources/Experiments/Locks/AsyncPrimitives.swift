import Synchronization

/// A counting semaphore for tasks: `acquire` suspends (never blocks a
/// thread of the cooperative pool) until a permit is free; permits go to
/// waiters in the order they came. Swift's standard library has none, and
/// asyncio.Semaphore is what the probe compares it with.
final class AsyncSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(permits: Int) {
        state = Mutex(State(permits: permits))
    }

    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state -> Bool in
                guard state.permits > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.permits -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.permits += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// An event one task waits on and anyone sets, as asyncio.Event: `wait`
/// suspends until it is set; `clear` makes it unset again.
final class AsyncEvent: Sendable {
    private struct State {
        var isSet = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.isSet { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Whether a task is suspended in `wait` now.
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    func set() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isSet = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func clear() {
        state.withLock { $0.isSet = false }
    }
}
