import Glibc

// parse -> run -> one error funnel -> exit code (DESIGN.md).

// A write to a closed pipe or socket must be an error we report, not a silent death.
signal(SIGPIPE, SIG_IGN)

let exitCode: ExitCode
do {
    exitCode = try CommandLineInterface.run(Array(CommandLine.arguments.dropFirst()))
} catch let error as BenchError {
    printError(error.description)
    exitCode = error.exitCode
} catch {
    printError("\(error) — this is a bug in bench; please report it with the command line")
    exitCode = .runFailed
}
exit(exitCode.rawValue)
