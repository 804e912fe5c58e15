import CEpoll
import Glibc

/// CPU cycles, instructions retired and cache misses, counted by the CPU's
/// performance monitoring unit through `perf_event_open`.
public struct HardwareCounters: Sendable, Equatable {
    public var cycles: Int
    public var instructions: Int
    public var cacheMisses: Int

    public init(cycles: Int, instructions: Int, cacheMisses: Int) {
        self.cycles = cycles
        self.instructions = instructions
        self.cacheMisses = cacheMisses
    }

    public static func - (lhs: HardwareCounters, rhs: HardwareCounters) -> HardwareCounters {
        HardwareCounters(
            cycles: lhs.cycles - rhs.cycles, instructions: lhs.instructions - rhs.instructions,
            cacheMisses: lhs.cacheMisses - rhs.cacheMisses)
    }

    /// The events, in the order of the fields.
    static let events: [PerfCounterSession.Event] = [
        .init(type: PERF_TYPE_HARDWARE.rawValue, config: UInt64(PERF_COUNT_HW_CPU_CYCLES.rawValue)),
        .init(type: PERF_TYPE_HARDWARE.rawValue, config: UInt64(PERF_COUNT_HW_INSTRUCTIONS.rawValue)),
        .init(type: PERF_TYPE_HARDWARE.rawValue, config: UInt64(PERF_COUNT_HW_CACHE_MISSES.rawValue)),
    ]

    /// This process's counters, opened on first use and kept for its life;
    /// `.failure` says why not (most virtual machines expose no counters).
    public static let session: Result<PerfCounterSession, SystemCallError> = {
        do throws(SystemCallError) {
            return .success(try PerfCounterSession(events: events))
        } catch {
            return .failure(error)
        }
    }()

    /// The counts so far of this process and everything it started after the
    /// session opened; nil without counters.
    public static func now() -> HardwareCounters? {
        guard case let .success(session) = session else { return nil }
        let counts = session.read()
        return HardwareCounters(cycles: counts[0], instructions: counts[1], cacheMisses: counts[2])
    }
}

/// Counters of some events over this process and all it starts: one counter
/// per event on every thread that exists when the session opens, each
/// inherited by the threads and processes that thread creates afterwards, so
/// worker processes (spawned, forked by a fork server started later, a Python
/// driver and its pool) add their counts to these. A sample's counts are the
/// difference of two readings. Inheriting costs every later thread and
/// process creation a few microseconds, the same for every model.
public final class PerfCounterSession: Sendable {
    /// A `perf_event_attr` type and config (PERF_TYPE_*, PERF_COUNT_*).
    public struct Event: Sendable {
        public let type: UInt32
        public let config: UInt64

        public init(type: UInt32, config: UInt64) {
            self.type = type
            self.config = config
        }
    }

    /// Per event, its descriptors (one per thread the session opened on).
    private let descriptors: [[Int32]]

    /// Opens the counters; throws the first refusal (EACCES, ENOENT, ENODEV
    /// or EOPNOTSUPP where the kernel or the hypervisor allows none).
    public init(events: [Event]) throws(SystemCallError) {
        let threads = ThreadIDs.all()
        var opened: [[Int32]] = []
        // Kernel and user time where allowed; user time only where perf_event_paranoid says so.
        var userOnly: Int32 = 0
        for event in events {
            var perThread: [Int32] = []
            for thread in threads {
                var fd = bench_open_counter(thread, event.type, event.config, userOnly)
                if fd == -EACCES && userOnly == 0 {
                    userOnly = 1
                    fd = bench_open_counter(thread, event.type, event.config, userOnly)
                }
                // A thread that ended since the listing has nothing left to count.
                if fd == -ESRCH { continue }
                guard fd >= 0 else {
                    for opened in (opened + [perThread]).joined() { close(opened) }
                    throw SystemCallError("perf_event_open", errno: -fd)
                }
                perThread.append(fd)
            }
            opened.append(perThread)
        }
        descriptors = opened
    }

    deinit {
        for fd in descriptors.joined() { close(fd) }
    }

    /// Each event's count so far, summed over its threads, scaled up where the
    /// kernel multiplexed the counter (enabled longer than it ran).
    public func read() -> [Int] {
        descriptors.map { perThread in
            perThread.reduce(0) { total, fd in
                var values: (UInt64, UInt64, UInt64) = (0, 0, 0)
                let count = withUnsafeMutableBytes(of: &values) { Glibc.read(fd, $0.baseAddress, $0.count) }
                guard count == MemoryLayout.size(ofValue: values) else { return total }
                let (value, enabled, running) = values
                guard running > 0 else { return total }
                let scaled = running < enabled ? Double(value) * Double(enabled) / Double(running) : Double(value)
                return total + Int(scaled)
            }
        }
    }
}
