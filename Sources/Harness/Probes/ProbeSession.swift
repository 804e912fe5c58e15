import Foundation
import Platform

/// One configuration of a probe experiment: what it measures and how. The
/// body runs every sample of it and returns them; it throws when a sample
/// cannot be measured or verified (a party died, a message was lost).
public struct ProbeConfiguration {
    public let key: ProbeKey
    public let run: () throws -> [ProbeSample]

    public init(_ key: ProbeKey, _ run: @escaping () throws -> [ProbeSample]) {
        self.key = key
        self.run = run
    }
}

extension Invocation {
    /// An experiment whose measurements are probes of its own rather than
    /// cells of models and workloads (channels, hand-offs, Pool call styles):
    /// the same run folder, meta.json, latest link and charts as `measure`,
    /// with raw.csv and summary.csv holding no cell, and experiment.csv
    /// holding every sample (appended as each configuration ends, so an
    /// interrupted run keeps them), then the medians and the claim checks.
    ///
    /// A configuration that fails is reported in one line, recorded in
    /// meta.json, and the others go on; the exit code is then 1, as for a
    /// failed cell.
    public static func probe(
        experiment: String, options: MatrixOptions, output: Output, notes: [String: JSONValue] = [:],
        metrics: [ProbeMetric], configurations: [ProbeConfiguration], report: (ProbeResults) throws -> ExperimentReport
    ) throws -> ExitCode {
        warnAboutConditions()
        let monitor = MachineMonitor()
        try checkQuietBeforeMeasuring(monitor, output: output)
        let folder = try RunFolder(
            root: output.root, label: output.label, plan: MatrixPlan(options, cells: []), commandLine: CommandLine.arguments,
            experiment: experiment)
        try folder.annotate(notes: notes)
        let csv = try CSVFile(path: folder.path + "/experiment.csv", header: ProbeCSV.header)
        printNote("bench: \(experiment): \(configurations.count) configurations x \(options.runs) samples -> \(folder.path)")
        Interruption.install()

        var outcome = InvocationOutcome()
        outcome.cellCount = configurations.count
        var samples: [ProbeSample] = []
        var failed: Set<ProbeKey> = []
        let progress = ProgressLine()
        let started = MonotonicClock.now()
        for (position, configuration) in configurations.enumerated() {
            if Interruption.isRequested {
                outcome.interrupted = true
                break
            }
            let label = configuration.key.label
            let elapsed = MonotonicClock.seconds(since: started)
            progress.show(
                done: position, of: configurations.count, what: label, elapsed: elapsed,
                remaining: position == 0 ? nil : elapsed / Double(position) * Double(configurations.count - position))
            let soFar = outcome
            let timeout = options.timeoutSeconds
            // Every probe bounds its own waits; this is the backstop for one that hangs all the same.
            let watchdog = Watchdog(seconds: timeout + 10) {
                folder.abandon(because: "\(label) did not finish within --timeout \(timeout) s", soFar: soFar)
                ChildRegistry.killAll()
                _exit(ExitCode.runFailed.rawValue)
            }
            defer {
                watchdog.cancel()
                monitor.tick()
            }
            do {
                let measured = try configuration.run()
                for (index, sample) in measured.enumerated() {
                    for row in ProbeCSV.sampleRows(sample, index: index + 1, metrics: metrics) {
                        try csv.append(row)
                    }
                }
                samples += measured
            } catch let error as any ReportableError where error.isUsage || (error as? BenchError)?.isIO == true {
                folder.fail(outcome, because: oneLine(error))
                throw error
            } catch {
                if Interruption.isRequested {
                    outcome.interrupted = true
                    break
                }
                progress.clear()
                failed.insert(configuration.key)
                outcome.failures.append(CellFailure(cell: label, message: oneLine(error)))
                printError("\(label): \(oneLine(error))")
            }
        }
        progress.clear()
        let machine = monitor.finish()
        try? folder.annotate(machineLoad: machine)

        let results = ProbeResults(samples: samples, failed: failed, disturbed: machine?.isDisturbed ?? false)
        let made: ExperimentReport
        do {
            made = try report(results)
            for row in ProbeCSV.medianRows(results, metrics: metrics) + ProbeCSV.claimRows(made.claims?.checks ?? []) {
                try csv.append(row)
            }
            if let claims = made.claims { try folder.write(Data(ClaimsCSV.text(claims).utf8), to: ClaimsCSV.fileName) }
        } catch {
            folder.fail(outcome, because: oneLine(error))
            throw error
        }
        let status = try folder.finish(outcome)
        // The human output goes to standard error when an export takes standard output.
        fflush(nil)
        FileDescriptor.writeAll(output.exportsToStandardOutput ? 2 : 1, made.text)
        let empty = InvocationReport(samples: [], policy: VerdictPolicy(disturbed: results.disturbed))
        let document = ExportDocument(runID: folder.id, report: empty, claims: made.claims, meta: try folder.metaJSON(), folder: folder.path)
        if let refusal = try reportMachine(machine, folder: folder, output: output) {
            try export(document, to: output)
            return refusal
        }
        printNote("results: \(folder.path)/ (experiment.csv, meta.json)")
        return try conclude(
            folder, document: document, status: status, outcome: outcome, output: output, measured: !samples.isEmpty,
            kept: "\(samples.count) samples kept in experiment.csv", units: "configurations")
    }
}
