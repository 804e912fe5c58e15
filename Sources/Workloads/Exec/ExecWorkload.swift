import Platform

/// A task that runs a program: `--command 'gzip -c big.file'`, split into
/// words without a shell (`CommandWords`), `{task}` in any argument replaced
/// by the task's index. It answers "how many of these jobs should I run at
/// once": under threads each worker waits for its own program; under async
/// each program is waited for on a thread of its own (about 20 µs beside a
/// program's start of a millisecond or more), so no cooperative thread
/// blocks; under pools the worker processes start the programs.
///
/// A task's result is the number of bytes the program printed, and the task
/// fails, with the exit status and the first line of its standard error,
/// unless the program exits 0. The reference checksum comes from one run of
/// every task in bench's process before the first sample, so the program
/// must print the same number of bytes each time it runs a task.
public struct ExecWorkload: Workload {
    public let command: String
    /// The program, as found on PATH (or as given, with a slash).
    public let executable: String
    /// The words after the program, `{task}` not yet replaced.
    let arguments: [String]

    public static let placeholder = "{task}"

    public init(command: String) throws {
        let words: [String]
        do {
            words = try CommandWords.split(command)
        } catch let problem {
            let what = switch problem {
            case let .unclosedQuote(quote): "a \(quote) quote is not closed"
            case .trailingBackslash: "it ends with a backslash"
            }
            throw WorkloadError("exec: cannot split --command into words: \(what)", fix: Self.usageHint, exitCode: .usage)
        }
        guard let program = words.first else {
            throw WorkloadError("exec needs --command", fix: Self.usageHint, exitCode: .usage)
        }
        guard !program.contains(Self.placeholder) else {
            throw WorkloadError("exec: the program '\(program)' cannot depend on \(Self.placeholder)", fix: "put \(Self.placeholder) in its arguments", exitCode: .usage)
        }
        guard let executable = ProgramSearch.find(program) else {
            throw WorkloadError(
                program.contains("/") ? "exec: \(program) is not an executable file" : "exec: no program '\(program)' on PATH",
                fix: "install it, or give its path in --command", exitCode: .usage)
        }
        self.command = command
        self.executable = executable
        arguments = Array(words.dropFirst())
    }

    static let usageHint = "e.g. --command 'gzip -c big.file' (no shell: quote as in sh; {task} becomes the task index)"

    public var name: String { "exec" }
    public var kind: WorkloadKind { .cpu }
    public var work: WorkSize { .none }

    public func run(task: Int) throws -> UInt64 {
        let index = String(task)
        let run = try CommandRun.run(
            executable: executable, arguments: arguments.map { $0.replacingAll(Self.placeholder, with: index) })
        guard run.status.isSuccess else {
            throw WorkloadError(
                "exec task \(task): \(command) \(run.status)" + (run.firstErrorLine.isEmpty ? "" : ": \(run.firstErrorLine)"),
                fix: "run the command by hand with {task} = \(task) to see why (bench runs it without a shell)")
        }
        return UInt64(run.outputBytes)
    }

    public func runAsync(task: Int) async throws -> UInt64 {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try NativeThread.start(name: "exec") {
                    continuation.resume(with: Result { try run(task: task) })
                }.detach()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    public static let declaration = WorkloadDeclaration(
        name: "exec", kind: .cpu,
        summary: "runs --command per task (no shell; {task} = the task index); result: the bytes it printed",
        parameters: [
            .text("command", example: "gzip -c big.file",
                  help: "exec: the program and arguments each task runs, split as sh would but without a shell; {task} becomes the task index"),
        ],
        defaultTasks: 64, quickTasks: 16, inDefaultMatrix: false
    ) { values in
        try ExecWorkload(command: values.text("command"))
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation's `replacingOccurrences` is not available here).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
