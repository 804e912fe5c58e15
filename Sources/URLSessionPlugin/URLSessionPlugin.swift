import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The stock client (`--http-client urlsession`): Foundation's URLSession
/// (libcurl underneath on Linux), for comparing the own async client with
/// what most Swift code would use.
///
/// Its per-host connection limit defaults to 6, which would cap every
/// in-flight window at 6 (NOTES-swift-linux.md); it is raised so that the
/// model's `--workers` is the only limit.
final class URLSessionHTTPClient: Sendable {
    private let session: URLSession
    private let timeoutSeconds: Double

    /// One session per timeout, made on first use and kept: a session owns a
    /// connection pool, and keep-alive only means something if it lives on.
    private static let sessions = SessionCache()

    static func shared(timeoutSeconds: Double) -> URLSessionHTTPClient {
        sessions.client(timeoutSeconds: timeoutSeconds)
    }

    init(timeoutSeconds: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1 << 20
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
        self.timeoutSeconds = timeoutSeconds
    }

    /// Fetches `/task/<task>`; without keep-alive the request says `Connection: close`.
    func fetch(task: Int, endpoint: HTTPEndpoint, keepAlive: Bool) async throws -> HTTPResponseSummary {
        let url = endpoint.url(task: task)
        var request = URLRequest(url: URL(string: url)!)
        if !keepAlive {
            request.setValue("close", forHTTPHeaderField: "Connection")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw translate(error, url: url, endpoint: endpoint)
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPError.response(url, "not an HTTP response")
        }
        var digest = BodyDigest()
        data.withUnsafeBytes { digest.update($0) }
        let connection = (http.value(forHTTPHeaderField: "Connection") ?? "").lowercased()
        return HTTPResponseSummary(
            status: http.statusCode, bodyBytes: data.count, digest: digest.value,
            closesConnection: connection.contains("close"))
    }

    private func translate(_ error: URLError, url: String, endpoint: HTTPEndpoint) -> HTTPError {
        let reason = "\(error.localizedDescription) (URLError \(error.code.rawValue))"
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost:
            return HTTPError.cannotConnect(endpoint, reason: reason)
        case .timedOut:
            return HTTPError.timedOut(url, seconds: timeoutSeconds)
        default:
            return HTTPError.transport(url, reason)
        }
    }
}

/// URLSession clients by timeout, shared across tasks and threads.
private final class SessionCache: Sendable {
    private let clients = Mutex<[Double: URLSessionHTTPClient]>([:])

    func client(timeoutSeconds: Double) -> URLSessionHTTPClient {
        clients.withLock { clients in
            if let client = clients[timeoutSeconds] { return client }
            let client = URLSessionHTTPClient(timeoutSeconds: timeoutSeconds)
            clients[timeoutSeconds] = client
            return client
        }
    }
}
