/// One entry of a Redis stream: its id and its field-value pairs, as
/// XREAD, XREADGROUP and XAUTOCLAIM return them.
public struct StreamEntry: Sendable, Equatable {
    public let id: String
    public let fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    /// Parses `[id, [field, value, ...]]`; nil for an entry deleted since
    /// it was delivered (`[id, nil]`), or anything else.
    init?(_ value: RESPValue) {
        guard let parts = value.elements, parts.count == 2, let id = parts[0].text,
              let pairs = parts[1].elements else { return nil }
        self.init(id: id, fields: Self.dictionary(pairs))
    }

    /// `[field, value, field, value...]` (an HGETALL reply too) as a dictionary.
    public static func dictionary(_ pairs: [RESPValue]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index + 1 < pairs.count {
            if let name = pairs[index].text, let value = pairs[index + 1].text { fields[name] = value }
            index += 2
        }
        return fields
    }

    /// The entries of an XREAD or XREADGROUP reply, by stream name (null:
    /// the BLOCK timed out, no entries).
    public static func byStream(_ reply: RESPValue) -> [String: [StreamEntry]] {
        var streams: [String: [StreamEntry]] = [:]
        for stream in reply.elements ?? [] {
            guard let parts = stream.elements, parts.count == 2, let name = parts[0].text else { continue }
            streams[name] = (parts[1].elements ?? []).compactMap(StreamEntry.init)
        }
        return streams
    }

    /// The entries an XAUTOCLAIM reply claimed: `[next, [entries], [deleted ids]]`.
    public static func claimed(_ reply: RESPValue) -> [StreamEntry] {
        guard let parts = reply.elements, parts.count >= 2 else { return [] }
        return (parts[1].elements ?? []).compactMap(StreamEntry.init)
    }
}
