import Harness
import Platform

/// The command-line parser: words into `Arguments` (option values, bare
/// flags, positionals), checked against the options a command declares,
/// with a suggestion for a near miss.
extension Arguments {
    /// Accepts `--name value`, `--name=value` and bare flags; `--` ends options.
    public init(_ words: [String], accepting specs: [OptionSpec]) throws {
        var values: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        var given: [String] = []
        var index = 0
        var optionsEnded = false
        while index < words.count {
            let word = words[index]
            index += 1
            guard !optionsEnded, word.hasPrefix("-"), word != "-" else {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            // Empty parts kept: `--out=` is an empty value (then refused by its reader), not a request for the next word.
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw BenchError.usage("unknown option '\(name)'", fix: Self.suggestion(for: name, among: specs))
            }
            given.append(name)
            if spec.value == nil {
                guard parts.count == 1 else {
                    throw BenchError.usage("\(name) takes no value", fix: "write just \(name)")
                }
                flags.insert(name)
            } else if parts.count == 2 {
                values[name] = String(parts[1])
                repeated[name, default: []].append(String(parts[1]))
            } else if index < words.count {
                values[name] = words[index]
                repeated[name, default: []].append(words[index])
                index += 1
            } else {
                throw BenchError.usage("\(name) needs a value", fix: "write \(name) \(spec.value!)")
            }
        }
        self.init(values: values, repeated: repeated, flags: flags, positionals: positionals, given: given)
    }

    /// "did you mean --x?" for a near miss, else a pointer to --help.
    public static func suggestion(for name: String, among specs: [OptionSpec]) -> String {
        let closest = specs.min { editDistance($0.name, name) < editDistance($1.name, name) }
        if let closest, editDistance(closest.name, name) <= 3 {
            return "did you mean \(closest.name)? (see --help)"
        }
        return "see --help for the options"
    }

    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
