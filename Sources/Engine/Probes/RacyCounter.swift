// ============================================================================
//  DELIBERATELY RACY CODE — the only such file in bench.
//
//  The sharing experiment counts the updates that are lost when several
//  threads or processes increment one word without a lock: a load, an add
//  and a store, which another party's load and store can interleave with.
//  These functions are that data race on purpose, through an unsafe
//  pointer, where the Swift 6 compiler cannot see it. Nothing else may call
//  them; every other counter in bench is a Mutex, an Atomic or a semaphore.
//  The result is read after every party has finished (joined or reaped), so
//  the count itself is read safely; only the increments race.
// ============================================================================

/// Increments that race: the pitfall of a shared variable without a lock.
public enum RacyCounter {
    /// Adds one to `word`, `times` times, each a separate load, add and store
    /// (never merged into one add: `bump` is opaque to the loop).
    @inline(never)
    public static func increment(_ word: UnsafeMutablePointer<Int>, times: Int) {
        for _ in 0..<times { bump(word) }
    }

    @inline(never)
    static func bump(_ word: UnsafeMutablePointer<Int>) {
        word.pointee &+= 1
    }
}

/// A word on the heap that several threads increment through `RacyCounter`;
/// `@unchecked Sendable` because the races on it are the point.
public final class RacyWord: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Int>

    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit {
        pointer.deallocate()
    }

    /// Read once every party has finished.
    public var value: Int { pointer.pointee }
}
