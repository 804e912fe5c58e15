import Platform
import Glibc
import Synchronization

/// The async client (`--http-client native`): a request suspends its task
/// until an event-loop thread, driving non-blocking sockets with epoll, has
/// the whole response and resumes the continuation.
///
/// No cooperative-pool thread ever waits on a socket: `fetch` only queues the
/// request and writes an eventfd. Connecting, sending, reading, keep-alive
/// reuse and timeouts all happen on the loop threads, so thousands of
/// requests in flight cost a socket each and no blocked pool.
///
/// One loop per core, requests dealt round-robin: a single loop does every
/// connect, read and close of a burst one after another on one core, and new
/// loopback connections are mostly kernel time. (The gain measured on a busy
/// 2-core VM was small, a few ms at 400 in flight; it is kept because it
/// cannot hurt more than a thread.)
public final class AsyncHTTPClient: Sendable {
    /// Started on first use, once per process.
    public static let shared: Result<AsyncHTTPClient, HTTPError> = {
        do {
            return .success(try AsyncHTTPClient(loops: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))))
        } catch {
            return .failure(HTTPError(.transport, "cannot start the async HTTP client: \(error)"))
        }
    }()

    private let loops: [ClientLoop]
    private let next = Atomic<Int>(0)

    private init(loops count: Int) throws(SystemCallError) {
        FileLimit.raiseToHardLimit()
        var loops: [ClientLoop] = []
        for _ in 0..<count {
            loops.append(try ClientLoop())
        }
        self.loops = loops
    }

    /// Fetches `/task/<task>`; suspends until the response is complete or fails.
    public func fetch(task: Int, endpoint: HTTPEndpoint, keepAlive: Bool, timeoutSeconds: Double) async throws -> HTTPResponseSummary {
        let loop = loops[next.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
        return try await loop.fetch(path: "/task/\(task)", keepsBody: false, endpoint: endpoint, keepAlive: keepAlive, timeoutSeconds: timeoutSeconds)
    }

    /// Fetches `path`, its body kept; suspends until the response is complete or fails.
    public func get(path: String, endpoint: HTTPEndpoint, keepAlive: Bool, timeoutSeconds: Double) async throws -> HTTPResponseSummary {
        let loop = loops[next.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
        return try await loop.fetch(path: path, keepsBody: true, endpoint: endpoint, keepAlive: keepAlive, timeoutSeconds: timeoutSeconds)
    }
}
