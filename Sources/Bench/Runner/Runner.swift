import Glibc
import Synchronization
import Workloads

/// Executes a plan: reference checksums first, then warmups and measured runs
/// in the shuffled schedule, each run verified and handed to the recorder as
/// soon as it finishes.
final class Runner {
    let plan: MatrixPlan
    private let recorder: any RunRecorder
    private let progress: ProgressLine
    private let references = ReferenceChecksums()
    /// Name -> model; experiments add models of their own (the Python reference).
    private let models: (ModelName) -> (any ConcurrencyModel)?
    private var workloads: [WorkloadKey: any Workload] = [:]
    private var outcome = RunOutcome()
    private var measuredSeconds: [Cell: Double] = [:]
    private var elapsedPerRun: [Cell: (total: Double, count: Int)] = [:]

    init(
        plan: MatrixPlan, recorder: any RunRecorder, progress: ProgressLine,
        models: @escaping (ModelName) -> (any ConcurrencyModel)? = ModelRegistry.model
    ) {
        self.plan = plan
        self.models = models
        self.recorder = recorder
        self.progress = progress
        outcome.cellCount = plan.cells.count
    }

    func run() throws -> RunOutcome {
        let options = plan.options
        for cell in plan.cells where workloads[WorkloadKey(cell)] == nil {
            workloads[WorkloadKey(cell)] = try WorkloadRegistry.make(cell.workload, parameters: cell.parameters)
        }
        let schedule = Schedule.make(cells: plan.cells, runs: options.runs, warmup: options.warmup, seed: options.seed)
        let started = MonotonicClock.now()
        for (position, scheduled) in schedule.enumerated() {
            if Interruption.isRequested {
                outcome.interrupted = true
                break
            }
            let cell = scheduled.cell
            if outcome.failedCells.contains(cell) { continue }
            if !scheduled.isWarmup, let limit = options.maxTimeSeconds, let spent = measuredSeconds[cell], spent >= limit {
                continue
            }
            progress.show(
                done: position, of: schedule.count, what: describe(scheduled),
                elapsed: MonotonicClock.seconds(since: started), remaining: estimateRemaining(schedule[position...]))
            let runStart = MonotonicClock.now()
            settle()
            do {
                let sample = try measure(scheduled)
                if !scheduled.isWarmup {
                    outcome.samples.append(sample)
                    measuredSeconds[cell, default: 0] += sample.wallSeconds
                    try recorder.record(sample)
                }
                // A warmup is checked like any run: a model that loses a task there is just as wrong.
                if !sample.ok {
                    let expected = try references.checksum(for: cell, workload: workload(of: cell))
                    fail(cell, "checksum mismatch: got \(sample.checksum) over \(sample.checksum.taskCount) tasks, expected \(expected) over \(expected.taskCount) — the model lost, repeated or changed tasks; rerun this cell alone to reproduce")
                }
            } catch let error as BenchError where error.isUsage || error.isIO {
                throw error
            } catch let error as BenchError {
                fail(cell, error.description)
            } catch {
                fail(cell, "\(error)" + ("\(error)".contains(" — ") ? "" : " — rerun this cell alone (--workload, --model, --workers) to see it again"))
            }
            let spent = MonotonicClock.seconds(since: runStart)
            elapsedPerRun[cell] = ((elapsedPerRun[cell]?.total ?? 0) + spent, (elapsedPerRun[cell]?.count ?? 0) + 1)
        }
        progress.clear()
        return outcome
    }

    /// Idle time before each run, outside every measurement. Swift's
    /// cooperative pool keeps its threads busy for a moment after an async
    /// run ends: measured here, two threads started right after one took 5 ms
    /// longer over a 50 ms run, and 2 ms of idling removed it. 10 ms leaves
    /// room for slower machines, at about 6 s over the default matrix.
    static let settleMicroseconds: UInt32 = 10_000

    private func settle() {
        usleep(Self.settleMicroseconds)
    }

    private func workload(of cell: Cell) -> any Workload {
        workloads[WorkloadKey(cell)]!
    }

