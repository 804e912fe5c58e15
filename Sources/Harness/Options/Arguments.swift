import Foundation
import Platform
import Workloads

/// One `--flag` a subcommand accepts.
public struct OptionSpec: Sendable {
    public let name: String
    /// Placeholder of the value (`N`, `LIST`); nil for a flag that takes none.
    public let value: String?
    public let help: String

    public init(_ name: String, value: String? = nil, help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}

/// Command-line words sorted into option values, bare flags and positionals,
/// with typed readers that turn bad input into usage errors.
public struct Arguments {
    public private(set) var values: [String: String] = [:]
    /// Every value of an option given more than once (`--cpus 0 --cpus 0,1`), in order.
    public private(set) var repeated: [String: [String]] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positionals: [String] = []
    /// Options in the order given, for error messages that quote the user.
    public private(set) var given: [String] = []

    /// Accepts `--name value`, `--name=value` and bare flags; `--` ends options.
    public init(_ words: [String], accepting specs: [OptionSpec]) throws {
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
                throw BenchError.usage("unknown option '\(name)'", fix: Arguments.suggestion(for: name, among: specs))
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
    }

    public func has(_ flag: String) -> Bool {
        flags.contains(flag) || values[flag] != nil
    }

    public func string(_ name: String) -> String? {
        values[name]
    }

    /// A whole number within `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>, example: Int) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Arguments.parseInteger(text), range.contains(value) else {
            throw BenchError.usage(
                "\(name) expects a whole number \(Arguments.describe(range)), got '\(text)'", fix: "e.g. \(name) \(example)")
        }
        return value
    }

    /// A comma-separated list of whole numbers, each within `range`, duplicates dropped.
    public func integerList(_ name: String, in range: ClosedRange<Int>, example: String) throws -> [Int]? {
        guard let text = values[name] else { return nil }
        var list: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Arguments.parseInteger(String(item)), range.contains(value) else {
                throw BenchError.usage(
                    "\(name) expects whole numbers \(Arguments.describe(range)) separated by commas, got '\(text)'",
                    fix: "e.g. \(name) \(example)")
            }
            if !list.contains(value) { list.append(value) }
        }
        return list
    }

    /// A number of seconds greater than zero.
    public func seconds(_ name: String, example: String) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw BenchError.usage("\(name) expects a number of seconds above 0, got '\(text)'", fix: "e.g. \(name) \(example)")
        }
        return value
    }

    /// One name from `choices`.
    public func choice(_ name: String, from choices: [String]) throws -> String? {
        guard let text = values[name] else { return nil }
        guard choices.contains(text) else {
            throw BenchError.usage("\(name) '\(text)' is not one of the choices", fix: "choose from \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A comma-separated list of names from `choices` (`all` for every one), duplicates dropped.
    public func choiceList(_ name: String, from choices: [String], noun: String) throws -> [String]? {
        guard let text = values[name] else { return nil }
        if text == "all" { return choices }
        var list: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard choices.contains(item) else {
                let shown = item.isEmpty ? "an empty name" : "unknown \(noun) '\(item)'"
                throw BenchError.usage("\(name): \(shown)", fix: "choose from \(choices.joined(separator: ", ")) (or all)")
            }
            if !list.contains(item) { list.append(item) }
        }
        return list
    }

    /// Accepts `1000000` and `1_000_000`, nothing looser.
    public static func parseInteger(_ text: String) -> Int? {
        ParameterDeclaration.parseInteger(text)
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "of at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
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
