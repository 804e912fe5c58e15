import Platform
import Glibc

/// The stock client (`--http-client urlsession`): Foundation's URLSession,
/// for comparing the own async client with what most Swift code would use.
///
/// URLSession lives in the `libBenchURLSession.so` plugin built beside the
/// bench binary and is loaded here on first use (see URLSessionPlugin for
/// why it is not linked in). A request suspends its task on a continuation
/// that the plugin's completion resumes, so no pool thread waits either.
public final class URLSessionHTTPClient: Sendable {
    static let libraryName = "libBenchURLSession.so"

    /// The plugin, loaded once per process.
    public static let shared: Result<URLSessionHTTPClient, HTTPError> = Result { () throws(HTTPError) in try URLSessionHTTPClient() }

    private typealias Fetch = @convention(c) (
        UnsafePointer<CChar>, Int32, Double, UnsafeMutableRawPointer?,
        @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int, Int32, Int32, UnsafePointer<CChar>?) -> Void
    ) -> Void

    private let fetchFunction: Fetch

    private init() throws(HTTPError) {
        let path = Self.libraryPath()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw HTTPError(.transport, "--http-client urlsession cannot load \(reason)")
        }
        guard let symbol = dlsym(handle, "bench_urlsession_fetch") else {
            throw HTTPError(.transport, "--http-client urlsession: \(path) has no bench_urlsession_fetch")
        }
        fetchFunction = unsafeBitCast(symbol, to: Fetch.self)
    }

    /// Beside this process's executable: the bench binary, or under swift test the test bundle in the same build folder.
    private static func libraryPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return libraryName }
        let executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return libraryName }
        return executable[...slash] + libraryName
    }

    /// Fetches `/task/<task>`; without keep-alive the request says `Connection: close`.
    public func fetch(task: Int, endpoint: HTTPEndpoint, keepAlive: Bool, timeoutSeconds: Double) async throws -> HTTPResponseSummary {
        let url = endpoint.url(task: task)
        let fetchFunction = self.fetchFunction
        return try await withCheckedThrowingContinuation { continuation in
            let context = Unmanaged.passRetained(Pending(url: url, endpoint: endpoint, timeoutSeconds: timeoutSeconds, continuation: continuation))
            fetchFunction(url, keepAlive ? 1 : 0, timeoutSeconds, context.toOpaque()) { context, status, body, count, closes, failure, message in
                let pending = Unmanaged<Pending>.fromOpaque(context!).takeRetainedValue()
                pending.finish(status: status, body: UnsafeRawBufferPointer(start: body, count: count), closes: closes != 0,
                               failure: failure, message: message.map { String(cString: $0) })
            }
        }
    }

    /// A request between the plugin call and its completion.
    private final class Pending: Sendable {
        let url: String
        let endpoint: HTTPEndpoint
        let timeoutSeconds: Double
        let continuation: CheckedContinuation<HTTPResponseSummary, any Error>

        init(url: String, endpoint: HTTPEndpoint, timeoutSeconds: Double, continuation: CheckedContinuation<HTTPResponseSummary, any Error>) {
            self.url = url
            self.endpoint = endpoint
            self.timeoutSeconds = timeoutSeconds
            self.continuation = continuation
        }

        func finish(status: Int32, body: UnsafeRawBufferPointer, closes: Bool, failure: Int32, message: String?) {
            switch failure {
            case 0:
                var digest = BodyDigest()
                digest.update(body)
                continuation.resume(returning: HTTPResponseSummary(
                    status: Int(status), bodyBytes: digest.count, digest: digest.value, closesConnection: closes))
            case 1:
                continuation.resume(throwing: HTTPError.cannotConnect(endpoint, reason: message ?? "URLSession error"))
            case 2:
                continuation.resume(throwing: HTTPError.timedOut(url, seconds: timeoutSeconds))
            default:
                continuation.resume(throwing: HTTPError.transport(url, message ?? "URLSession error"))
            }
        }
    }
}
