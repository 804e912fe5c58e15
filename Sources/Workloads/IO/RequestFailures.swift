import LocalHTTP
import Synchronization

/// The failed requests of one run in this process: how many, out of how
/// many, and the first one's reason. A failed request does not stop the
/// others, so the run can end with a count rather than with whichever
/// failure came first; `finish()` then fails the run with that count.
final class RequestFailures: Sendable {
    private let state = Mutex(State())

    private struct State {
        var attempted = 0
        var failed = 0
        var first: HTTPError?
    }

    /// The request's result, or, when it failed, the failure recorded and
    /// `placeholder` returned, so the task's thread goes on to the next one.
    func outcome(of request: Result<UInt64, HTTPError>, placeholder: UInt64) -> UInt64 {
        state.withLock { state in
            state.attempted += 1
            switch request {
            case let .success(result):
                return result
            case let .failure(error):
                state.failed += 1
                if state.first == nil { state.first = error }
                return placeholder
            }
        }
    }

    /// Throws when any request of the run failed, and starts a new run either way.
    func endRun() throws {
        let ended = state.withLock { state in
            defer { state = State() }
            return state
        }
        guard ended.failed > 0, let first = ended.first else { return }
        throw WorkloadError(
            "\(ended.failed) of \(ended.attempted) requests failed; the first: \(first.what)",
            fix: "check the server (--http-url) and its --http-bytes, or raise the open-file limit (ulimit -n)")
    }
}
