import Glibc
import Platform
import Synchronization

/// A distributed worker's pulse, on a thread and a connection of its own, so
/// that it beats while the worker's one thread runs a long task:
///
/// - it renews the worker's `alive` key, which expires `ttl` after the last
///   beat (the coordinator reads it to know a remote worker is still there);
/// - it re-claims the chunk the worker is running (XCLAIM with JUSTID, which
///   resets the entry's idle time), so that only a chunk whose worker has
///   gone silent grows idle enough for another worker's XAUTOCLAIM to take it.
final class WorkerHeartbeat: Sendable {
    /// Beats this often: well inside the shortest redelivery timeout (1 s).
    static let intervalMilliseconds = 200
    /// The alive key lives this long after a beat.
    static let ttlMilliseconds = 2_000

    private struct State {
        /// The entry being run, and its stream.
        var current: (stream: String, entry: String)?
        var stopped = false
    }

    private let state = Mutex(State())

    /// Starts beating for `worker`; a heartbeat that cannot reach the broker
    /// ends quietly (the worker's own connection reports the broker's loss).
    init(address: BrokerAddress, worker: String) throws(SystemCallError) {
        let thread = try NativeThread.start(name: "heartbeat", stackBytes: 128 * 1024) { [self] in
            guard let connection = try? RedisConnection(address) else { return }
            while true {
                let (stopped, current) = self.state.withLock { ($0.stopped, $0.current) }
                if stopped { return }
                var commands = [["SET", BrokerKeys.alive(worker), "1", "PX", String(Self.ttlMilliseconds)]]
                if let current {
                    commands.append(["XCLAIM", current.stream, BrokerKeys.group, worker, "0", current.entry, "JUSTID"])
                }
                guard (try? connection.pipeline(commands)) != nil else { return }
                usleep(UInt32(Self.intervalMilliseconds * 1000))
            }
        }
        thread.detach()
    }

    /// The worker started running `entry` of `stream` (nil: it finished it).
    func working(on entry: String?, of stream: String) {
        state.withLock { $0.current = entry.map { (stream, $0) } }
    }

    func stop() {
        state.withLock { $0.stopped = true }
    }
}
