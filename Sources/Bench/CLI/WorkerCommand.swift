/// `bench worker`: the hidden entry of a worker process. The process-pool and
/// hybrid models start it themselves, with its pipes on fds 3 and 4; it is
/// not listed in help and not meant to be typed.
enum WorkerCommand: BenchCommand {
    static let name = "worker"
    static let summary = "internal: a worker process of the process-pool and hybrid models"
    static let isHidden = true

    static let options = [
        OptionSpec("--index", value: "N", help: "this worker's number in its pool, for messages and ps"),
    ]

    static var help: String {
        Usage.command(
            "bench worker --index N", summary: summary, groups: [("Options", options + [Usage.helpOption])],
            notes: ["Started by bench itself with its command pipe on fd 3 and its result pipe on fd 4."])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: options + [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        let index = try arguments.integer("--index", in: 0...1_000_000, example: 0) ?? 0
        guard PoolWorker.hasPipes else {
            throw BenchError.usage(
                "bench worker has no pipes on fds 3 and 4",
                fix: "it is started by the process-pool and hybrid models; use bench run --model process-pool")
        }
        return PoolWorker.run(index: index) ? .success : .runFailed
    }
}
