import Dispatch

/// Fires a handler if a run outlives its deadline. In-process models cannot be
/// stopped from outside (a thread cannot be killed), so for them the handler
/// ends the whole process once the files are closed; process models stop
/// their own workers first and the watchdog is only a backstop.
final class Watchdog: @unchecked Sendable {
    private let item: DispatchWorkItem

    init(seconds: Double, onExpiry: @escaping @Sendable () -> Void) {
        item = DispatchWorkItem(block: onExpiry)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
    }

    func cancel() {
        item.cancel()
    }
}
