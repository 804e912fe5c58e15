import Harness

/// The seed tutorials the experiments' claims come from, by file name: one
/// spelling of each for every claim that cites it.
enum SeedFile {
    static let seed000 = "000_69ff1ca1b734fad6.txt"
    static let seed001 = "001_54f5f3b6f0d3eee3.txt"
    static let seed002 = "002_9ecaf06855ec6fb2.txt"
    static let seed003 = "003_7a61a65fe819a32c.txt"
    static let seed004 = "004_95ac3f0aae6b03f9.txt"
}
