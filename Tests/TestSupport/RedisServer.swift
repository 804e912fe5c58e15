import Foundation
import Glibc
import Platform

/// A redis-server a test starts for itself (never the machine's own on 6379):
/// on a free port of `bind`, with `password`, no persistence, optionally
/// inside a network namespace; its configuration (password included) goes
/// on its standard input, as bench passes it. Stopped by `stop()`.
public final class RedisServer {
    public let host: String
    public let port: UInt16
    public let password: String
    public let process: Spawned
    private let folder: TemporaryFolder

    /// nil when redis-server is not installed (.ci/run installs it).
    public static var executable: String? {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts it and waits until it accepts connections; `namespace` runs it under `ip netns exec`.
    public init(bind: String = "127.0.0.1", port: UInt16? = nil, password: String, namespace: String? = nil) throws {
        guard let server = Self.executable else { throw TestError("redis-server is not installed (apt-get install redis-server)") }
        host = bind
        self.port = port ?? RawSocket.unusedPort()
        self.password = password
        folder = try TemporaryFolder()
        let arguments = namespace.map { ["netns", "exec", $0, server, "-"] } ?? ["-"]
        process = try Spawned(URL(fileURLWithPath: namespace == nil ? server : "/usr/sbin/ip"), arguments, pipeInput: true)
        let configuration = "bind \(bind)\nport \(self.port)\nrequirepass \(password)\nsave \"\"\nappendonly no\ndir \"\(folder.url.path)\"\n"
        try process.write(configuration)
        process.closeInput()
        // Ready once its log says so; checked through redis-cli-free means: a TCP connect (in the namespace, via its own PING).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: "/proc/\(process.pid)") == false { break }
            if namespace == nil ? Self.accepts(bind, self.port) : Self.acceptsInNamespace(namespace!, bind, self.port) { return }
            usleep(5_000)
        }
        stop()
        throw TestError("redis-server did not start: \(process.standardError().suffix(300))")
    }

    deinit {
        stop()
    }

    public var url: String { "redis://\(host):\(port)" }

    /// The pid of redis-server itself (under `ip netns exec`, the same: it execs).
    public var pid: Int32 { process.pid }

    public func stop() {
        kill(process.pid, SIGKILL)
        _ = process.wait(seconds: 5)
        folder.remove()
    }

    static func accepts(_ host: String, _ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Socket.streamType, 0)
        defer { close(fd) }
        var address = in_addr()
        inet_pton(AF_INET, host, &address)
        return Socket.connect(fd, to: Socket.address(host: address, port: port)) == 0
    }

    /// The same check from inside `namespace`, with bash's /dev/tcp.
    static func acceptsInNamespace(_ namespace: String, _ host: String, _ port: UInt16) -> Bool {
        (try? NetworkNamespace.run(["netns", "exec", namespace, "bash", "-c", "exec 3<>/dev/tcp/\(host)/\(port)"])) == 0
    }
}

/// A test's own failure with a message.
public struct TestError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
