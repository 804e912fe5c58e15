import Engine
import Glibc
import Platform
import Synchronization

/// Seed 002's ThreadLocal in Swift: each of `workers` parties sets its own
/// value (its "url") once and then reads it `count` times in a function it
/// calls (`worker()`), which checks that it sees its own value and never
/// another party's. The ways of getting the value there: passed down as an
/// argument, thread-specific storage (pthread_key), a task-local
/// (`@TaskLocal`), or a global dictionary keyed by thread under a lock (what
/// the seed says locals spare you).
enum SwiftThreadLocals {
    static func measure(_ subject: String, workers: Int, count: Int) throws -> [String: Double] {
        let (seconds, foreign): (Double, Int)
        switch subject {
        case "argument":
            (seconds, foreign) = try threads(workers, count: count, set: { _ in }, read: workerTakingArgument)
        case "pthread-key":
            let key = ThreadKey()
            (seconds, foreign) = try threads(workers, count: count, set: key.set) { _ in workerReadingKey(key) }
        case "task-local":
            (seconds, foreign) = try blockingAwait {
                let start = MonotonicClock.now()
                let foreign = await withTaskGroup(of: Int.self) { group in
                    for index in 0..<workers {
                        group.addTask {
                            let url = Self.url(index)
                            return RequestContext.$url.withValue(url) {
                                (0..<count).reduce(0) { wrong, _ in wrong + (workerReadingTaskLocal() == url ? 0 : 1) }
                            }
                        }
                    }
                    var wrong = 0
                    for await found in group { wrong += found }
                    return wrong
                }
                return (MonotonicClock.seconds(since: start), foreign)
            }
        default:
            let table = LockedTable()
            (seconds, foreign) = try threads(workers, count: count, set: table.set) { _ in workerReadingTable(table) }
        }
        return ["ns_per_access": seconds * 1e9 / Double(workers * count), "foreign_reads": Double(foreign)]
    }

    /// `workers` threads, each setting its own value with `set`, then reading it
    /// `count` times with `read` (given the value, for the argument variant);
    /// the span, and the reads that saw another value.
    private static func threads(
        _ workers: Int, count: Int, set: @escaping @Sendable (Int) -> Void, read: @escaping @Sendable (Int) -> Int
    ) throws -> (Double, Int) {
        let foreign = Atomic<Int>(0)
        let seconds = try ThreadParties.run(workers, name: "local-party") { index in
            let url = Self.url(index)
            set(url)
            var wrong = 0
            for _ in 0..<count where read(url) != url { wrong += 1 }
            foreign.wrappingAdd(wrong, ordering: .relaxed)
        }.seconds
        return (seconds, foreign.load(ordering: .relaxed))
    }

    /// Party `index`'s value: distinct for every party, never 0 (an unset key reads 0).
    static func url(_ index: Int) -> Int {
        1_000 + index
    }

    @inline(never)
    static func workerTakingArgument(_ url: Int) -> Int {
        url
    }

    @inline(never)
    static func workerReadingKey(_ key: ThreadKey) -> Int {
        key.value
    }

    @inline(never)
    static func workerReadingTaskLocal() -> Int {
        RequestContext.url
    }

    @inline(never)
    static func workerReadingTable(_ table: LockedTable) -> Int {
        table.value
    }
}

/// The task-local of the probe: the seed's `local_variable.url` for tasks.
enum RequestContext {
    @TaskLocal static var url = 0
}

/// A pthread key: one value per thread, read without a lock.
final class ThreadKey: @unchecked Sendable {
    private var key = pthread_key_t()

    init() {
        pthread_key_create(&key, nil)
    }

    deinit {
        pthread_key_delete(key)
    }

    /// This thread's value (an integer stored as the pointer's bits).
    func set(_ value: Int) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: value))
    }

    var value: Int { Int(bitPattern: pthread_getspecific(key)) }
}

/// The global alternative: a dictionary keyed by thread, under a lock.
final class LockedTable: Sendable {
    private let table = Mutex<[UInt: Int]>([:])

    func set(_ value: Int) {
        let thread = UInt(pthread_self())
        table.withLock { $0[thread] = value }
    }

    var value: Int {
        let thread = UInt(pthread_self())
        return table.withLock { $0[thread] ?? 0 }
    }
}
