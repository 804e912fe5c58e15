/// One value of RESP2, the protocol Redis speaks: what a reply is made of.
///
/// Commands go the other way as arrays of bulk strings (`RESPValue.command`).
/// RESP2 rather than RESP3 because every Redis since 2.0 answers it without a
/// HELLO, and the few types it has are all the broker protocol needs.
public enum RESPValue: Sendable, Equatable {
    /// `+OK`
    case simple(String)
    /// `-ERR ...`, `-WRONGPASS ...`: the command failed; the connection is still good.
    case error(String)
    /// `:42`
    case integer(Int)
    /// `$3\r\nabc`
    case bulk([UInt8])
    /// `$-1` or `*-1`: no value (a missing key, a blocking read that timed out).
    case null
    /// `*2\r\n...`
    case array([RESPValue])

    /// A simple or bulk string as text (UTF-8), an integer in decimal; nil otherwise.
    public var text: String? {
        switch self {
        case let .simple(text): text
        case let .bulk(bytes): String(decoding: bytes, as: UTF8.self)
        case let .integer(value): String(value)
        default: nil
        }
    }

    /// An integer reply, or a string holding a decimal integer.
    public var integer: Int? {
        if case let .integer(value) = self { return value }
        return text.flatMap { Int($0) }
    }

    /// The elements of an array reply; nil for anything else (null included).
    public var elements: [RESPValue]? {
        if case let .array(values) = self { return values }
        return nil
    }

    /// The bytes of `arguments` as one command: an array of bulk strings.
    public static func command(_ arguments: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        appendCommand(arguments, to: &bytes)
        return bytes
    }

    /// Appends one command to `bytes`, for pipelines (several commands, one write).
    public static func appendCommand(_ arguments: [String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "*"))
        bytes.append(contentsOf: String(arguments.count).utf8)
        bytes.append(contentsOf: [13, 10])
        for argument in arguments {
            bytes.append(UInt8(ascii: "$"))
            bytes.append(contentsOf: String(argument.utf8.count).utf8)
            bytes.append(contentsOf: [13, 10])
            bytes.append(contentsOf: argument.utf8)
            bytes.append(contentsOf: [13, 10])
        }
    }

    /// The encoded form of this value (replies; tests use it to feed the parser).
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        func line(_ prefix: Character, _ text: String) {
            bytes.append(contentsOf: String(prefix).utf8)
            bytes.append(contentsOf: text.utf8)
            bytes.append(contentsOf: [13, 10])
        }
        switch self {
        case let .simple(text): line("+", text)
        case let .error(text): line("-", text)
        case let .integer(value): line(":", String(value))
        case let .bulk(payload):
            line("$", String(payload.count))
            bytes.append(contentsOf: payload)
            bytes.append(contentsOf: [13, 10])
        case .null: line("$", "-1")
        case let .array(values):
            line("*", String(values.count))
            for value in values { bytes.append(contentsOf: value.encoded) }
        }
        return bytes
    }
}
