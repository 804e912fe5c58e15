import CEpoll
import Glibc

/// A prefork model's handle: the workers, killed and reaped on stop, and the listener.
final class RunningPrefork: RunningServer {
    let port: UInt16
    private let listener: Int32
    private let workers: ForkedWorkers

    init(port: UInt16, listener: Int32, workers: ForkedWorkers) {
        self.port = port
        self.listener = listener
        self.workers = workers
    }

    /// The worker processes' ids.
    var pids: [pid_t] { workers.pids }

    func stop() {
        workers.stop()
        if listener >= 0 { close(listener) }
    }
}

/// The loop of a sync worker: accept one connection, answer one request on
/// it, close it (gunicorn's sync workers answer `Connection: close`: a
/// worker serving a keep-alive connection would serve nobody else).
enum SyncWorker {
    static func acceptForever(_ listener: Int32, handler: RequestHandler) -> Never {
        while true {
            let fd = accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            if fd >= 0 {
                BlockingConnection.serve(fd, handler: handler, keepAlive: false)
            } else if errno == EMFILE || errno == ENFILE {
                usleep(10_000)
            }
        }
    }
}
