import Glibc
import Platform

/// Prefork with SO_REUSEPORT: each worker binds a listening socket of its
/// own to the same port, and the kernel spreads new connections over them
/// by a hash of the connection (no shared accept queue, no thundering herd;
/// but a busy worker's queue waits while another idles).
public struct PreforkReusePortServer: ServerModel {
    public init() {}

    public var name: String { "prefork-reuseport" }
    public var summary: String { "--processes forked workers, each with its own SO_REUSEPORT socket on the port; one request per connection" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        // Bound, not listening: it reserves the port (the kernel's choice) and takes no connection.
        let (reserved, port) = try Listener.open(port: setup.port, reusePort: true, listening: false)
        defer { close(reserved) }
        let ready: (read: Int32, write: Int32)
        do {
            ready = try FileDescriptor.makePipe()
        } catch {
            throw ServerError("cannot make a pipe: \(error)", fix: "check the open-file limit (ulimit -n)")
        }
        defer { FileDescriptor.close(ready.read) }
        let workers: ForkedWorkers
        do {
            workers = try ForkedWorkers(count: setup.processes) { _ in
                close(ready.read)
                guard let (listener, _) = try? Listener.open(port: port, reusePort: true) else { _exit(1) }
                var byte: UInt8 = 1
                _ = write(ready.write, &byte, 1)
                close(ready.write)
                SyncWorker.acceptForever(listener, handler: handler)
            }
        } catch {
            FileDescriptor.close(ready.write)
            throw error
        }
        FileDescriptor.close(ready.write)
        // Every worker listening before the port is announced; a worker that died closes its end unsaid.
        var listening = 0
        var byte: UInt8 = 0
        while listening < setup.processes, FileDescriptor.waitReadable(ready.read, milliseconds: 10_000), read(ready.read, &byte, 1) == 1 {
            listening += 1
        }
        guard listening == setup.processes else {
            workers.stop()
            throw ServerError("only \(listening) of \(setup.processes) workers could listen on port \(port)", fix: "check the process and open-file limits")
        }
        return RunningPrefork(port: port, listener: -1, workers: workers)
    }
}
