/// A command line split into words as a POSIX shell would quote them, with no
/// shell: no variables, globs, pipes or redirections, so a value can never
/// run anything but the one program it names. The rules are those of
/// Python's `shlex.split`, which python/bench/workloads/exec.py uses for the same text:
///
/// - unquoted whitespace separates words; a backslash keeps the next character;
/// - `'...'` keeps everything literally;
/// - `"..."` keeps everything but `\"` and `\\`, which lose their backslash;
/// - `''` and `""` make an empty word.
enum CommandWords {
    /// Why a command line cannot be split.
    enum Problem: Error, Equatable {
        case unclosedQuote(Unicode.Scalar)
        case trailingBackslash
    }

    static func split(_ text: String) throws(Problem) -> [String] {
        // Code points, as Python reads the text, not grapheme clusters ("\r\n" is two).
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        var characters = text.unicodeScalars.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(String(word)) }
                word = String.UnicodeScalarView()
                inWord = false
            case "\\":
                guard let next = characters.next() else { throw .trailingBackslash }
                word.append(next)
                inWord = true
            case "'":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "'" { closed = true; break }
                    word.append(next)
                }
                guard closed else { throw .unclosedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = characters.next() else { break }
                        if escaped != "\"" && escaped != "\\" { word.append("\\") }
                        word.append(escaped)
                    } else {
                        word.append(next)
                    }
                }
                guard closed else { throw .unclosedQuote("\"") }
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(String(word)) }
        return words
    }
}
