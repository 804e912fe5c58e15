import Glibc
import Harness
import Platform

// parse -> run -> one error funnel -> exit code (DESIGN.md).

// A closed standard stream would hand its number to the next file bench
// opens (raw.csv on fd 1, say), and the table would be written into it:
// point any closed one at /dev/null before anything is opened.
for stream: Int32 in 0...2 where !FileDescriptor.isOpen(stream) {
    let null = open("/dev/null", stream == 0 ? O_RDONLY : O_WRONLY)
    if null >= 0 && null != stream {
        dup2(null, stream)
        close(null)
    }
}
// A write to a closed pipe or socket must be an error we report, not a silent death.
Signals.ignoreBrokenPipes()

let exitCode: ExitCode
do {
    exitCode = try CommandLineInterface.run(Array(CommandLine.arguments.dropFirst()))
} catch {
    printError(oneLine(error))
    exitCode = (error as? any ReportableError)?.exitCode ?? .runFailed
}
exit(exitCode.rawValue)
