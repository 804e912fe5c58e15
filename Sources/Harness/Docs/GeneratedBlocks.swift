import Platform

/// The generated parts of a Markdown file: each block between
/// `<!-- bench:begin WORDS -->` and `<!-- bench:end -->` lines holds what
/// `bench docs` renders for WORDS (a committed run and a view of it), so
/// that every published table is derived from a committed run by one
/// command, and `bench docs --check` can tell when prose and data drifted.
///
/// Everything outside the blocks is the author's and is kept byte for byte.
public struct GeneratedBlocks: Sendable, Equatable {
    /// One generated block: its words, and the text between its marker lines.
    public struct Block: Sendable, Equatable {
        /// The begin marker's words, e.g. `["results/reference", "table", "xor"]`.
        public let words: [String]
        /// 1-based line of the begin marker, for messages.
        public let line: Int
        /// The lines between the markers, each with its line break.
        public let content: String
    }

    static let beginPrefix = "<!-- bench:begin "
    static let markerSuffix = " -->"
    static let endMarker = "<!-- bench:end -->"

    /// The file as alternating author text and blocks: `pieces[i]` is text,
    /// followed by `blocks[i]` (there is one more piece than blocks).
    public let pieces: [String]
    public let blocks: [Block]

    /// Splits `text`; a begin without an end, an end without a begin, or a
    /// begin inside a block is an error naming `file` and the line.
    public init(_ text: String, file: String) throws(BenchError) {
        var pieces: [String] = []
        var blocks: [Block] = []
        var current = ""
        var open: (words: [String], line: Int)?
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithLineBreak = text.hasSuffix("\n")
        if endsWithLineBreak { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            let whole = String(line) + (index < lines.count - 1 || endsWithLineBreak ? "\n" : "")
            let trimmed = line.trimmingTrailingSpaces()
            if trimmed.hasPrefix(Self.beginPrefix) && trimmed.hasSuffix(Self.markerSuffix) {
                if let open {
                    throw Self.error(file, lineNumber, "a bench:begin inside the block that begins on line \(open.line)")
                }
                let inner = trimmed.dropFirst(Self.beginPrefix.count).dropLast(Self.markerSuffix.count)
                let words = inner.split(separator: " ").map(String.init)
                guard !words.isEmpty else { throw Self.error(file, lineNumber, "a bench:begin marker without words") }
                pieces.append(current + whole)
                current = ""
                open = (words, lineNumber)
            } else if trimmed == Self.endMarker {
                guard let block = open else { throw Self.error(file, lineNumber, "a bench:end without its bench:begin") }
                blocks.append(Block(words: block.words, line: block.line, content: current))
                current = whole
                open = nil
            } else {
                current += whole
            }
        }
        if let open { throw Self.error(file, open.line, "a bench:begin without its bench:end") }
        pieces.append(current)
        self.pieces = pieces
        self.blocks = blocks
    }

    /// The file with every block's content replaced by `render(block)`
    /// (which should end with a line break; one is added when it does not).
    public func rendered(_ render: (Block) throws -> String) rethrows -> String {
        var text = pieces[0]
        for (index, block) in blocks.enumerated() {
            var content = try render(block)
            if !content.isEmpty && !content.hasSuffix("\n") { content += "\n" }
            text += content + pieces[index + 1]
        }
        return text
    }

    private static func error(_ file: String, _ line: Int, _ what: String) -> BenchError {
        .usage("\(file) line \(line): \(what)", fix: "pair every '<!-- bench:begin WORDS -->' line with a '<!-- bench:end -->' line")
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