    /// One execution of a cell: rusage and peak-memory readings around the model, then verification.
    private func measure(_ scheduled: ScheduledRun) throws -> Sample {
        let cell = scheduled.cell
        let workload = workload(of: cell)
        guard let model = models(cell.model) else {
            throw BenchError.usage("model '\(cell.model.rawValue)' is not available in this build", fix: "see 'bench list'")
        }
        // Before the watchdog: a reference that needs a serial run must not eat into the timeout.
        let expected = try references.checksum(for: cell, workload: workload)
        let job = Job(
            workload: workload, workloadName: cell.workload, parameters: cell.parameters, tasks: cell.tasks,
            shape: cell.shape, pool: plan.options.pool, timeoutSeconds: plan.options.timeoutSeconds)

        let recorder = self.recorder
        let soFar = outcome
        let timeout = plan.options.timeoutSeconds
        // Process models stop their own workers at the timeout; the grace lets them report it first.
        let watchdog = Watchdog(seconds: timeout + 5) {
            recorder.abandon(because: "\(cell.label) did not finish within --timeout \(timeout) s", soFar: soFar)
            ChildRegistry.killAll()
            // _exit, not exit: a hung task may hold a stdio lock that exit's flush would wait on forever.
            _exit(ExitCode.runFailed.rawValue)
        }
        defer { watchdog.cancel() }

        // A printing workload's lines go to the chosen sink, opened before the clock starts.
        let printedTask = WorkloadRegistry.descriptor(named: cell.workload)?.printedTask
        let sink = try printedTask.map { _ in
            guard let kind = SinkKind(rawValue: cell.parameters.sink) else {
                throw BenchError.usage("unknown sink '\(cell.parameters.sink)'", fix: "choose from \(SinkKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try OutputSink(kind)
        }

        PeakMemory.reset()
        let before = ResourceUsage.currentProcess()
        let execution = try model.execute(job)
        let afterExecute = ResourceUsage.currentProcess()
        let peak = PeakMemory.currentKilobytes() + execution.workerPeakKilobytes
        try sink?.finishWriting()
        let ownUsage: ResourceUsage = switch execution.ownUsage {
        case .aroundExecute: afterExecute - before
        case let .until(reading): reading - before
        case .none: .zero
        }

        if let sink, let printedTask, let bytes = try sink.contents() {
            let ledger = LineLedger(output: bytes, tasks: cell.tasks, task: printedTask)
            guard ledger.isExact else {
                throw BenchError.runFailed("\(sink.kind.rawValue) sink: \(ledger.description)", fix: "the printed output is not what the tasks wrote")
            }
        }

        return Sample(
            cell: cell, order: scheduled.order, repetition: scheduled.repetition,
            wallSeconds: execution.wallSeconds, setupSeconds: execution.setupSeconds,
            usage: ownUsage + execution.workerUsage,
            maxRSSKilobytes: peak, checksum: execution.checksum,
            ok: execution.checksum == expected)
    }

    private func fail(_ cell: Cell, _ message: String) {
        outcome.failedCells.insert(cell)
        outcome.failures.append(CellFailure(cell: cell.label, message: message))
        progress.clear()
        printError("\(cell.label): \(message)")
    }

    private func describe(_ scheduled: ScheduledRun) -> String {
        let kind = scheduled.isWarmup ? "warmup" : "run \(scheduled.repetition)/\(plan.options.runs)"
        return "\(scheduled.cell.label) \(kind)"
    }

    /// Seconds left: each remaining run costs what its cell's runs have cost so
    /// far, or the mean of all runs for a cell not yet seen.
    private func estimateRemaining(_ remaining: ArraySlice<ScheduledRun>) -> Double? {
        let known = elapsedPerRun.values
        guard !known.isEmpty else { return nil }
        let overall = known.reduce(0) { $0 + $1.total } / Double(known.reduce(0) { $0 + $1.count })
        return remaining.reduce(0) { total, scheduled in
            guard !outcome.failedCells.contains(scheduled.cell) else { return total }
            if let seen = elapsedPerRun[scheduled.cell] { return total + seen.total / Double(seen.count) }
            return total + overall
        }
    }
}

/// Cells share a workload instance when they share its name and parameters.
private struct WorkloadKey: Hashable {
    let name: String
    let parameters: WorkloadParameters

    init(_ cell: Cell) {
        name = cell.workload
        parameters = cell.parameters
    }
}

/// Where the runner sends samples as they are measured.
protocol RunRecorder: Sendable {
    /// Persists one measured sample before the next run starts.
    func record(_ sample: Sample) throws
    /// Called from the watchdog when a run hangs: close the files honestly
    /// (the caller then ends the process: a hung thread cannot be stopped).
    func abandon(because reason: String, soFar: RunOutcome)
}
