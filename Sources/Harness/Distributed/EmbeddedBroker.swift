import Broker
import Engine
import Foundation
import Glibc
import Platform

/// The redis-server bench starts when no `--broker` is given: on 127.0.0.1,
/// on a free port, with a random password, in a scratch folder of its own,
/// with no persistence. Started before the first sample (its start is
/// recorded in meta.json, outside every sample, like the fork server's), it
/// lives in a process of its own whose CPU time no sample counts, and it
/// stops when bench stops it or ends: its parent is `bench-worker
/// broker-guard`, which watches bench's lifeline as the HTTP server does.
final class EmbeddedBroker: @unchecked Sendable {
    let address: BrokerAddress
    /// The redis-server process (the guard's child).
    let serverPID: Int32
    let version: String
    /// Seconds from spawning the guard to the first answered PING.
    let startSeconds: Double
    private let guardProcess: ChildProcess
    private let folder: String
    private var lifeline: Int32

    static let installHint = "install it (Debian: apt-get install redis-server), or give --broker redis://HOST:PORT of a running one"

    private init(address: BrokerAddress, serverPID: Int32, version: String, startSeconds: Double, guardProcess: ChildProcess, folder: String, lifeline: Int32) {
        self.address = address
        self.serverPID = serverPID
        self.version = version
        self.startSeconds = startSeconds
        self.guardProcess = guardProcess
        self.folder = folder
        self.lifeline = lifeline
    }

    deinit {
        stop()
    }

