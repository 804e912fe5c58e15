import Glibc
import Synchronization

/// The counter behind `GET /count`: the seed's "global variable" of a web
/// application, incremented once per request.
///
/// `processLocal` is the pitfall: an ordinary global, which every thread of
/// a process shares but which `fork()` copies, so that each prefork worker
/// counts only the requests it served. `shared` is the fix: one word on a
/// `MAP_SHARED` page mapped before the workers are forked, incremented
/// atomically, which every process sees.
public final class RequestCounter: @unchecked Sendable {
    private let word: UnsafeMutablePointer<Atomic<Int>>
    public let isShared: Bool

    public init(shared: Bool) {
        isShared = shared
        let flags = shared ? MAP_SHARED | MAP_ANONYMOUS : MAP_PRIVATE | MAP_ANONYMOUS
        let page = mmap(nil, Int(getpagesize()), PROT_READ | PROT_WRITE, flags, -1, 0)
        precondition(page != MAP_FAILED, "mmap of one page failed")
        word = page!.bindMemory(to: Atomic<Int>.self, capacity: 1)
        word.initialize(to: Atomic(0))
    }

    /// Adds one and returns the new count.
    public func increment() -> Int {
        word.pointee.wrappingAdd(1, ordering: .relaxed).newValue
    }

    public var value: Int { word.pointee.load(ordering: .relaxed) }
}
