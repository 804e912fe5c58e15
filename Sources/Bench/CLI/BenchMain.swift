import Engine
import Glibc
import Harness
import Platform
@_exported import Workloads

/// The whole of bench as a function: its command line, models, experiments,
/// reports and charts, with workloads of your own beside the built-in ones.
///
/// bench's executable is one call of it. A package that depends on bench
/// (the `BenchKit` product) declares its workloads as bench declares its own
/// (`WorkloadDeclaration`, parameters included) and makes this call from its
/// executable's `main.swift`:
///
///     BenchMain.run(workloads: [SHA256Workload.declaration])
///
/// The executable is then bench (`my-bench run --workload sha256 --model
/// thread,process-pool`), and also its own pool worker: the process models
/// start it again as `my-bench bench-worker worker ...` (a bench-worker
/// program of bench's would not know the workload), which this call turns
/// into the worker before anything else happens.
public enum BenchMain {
    /// Runs the command line in `arguments` (the program's own by default,
    /// `argv[0]` first) and exits with bench's exit code.
    public static func run(workloads: [WorkloadDeclaration] = [], arguments: [String] = CommandLine.arguments) -> Never {
        do {
            try WorkloadRegistry.register(workloads)
        } catch {
            printError(oneLine(error))
            exit(ExitCode.usage.rawValue)
        }
        let words = Array(arguments.dropFirst())
        if words.first == HelperExecutable.ownWorkerArgument {
            exit(WorkerMain.run(Array(words.dropFirst())))
        }
        if !workloads.isEmpty {
            HelperExecutable.serveFromOwnExecutable()
        }
        exit(runCommandLine(words).rawValue)
    }

    /// parse -> run -> one error funnel -> exit code (DESIGN.md).
    private static func runCommandLine(_ words: [String]) -> ExitCode {
        // A closed standard stream would hand its number to the next file bench
        // opens (raw.csv on fd 1, say): point any closed one at /dev/null first.
        StandardStreams.reopenClosed()
        // A write to a closed pipe or socket must be an error we report, not a silent death.
        Signals.ignoreBrokenPipes()
        // What a SIGKILLed bench left in its scratch folder (images, Redis's log) goes now.
        ScratchFolder.reclaimStale()
        do {
            return try CommandLineInterface.run(words)
        } catch {
            printError(oneLine(error))
            return (error as? any ReportableError)?.exitCode ?? .runFailed
        }
    }
}
