import Harness

/// Help text: the command list, and each subcommand's options in groups.
public enum Usage {
    public static func command(_ usageLine: String, summary: String, groups: [(title: String, options: [OptionSpec])], notes: [String] = []) -> String {
        var text = "usage: \(usageLine)\n\n\(summary)\n"
        for group in groups where !group.options.isEmpty {
            text += "\n\(group.title):\n"
            let labels = group.options.map { spec in spec.value.map { "\(spec.name) \($0)" } ?? spec.name }
            let width = (labels.map(\.count).max() ?? 0) + 2
            for (label, spec) in zip(labels, group.options) {
                text += "  " + label + String(repeating: " ", count: width - label.count) + spec.help + "\n"
            }
        }
        for note in notes {
            text += "\n" + note + "\n"
        }
        return text
    }

    public static let helpOption = OptionSpec("--help", help: "show this help")
}
