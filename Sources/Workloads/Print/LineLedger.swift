/// Checks what a printing run wrote: every task's line exactly once, and
/// nothing else (a line of a task outside `tasks` is not from this run).
public struct LineLedger: Equatable {
    public var lost = 0
    public var duplicated = 0
    /// Non-empty lines that carry no task of the run.
    public var foreign = 0

    public var isExact: Bool { lost == 0 && duplicated == 0 && foreign == 0 }

    public init(output: [UInt8], tasks: Range<Int>, task: (Substring) -> Int?) {
        var seen = [UInt8](repeating: 0, count: tasks.count)
        // Split on bytes: a terminal turns "\n" into "\r\n", which Swift's String
        // treats as one Character that a split on "\n" would never cut.
        for rawLine in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let bytes = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            if bytes.isEmpty { continue }
            guard let item = task(Substring(String(decoding: bytes, as: UTF8.self))), tasks.contains(item) else {
                foreign += 1
                continue
            }
            let index = item - tasks.lowerBound
            if seen[index] == 0 { seen[index] = 1 } else { duplicated += 1 }
        }
        lost = seen.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    }

    public var description: String {
        "\(lost) lines lost, \(duplicated) duplicated, \(foreign) not from this run"
    }
}
