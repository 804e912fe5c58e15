/// The command line of a probe's peer process (`bench-worker channel-peer`,
/// `state-peer`): `--mode NAME`, whole numbers of 0 or more by name, and
/// switches without a value. bench writes it; a peer only checks it.
public struct PeerArguments {
    public private(set) var mode: String?
    public private(set) var numbers: [String: Int]
    public private(set) var switches: Set<String> = []

    /// Parses `arguments`, whose numbers may only be those of `numbers` (their
    /// defaults) and whose switches those of `switches`; the error's text otherwise.
    public static func parse(_ arguments: [String], numbers: [String: Int], switches: Set<String> = []) -> Result<PeerArguments, PeerArgumentError> {
        var parsed = PeerArguments(mode: nil, numbers: numbers)
        var words = arguments[...]
        while let flag = words.popFirst() {
            let name = String(flag.dropFirst(2))
            if flag.hasPrefix("--"), switches.contains(name) {
                parsed.switches.insert(name)
                continue
            }
            guard flag.hasPrefix("--"), let text = words.popFirst() else { return .failure(PeerArgumentError(message: "\(flag) needs a value")) }
            if name == "mode" {
                parsed.mode = text
            } else if numbers[name] != nil, let value = Int(text), value >= 0 {
                parsed.numbers[name] = value
            } else {
                return .failure(PeerArgumentError(message: "bad option \(flag) \(text)"))
            }
        }
        return .success(parsed)
    }

    /// The value of number `name` (one of those declared to `parse`).
    public subscript(_ name: String) -> Int {
        numbers[name] ?? 0
    }
}

/// What is wrong with a peer's command line.
public struct PeerArgumentError: Error {
    public let message: String
}
