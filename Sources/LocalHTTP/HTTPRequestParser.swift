import Platform

/// One request head the server has read: what to answer, and whether the
/// connection stays open after the answer.
public struct HTTPRequestHead: Equatable, Sendable {
    /// What the request asks for.
    public enum Answer: Equatable, Sendable {
        /// `GET /task/<n>`: the task's body.
        case task(Int)
        /// Any other path: the server's route hook decides (`HTTPRoutes`).
        case path(String)
        /// A well-formed request for a `/task/` path that names no task.
        case notFound
        /// A method other than GET or HEAD.
        case methodNotAllowed
    }

    public var answer: Answer
    /// HEAD: the headers of a GET without its body.
    public var headersOnly: Bool
    public var keepAlive: Bool
    /// Bytes of the buffer this head took, including its blank line.
    public var length: Int
}

/// The outcome of looking at the start of a connection's input.
public enum HTTPRequestParse: Equatable, Sendable {
    /// No complete head yet: read more.
    case incomplete
    case request(HTTPRequestHead)
    /// Not HTTP this server can answer; reply with `status` and close.
    case invalid(status: Int)
}

/// Parses HTTP/1.x request heads from raw bytes, without copying them.
///
/// Only what this server needs: the request line, `Connection`, and a refusal
/// of request bodies (a GET has none; accepting them would mean framing them).
public enum HTTPRequestParser {
    /// Longer heads are refused with 431: no client of this workload sends one.
    public static let maximumHeadBytes = 8192

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> HTTPRequestParse {
        // Garbage (a TLS hello, binary) and bare-LF lines would otherwise wait for a
        // CRLFCRLF that never comes: the client gets its 400 now, not silence.
        if let first = bytes.first, first < UInt8(ascii: "A") || first > UInt8(ascii: "Z") {
            return .invalid(status: 400)
        }
        guard let end = headEnd(bytes) else {
            if hasBareLineFeed(bytes, upTo: min(bytes.count, maximumHeadBytes)) { return .invalid(status: 400) }
            return bytes.count > maximumHeadBytes ? .invalid(status: 431) : .incomplete
        }
        guard end <= maximumHeadBytes else { return .invalid(status: 431) }
        var lines = LineCursor(bytes: bytes, end: end)
        guard let requestLine = lines.next() else { return .invalid(status: 400) }
        let words = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard words.count == 3 else { return .invalid(status: 400) }
        let method = words[0], target = words[1], version = words[2]
        var keepAlive: Bool
        if version.elementsEqual("HTTP/1.1".utf8) {
            keepAlive = true
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            keepAlive = false
        } else {
            return .invalid(status: version.starts(with: "HTTP/".utf8) ? 505 : 400)
        }
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .invalid(status: 400) }
            let name = line[line.startIndex..<colon]
            // Values are read only for the two headers that matter; most requests carry just Host.
            if equalsIgnoringCase(name, "connection") {
                let value = lowercased(trimmed(line[(colon + 1)...]))
                if value.contains("close") {
                    keepAlive = false
                } else if value.contains("keep-alive") {
                    keepAlive = true
                }
            } else if equalsIgnoringCase(name, "transfer-encoding") {
                return .invalid(status: 400)
            } else if equalsIgnoringCase(name, "content-length"), lowercased(trimmed(line[(colon + 1)...])) != "0" {
                return .invalid(status: 400)
            }
        }
        let isGet = method.elementsEqual("GET".utf8)
        let isHead = method.elementsEqual("HEAD".utf8)
        let answer: HTTPRequestHead.Answer
        if !isGet && !isHead {
            answer = .methodNotAllowed
        } else if let task = taskNumber(target) {
            answer = .task(task)
        } else if target.starts(with: "/task/".utf8) {
            answer = .notFound
        } else {
            answer = .path(String(decoding: target, as: UTF8.self))
        }
        return .request(HTTPRequestHead(answer: answer, headersOnly: isHead, keepAlive: keepAlive, length: end))
    }

    /// `/task/<n>` with n a plain decimal of at most 18 digits.
    static func taskNumber(_ target: UnsafeRawBufferPointer.SubSequence) -> Int? {
        let prefix = "/task/".utf8
        guard target.starts(with: prefix) else { return nil }
        let digits = target.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// The index just past the blank line ending the head, if it has arrived.
    public static func headEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 3
        while index < bytes.count {
            if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 {
                return index + 1
            }
            index += 1
        }
        return nil
    }

    /// Whether a line feed without its carriage return comes before `limit`.
    static func hasBareLineFeed(_ bytes: UnsafeRawBufferPointer, upTo limit: Int) -> Bool {
        var index = 0
        while index < limit {
            if bytes[index] == 10 && (index == 0 || bytes[index - 1] != 13) { return true }
            index += 1
        }
        return false
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer.SubSequence) -> UnsafeRawBufferPointer.SubSequence {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice = slice.dropLast() }
        return slice
    }

    private static func lowercased(_ bytes: UnsafeRawBufferPointer.SubSequence) -> String {
        String(decoding: bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer.SubSequence, _ name: String) -> Bool {
        bytes.count == name.utf8.count
            && zip(bytes, name.utf8).allSatisfy { ($0 >= 65 && $0 <= 90 ? $0 + 32 : $0) == $1 }
    }
}

/// The CRLF-separated lines of a head, up to (not including) its blank line.
struct LineCursor {
    let bytes: UnsafeRawBufferPointer
    let end: Int
    private var position = 0

    init(bytes: UnsafeRawBufferPointer, end: Int) {
        self.bytes = bytes
        self.end = end
    }

    mutating func next() -> UnsafeRawBufferPointer.SubSequence? {
        var index = position
        while index + 1 < end, !(bytes[index] == 13 && bytes[index + 1] == 10) {
            index += 1
        }
        guard index + 1 < end, index > position else { return nil }
        let line = bytes[position..<index]
        position = index + 2
        return line
    }
}
