import Foundation
import Platform
import Workloads

/// Command-line words sorted into option values, bare flags and positionals,
/// with typed readers that turn bad input into usage errors: what a command
/// or an experiment reads its options from. The parser that makes it from the
/// words is the command line's (Bench); the readers stay here, beside the
/// option declarations, for experiments to use.
public struct Arguments {
    public let values: [String: String]
    /// Every value of an option given more than once (`--cpus 0 --cpus 0,1`), in order.
    public let repeated: [String: [String]]
    public let flags: Set<String>
    public let positionals: [String]
    /// Options in the order given, for error messages that quote the user.
    public let given: [String]

    /// The parts, as the parser (Bench's `Arguments.init(_:accepting:)`) sorted them.
    public init(values: [String: String], repeated: [String: [String]], flags: Set<String>, positionals: [String], given: [String]) {
        self.values = values
        self.repeated = repeated
        self.flags = flags
        self.positionals = positionals
        self.given = given
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
}
