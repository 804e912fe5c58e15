import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

// Foundation's URLSession (libcurl underneath on Linux) behind a C entry point,
// built as its own shared library and loaded by the http workload only when
// `--http-client urlsession` asks for it. Linked into bench, FoundationNetworking
// and libcurl's 30-odd libraries would be loaded by every process start: about
// 6 ms more per exec here, which worker processes would pay in their setup time.

/// Called once per request: `status` is the HTTP status (or -1 with `failure`
/// set), `body`/`count` the body, valid only during the call; `closes` is
/// non-zero when the server said `Connection: close`. `failure` is 1 for
/// cannot-connect, 2 for timeout, 3 for any other transport error, 0 for none.
public typealias URLSessionCompletion = @convention(c) (
    _ context: UnsafeMutableRawPointer?, _ status: Int32, _ body: UnsafeRawPointer?, _ count: Int, _ closes: Int32,
    _ failure: Int32, _ message: UnsafePointer<CChar>?
) -> Void

/// Starts `GET url`; `completion` is called exactly once, on a URLSession thread.
@_cdecl("bench_urlsession_fetch")
public func benchURLSessionFetch(
    _ url: UnsafePointer<CChar>, _ keepAlive: Int32, _ timeoutSeconds: Double, _ context: UnsafeMutableRawPointer?,
    _ completion: URLSessionCompletion
) {
    let text = String(cString: url)
    guard let target = URL(string: text) else {
        "bad URL \(text)".withCString { completion(context, -1, nil, 0, 0, 3, $0) }
        return
    }
    var request = URLRequest(url: target)
    if keepAlive == 0 {
        request.setValue("close", forHTTPHeaderField: "Connection")
    }
    // The caller's context crosses to URLSession's thread as an address (a raw pointer is not Sendable).
    let address = UInt(bitPattern: context)
    let task = Sessions.shared.session(timeoutSeconds: timeoutSeconds).dataTask(with: request) { data, response, error in
        let context = UnsafeMutableRawPointer(bitPattern: address)
        if let error {
            let code = (error as? URLError)?.code
            let failure: Int32 = switch code {
            case .cannotConnectToHost?, .cannotFindHost?: 1
            case .timedOut?: 2
            default: 3
            }
            let message = "\(error.localizedDescription) (URLError \(code?.rawValue ?? 0))"
            message.withCString { completion(context, -1, nil, 0, 0, failure, $0) }
            return
        }
        guard let http = response as? HTTPURLResponse else {
            "not an HTTP response".withCString { completion(context, -1, nil, 0, 0, 3, $0) }
            return
        }
        let closes: Int32 = (http.value(forHTTPHeaderField: "Connection") ?? "").lowercased().contains("close") ? 1 : 0
        let body = data ?? Data()
        body.withUnsafeBytes { completion(context, Int32(http.statusCode), $0.baseAddress, $0.count, closes, 0, nil) }
    }
    task.resume()
}

/// One session per timeout, made on first use and kept: a session owns the
/// connection pool, so keep-alive only means something if it lives on.
private final class Sessions: Sendable {
    static let shared = Sessions()
    private let sessions = Mutex<[Double: URLSession]>([:])

    func session(timeoutSeconds: Double) -> URLSession {
        sessions.withLock { sessions in
            if let session = sessions[timeoutSeconds] { return session }
            let configuration = URLSessionConfiguration.ephemeral
            // The default of 6 per host would cap every in-flight window at 6 (NOTES-swift-linux.md).
            configuration.httpMaximumConnectionsPerHost = 1 << 20
            configuration.timeoutIntervalForRequest = timeoutSeconds
            configuration.timeoutIntervalForResource = timeoutSeconds
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.urlCache = nil
            let session = URLSession(configuration: configuration)
            sessions[timeoutSeconds] = session
            return session
        }
    }
}