    /// Starts a server; a port taken between choosing it and the server's
    /// bind is retried with another.
    static func start() throws -> EmbeddedBroker {
        guard let server = PackageFile.onPath("redis-server") else {
            throw BenchError.usage("redis-server is not installed, and the distributed model needs a Redis broker", fix: installHint)
        }
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                return try launch(server.path)
            } catch let error as PortTaken {
                lastError = error
            }
        }
        throw lastError!
    }

    /// Whether the server still runs (it may have been killed). A killed
    /// server is a zombie until its guard notices, so its state is read, not
    /// just its existence.
    var isRunning: Bool {
        guard lifeline >= 0, !guardProcess.hasEnded(), let stat = ProcFile.read("/proc/\(serverPID)/stat"),
              let close = stat.lastIndex(of: ")"), stat.index(close, offsetBy: 2) < stat.endIndex else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Stops the server and removes its folder; safe to call more than once.
    func stop() {
        guard lifeline >= 0 else { return }
        FileDescriptor.close(lifeline)
        lifeline = -1
        if guardProcess.wait(until: MonotonicClock.deadline(afterSeconds: 3)) == nil {
            kill(serverPID, SIGKILL)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private struct PortTaken: Error {}

    private static func launch(_ server: String) throws -> EmbeddedBroker {
        let started = MonotonicClock.now()
        let folder = try scratchFolder()
        var cleanFolder = true
        defer { if cleanFolder { try? FileManager.default.removeItem(atPath: folder) } }
        let password = try randomPassword()
        let address = BrokerAddress(host: "127.0.0.1", port: try freePort(), password: password)
        let configuration = """
            bind 127.0.0.1
            port \(address.port)
            protected-mode yes
            requirepass \(password)
            save ""
            appendonly no
            daemonize no
            databases 1
            dir "\(folder)"
            logfile "\(folder)/redis.log"

            """
        let configurationPipe = try FileDescriptor.makePipe()
        let lifelinePipe: (read: Int32, write: Int32)
        let output: (read: Int32, write: Int32)
        do {
            lifelinePipe = try FileDescriptor.makePipe()
            output = try FileDescriptor.makePipe()
        } catch {
            [configurationPipe.read, configurationPipe.write].forEach(FileDescriptor.close)
            throw error
        }
        let guardProcess: ChildProcess
        do {
            // Its own process group, with the server in it: an abort kills both, and a
            // Ctrl-C to bench's group reaches neither.
            guardProcess = try ChildProcess(
                executable: try HelperExecutable.resolve(), arguments: HelperExecutable.arguments([BrokerGuard.role, server]),
                standardInput: lifelinePipe.read, standardOutput: output.write,
                extraDescriptors: [(3, configurationPipe.read)], ownGroup: true, blockedSignals: Signals.stopSignals)
        } catch {
            [configurationPipe.read, configurationPipe.write, lifelinePipe.read, lifelinePipe.write, output.read, output.write]
                .forEach(FileDescriptor.close)
            throw error
        }
        [configurationPipe.read, lifelinePipe.read, output.write].forEach(FileDescriptor.close)
        FileDescriptor.writeAll(configurationPipe.write, configuration)
        FileDescriptor.close(configurationPipe.write)
        let pidLine = FileDescriptor.readLine(output.read, milliseconds: 5_000)
        FileDescriptor.close(output.read)
        func abandon() {
            FileDescriptor.close(lifelinePipe.write)
            _ = guardProcess.wait(until: MonotonicClock.deadline(afterSeconds: 3))
        }
        guard let pid = pidLine.flatMap({ Int32($0) }) else {
            abandon()
            throw BenchError.runFailed(
                "cannot start redis-server (\(server)): \(guardProcess.standardError().split(separator: "\n").last ?? "no message")",
                fix: installHint)
        }
        // Ready once it answers; a server that exits instead says why in its log.
        let deadline = MonotonicClock.deadline(afterSeconds: 10)
        var connection: RedisConnection?
        while connection == nil {
            connection = try? RedisConnection(address)
            if connection != nil { break }
            if guardProcess.hasEnded() || MonotonicClock.now() >= deadline {
                abandon()
                let log = (try? String(contentsOfFile: folder + "/redis.log", encoding: .utf8)) ?? ""
                if log.contains("Address already in use") { throw PortTaken() }
                let last = log.split(separator: "\n").last.map(String.init) ?? "no log"
                throw BenchError.runFailed("redis-server (\(server)) did not start: \(last)", fix: installHint)
            }
            usleep(2_000)
        }
        let startSeconds = MonotonicClock.seconds(since: started)
        let info = (try? connection?.call(["INFO", "server"]).text) ?? nil
        let version = info.flatMap(Self.version(fromInfo:)) ?? "unknown"
        cleanFolder = false
        return EmbeddedBroker(
            address: address, serverPID: pid, version: version, startSeconds: startSeconds, guardProcess: guardProcess,
            folder: folder, lifeline: lifelinePipe.write)
    }

    /// `redis_version` from an INFO reply.
    static func version(fromInfo text: String) -> String? {
        text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_version:") }.map { String($0.dropFirst("redis_version:".count)) }
    }

    /// A folder only this user can enter, for the server's log (and nothing else: no persistence),
    /// under bench's per-user scratch folder: a killed bench's is reclaimed at the next start.
    private static func scratchFolder() throws -> String {
        do {
            return try ScratchFolder.make("redis")
        } catch {
            throw BenchError.io("cannot create a folder for redis-server under \(ScratchFolder.root)", errno: error.code)
        }
    }

    /// 32 bytes from /dev/urandom, as 64 hex digits.
    private static func randomPassword() throws -> String {
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("cannot open /dev/urandom", errno: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard read(fd, &bytes, bytes.count) == bytes.count else { throw SystemCallError("cannot read /dev/urandom", errno: errno) }
        return bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// A port nobody listens on now: the kernel's choice for a socket bound to port 0.
    private static func freePort() throws -> UInt16 {
        let fd = try Socket.makeTCP(nonBlocking: false)
        defer { close(fd) }
        guard Socket.bind(fd, to: Socket.address(host: Socket.loopback, port: 0)) == 0, let port = Socket.localPort(fd) else {
            throw SystemCallError("cannot find a free port on 127.0.0.1", errno: errno)
        }
        return port
    }
}
