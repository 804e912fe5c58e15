import Foundation
import Glibc
import LocalHTTP
import Platform

/// A plain blocking TCP client for tests that must see the server's bytes
/// exactly as sent, with no HTTP client in between.
public final class RawSocket {
    public let fd: Int32

    /// Connects to 127.0.0.1:`port`; every read gives up after `timeoutSeconds`.
    public init(port: UInt16, timeoutSeconds: Int = 10) throws {
        // Connect before `fd` is stored: once every stored property is set, a throwing
        // init still runs deinit, which would close the number a second time.
        fd = try Self.connected(port: port, timeoutSeconds: timeoutSeconds)
    }

    private static func connected(port: UInt16, timeoutSeconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Socket.streamType, 0)
        var time = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        guard Socket.connect(fd, to: Socket.address(host: Socket.loopback, port: port)) == 0 else {
            let code = errno
            close(fd)
            throw RawSocketError(what: "connect: \(String(cString: strerror(code)))", code: code)
        }
        return fd
    }

    deinit {
        close(fd)
    }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, 0) }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// Reads until `count` bytes have arrived, the peer closes, or a read times out.
    public func read(atLeast count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard got > 0 else { break }
            received.append(contentsOf: buffer[0..<got])
        }
        return received
    }

    /// Reads until the peer closes (or a read times out); `closed` says which.
    public func readToEnd() -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { return (received, true) }
            if got < 0 { return (received, false) }
            received.append(contentsOf: buffer[0..<got])
        }
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, read, released).
    public static func unusedPort() -> UInt16 {
        let fd = socket(AF_INET, Socket.streamType, 0)
        defer { close(fd) }
        _ = Socket.bind(fd, to: Socket.address(host: Socket.loopback, port: 0))
        return Socket.localPort(fd) ?? 0
    }
}

/// A failed connect in a test, with errno.
public struct RawSocketError: Error {
    public let what: String
    public let code: Int32
}

/// One HTTP response as raw text, split at the blank line.
public struct RawResponse {
    public let head: String
    public let body: [UInt8]

    /// Splits the first response in `bytes`; `rest` is whatever follows its body.
    public static func split(_ bytes: [UInt8]) -> (response: RawResponse, rest: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self)
        let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        let length = lengthLine.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        return (RawResponse(head: head, body: Array(bytes[bodyStart..<bodyStart + length])), Array(bytes[(bodyStart + length)...]))
    }
}
