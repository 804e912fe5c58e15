import Glibc
import Platform

/// A blocking connection to a Redis server, used by one thread at a time:
/// the coordinator's, a worker's, and a worker's heartbeat each own one.
///
/// Every wait is bounded: connecting and logging in together take at most
/// `connectSeconds` (an unreachable broker or a wrong password is one error
/// within 2 s), and every reply must arrive within the time its command
/// allows, so a broker that stops answering becomes an error, never a hang.
/// Commands can be pipelined: several written at once, their replies read
/// in order, one round trip for all.
public final class RedisConnection {
    public let address: BrokerAddress
    private var fd: Int32 = -1
    private var parser = RESPParser()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Connect + AUTH within this many seconds: the "within 2 s", with room to print.
    public static let connectSeconds = 1.5
    /// How long a non-blocking command may take to be answered.
    public static let replySeconds = 10.0

    /// Connects and logs in (AUTH, or a PING when there is no password, so a
    /// server that wants one says so now).
    public init(_ address: BrokerAddress, connectSeconds: Double = RedisConnection.connectSeconds) throws(BrokerError) {
        self.address = address
        let deadline = MonotonicClock.deadline(afterSeconds: connectSeconds)
        let target = try address.socketAddress()
        do {
            fd = try Socket.makeTCP(nonBlocking: true)
        } catch {
            throw BrokerError.unreachable(address.endpoint, reason: error.reason)
        }
        Socket.setNoDelay(fd)
        if Socket.connect(fd, to: target) != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else {
                throw BrokerError.unreachable(address.endpoint, reason: SystemCallError.describe(code))
            }
            guard wait(for: Int16(POLLOUT), until: deadline) else {
                throw BrokerError.unreachable(address.endpoint, reason: "no answer within \(Self.format(connectSeconds)) s")
            }
            let pending = Socket.pendingError(fd)
            guard pending == 0 else {
                throw BrokerError.unreachable(address.endpoint, reason: SystemCallError.describe(pending))
            }
        }
        let login: [String] = if let password = address.password {
            ["AUTH"] + (address.user.map { [$0] } ?? []) + [password]
        } else {
            ["PING"]
        }
        let reply: RESPValue
        do {
            reply = try exchange([login], deadline: deadline, doing: "logging in")[0]
        } catch let BrokerError.lost(endpoint, _, reason) {
            throw BrokerError.unreachable(endpoint, reason: "it did not answer a login (\(reason)); is it a Redis server?")
        }
        if case let .error(message) = reply {
            // Redis's own words (WRONGPASS, NOAUTH...), which never echo the password.
            throw BrokerError.authentication(address.endpoint, message: message)
        }
    }

    deinit {
        close()
    }

    /// Closes the connection; any later command fails.
    public func close() {
        FileDescriptor.close(fd)
        fd = -1
    }

    /// Runs one command; an error reply throws `BrokerError.reply`.
    /// `blockMilliseconds` is the BLOCK the command asks the server for, so
    /// the reply is awaited that much longer.
    @discardableResult
    public func call(_ arguments: [String], blockMilliseconds: Int = 0) throws(BrokerError) -> RESPValue {
        try pipeline([arguments], blockMilliseconds: blockMilliseconds)[0]
    }

    /// Runs several commands in one round trip; any error reply throws.
    @discardableResult
    public func pipeline(_ commands: [[String]], blockMilliseconds: Int = 0) throws(BrokerError) -> [RESPValue] {
        let replies = try exchange(commands, deadline: MonotonicClock.deadline(
            afterSeconds: Self.replySeconds + Double(blockMilliseconds) / 1000), doing: "running " + (commands.first?.first ?? "a command"))
        for (index, reply) in replies.enumerated() {
            if case let .error(message) = reply {
                throw BrokerError.reply(address.endpoint, command: commands[index].first ?? "", message: message)
            }
        }
        return replies
    }

    /// Writes `commands` and reads as many replies, error replies included.
    public func exchange(_ commands: [[String]], deadline: UInt64, doing: String) throws(BrokerError) -> [RESPValue] {
        var bytes: [UInt8] = []
        for command in commands { RESPValue.appendCommand(command, to: &bytes) }
        try send(bytes, until: deadline, doing: doing)
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        while replies.count < commands.count {
            do {
                while replies.count < commands.count, let value = try parser.next() {
                    replies.append(value)
                }
            } catch {
                close()
                throw BrokerError.protocolError(address.endpoint, detail: error.detail)
            }
            if replies.count < commands.count {
                try receive(until: deadline, doing: doing)
            }
        }
        return replies
    }

    private func send(_ bytes: [UInt8], until deadline: UInt64, doing: String) throws(BrokerError) {
        var offset = 0
        while offset < bytes.count {
            guard fd >= 0 else { throw lost(doing, "the connection was closed") }
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Socket.noSignal) }
            if sent > 0 {
                offset += sent
                continue
            }
            let code = errno
            if sent < 0 && code == EINTR { continue }
            if sent < 0 && code == EAGAIN {
                guard wait(for: Int16(POLLOUT), until: deadline) else { throw lost(doing, "it stopped reading") }
                continue
            }
            close()
            throw lost(doing, SystemCallError.describe(code))
        }
    }

    private func receive(until deadline: UInt64, doing: String) throws(BrokerError) {
        while true {
            guard fd >= 0 else { throw lost(doing, "the connection was closed") }
            let outcome = buffer.withUnsafeMutableBytes { FileDescriptor.readSome(fd, into: $0) }
            switch outcome {
            case let .bytes(count):
                buffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                return
            case .endOfFile:
                close()
                throw lost(doing, "it closed the connection")
            case .wouldBlock:
                guard wait(for: Int16(POLLIN), until: deadline) else {
                    close()
                    throw lost(doing, "no answer within \(Self.format(Self.replySeconds)) s")
                }
            case let .failed(code):
                close()
                throw lost(doing, SystemCallError.describe(code))
            }
        }
    }

    private func lost(_ doing: String, _ reason: String) -> BrokerError {
        .lost(address.endpoint, doing: doing, reason: reason)
    }

    /// Polls for `events` until `deadline`; false on timeout. A failing poll
    /// counts as ready: the read or write that follows reports the socket's error.
    private func wait(for events: Int16, until deadline: UInt64) -> Bool {
        FileDescriptor.wait(fd, for: events, until: deadline) != .timedOut
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
