import Platform
import Glibc

/// The blocking client: one TCP connection used with plain blocking
/// `send`/`recv`, the way a script calling `requests.get` waits for its answer.
///
/// Each call blocks its thread for the whole round trip, which is what the
/// thread, process and hybrid models are about. Every socket call is bounded
/// by `timeoutSeconds`, so a silent server fails the task instead of hanging it.
public final class BlockingHTTPConnection {
    public let endpoint: HTTPEndpoint
    private var fd: Int32
    /// Requests answered on this connection (a failure on a reused one may be retried).
    public private(set) var completed = 0
    /// False once the server said it will close, or anything failed.
    public private(set) var isReusable = true
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Connects, failing fast with `HTTPError.cannotConnect` when nothing listens.
    public init(endpoint: HTTPEndpoint, timeoutSeconds: Double) throws(HTTPError) {
        self.endpoint = endpoint
        do {
            fd = try Socket.makeTCP(nonBlocking: false)
        } catch {
            throw HTTPError.cannotConnect(endpoint, reason: error.reason)
        }
        Socket.setTimeouts(fd, seconds: timeoutSeconds)
        Socket.setNoDelay(fd)
        if Socket.connect(fd, to: endpoint.socketAddress) != 0 {
            var code = errno
            if code == EINTR {
                code = Self.finishInterruptedConnect(fd, timeoutSeconds: timeoutSeconds)
            }
            if code != 0 {
                // Every stored property is set, so deinit runs after this throw and closes
                // the socket; closing here too would close whatever socket reused the number.
                // A blocking connect that hits SO_SNDTIMEO reports EINPROGRESS.
                let reason = code == EINPROGRESS || code == EAGAIN
                    ? "no answer within \(Int(timeoutSeconds)) s" : String(cString: strerror(code))
                throw HTTPError.cannotConnect(endpoint, reason: reason)
            }
        }
    }

    /// A connect cut short by a signal goes on in the kernel, and with
    /// SO_SNDTIMEO set it is not restarted (signal(7)): calling connect again
    /// would only say EALREADY. Waits for the socket to become writable and
    /// returns the connect's own outcome (0, or its errno; EINPROGRESS on timeout).
    private static func finishInterruptedConnect(_ fd: Int32, timeoutSeconds: Double) -> Int32 {
        switch FileDescriptor.wait(fd, for: Int16(POLLOUT), until: MonotonicClock.deadline(afterSeconds: timeoutSeconds)) {
        case .ready: return Socket.pendingError(fd)
        case .timedOut: return EINPROGRESS
        case let .failed(code): return code
        }
    }

    deinit {
        Glibc.close(fd)
    }

    /// Sends `GET /task/<task>` and reads the whole response.
    public func fetch(task: Int, keepAlive: Bool, timeoutSeconds: Double) throws(HTTPError) -> HTTPResponseSummary {
        try exchange(
            HTTPRequest.bytes(task: task, endpoint: endpoint, keepAlive: keepAlive), url: endpoint.url(task: task),
            keepAlive: keepAlive, keepsBody: false, timeoutSeconds: timeoutSeconds)
    }

    /// Sends `GET <path>` and reads the whole response, its body kept.
    public func get(path: String, keepAlive: Bool, timeoutSeconds: Double) throws(HTTPError) -> HTTPResponseSummary {
        try exchange(
            HTTPRequest.bytes(path: path, endpoint: endpoint, keepAlive: keepAlive), url: endpoint.url(path: path),
            keepAlive: keepAlive, keepsBody: true, timeoutSeconds: timeoutSeconds)
    }

    private func exchange(
        _ request: [UInt8], url: String, keepAlive: Bool, keepsBody: Bool, timeoutSeconds: Double
    ) throws(HTTPError) -> HTTPResponseSummary {
        isReusable = false
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Socket.noSignal) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(url, errno, timeoutSeconds: timeoutSeconds, while: "sending the request")
            }
            sent += count
        }
        var parser = HTTPResponseParser(keepsBody: keepsBody)
        while !parser.isComplete {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(url, errno, timeoutSeconds: timeoutSeconds, while: "reading the response")
            }
            if count == 0 {
                throw HTTPError.transport(url, "connection closed by the server \(parser.progress)")
            }
            do {
                try buffer.withUnsafeBytes { try parser.consume(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            } catch let error as ResponseSyntaxError {
                throw HTTPError.response(url, error.what)
            } catch {
                throw HTTPError.response(url, "\(error)")
            }
        }
        let summary = parser.summary!
        completed += 1
        isReusable = keepAlive && !summary.closesConnection
        return summary
    }

    private func failure(_ url: String, _ code: Int32, timeoutSeconds: Double, while doing: String) -> HTTPError {
        if code == EAGAIN || code == EWOULDBLOCK {
            return HTTPError.timedOut(url, seconds: timeoutSeconds)
        }
        return HTTPError.transport(url, "\(String(cString: strerror(code))) while \(doing)")
    }
}
