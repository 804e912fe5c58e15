import Testing
@testable import Harness
import Platform

@Suite("Generated blocks of Markdown files")
struct GeneratedBlocksTests {
    static let file = """
        # Title
        Prose stays as written.
        <!-- bench:begin results/reference table xor -->
        | old | table |
        <!-- bench:end -->
        More prose.
        <!-- bench:begin docs/gil claims -->
        <!-- bench:end -->
        Last line without a line break
        """

    @Test func findsEachBlockWithItsWordsAndLine() throws {
        let parsed = try GeneratedBlocks(Self.file, file: "README.md")
        #expect(parsed.blocks.map(\.words) == [["results/reference", "table", "xor"], ["docs/gil", "claims"]])
        #expect(parsed.blocks.map(\.line) == [3, 7])
        #expect(parsed.blocks[0].content == "| old | table |\n")
        #expect(parsed.blocks[1].content == "")
    }

    @Test func renderingTheSameContentGivesTheFileBackByteForByte() throws {
        for text in [Self.file, Self.file + "\n", "", "no blocks\n", "\n\n"] {
            let parsed = try GeneratedBlocks(text, file: "x.md")
            #expect(parsed.rendered(\.content) == text)
        }
    }

    @Test func replacesOnlyTheBlocks() throws {
        let parsed = try GeneratedBlocks(Self.file, file: "README.md")
        let rendered = parsed.rendered { $0.words[1] == "table" ? "| new |\n| --- |" : "- a claim\n" }
        #expect(rendered == """
            # Title
            Prose stays as written.
            <!-- bench:begin results/reference table xor -->
            | new |
            | --- |
            <!-- bench:end -->
            More prose.
            <!-- bench:begin docs/gil claims -->
            - a claim
            <!-- bench:end -->
            Last line without a line break
            """)
    }

    @Test(arguments: [
        ("<!-- bench:begin a -->\nx\n", "line 1: a bench:begin without its bench:end"),
        ("x\n<!-- bench:end -->\n", "line 2: a bench:end without its bench:begin"),
        ("<!-- bench:begin a -->\n<!-- bench:begin b -->\n<!-- bench:end -->\n", "line 2: a bench:begin inside the block that begins on line 1"),
    ])
    func unpairedMarkersNameTheFileAndLine(text: String, message: String) {
        #expect {
            _ = try GeneratedBlocks(text, file: "docs/x.md")
        } throws: { error in
            (error as? BenchError)?.what == "docs/x.md \(message)"
        }
    }
}
