import Engine
import Glibc
import Platform
import Synchronization
import Workloads

/// Executes a plan: fixtures and reference checksums first, then warmups and
/// measured samples in the shuffled schedule, each verified and handed to the
/// recorder as soon as it finishes.
public final class Runner {
    public let plan: MatrixPlan
    private let progress: ProgressLine
    private lazy var references = ReferenceChecksums { [unowned self] cell in try self.pythonReference(cell) }
    /// Name -> model; experiments may bring models of their own.
    let models: @Sendable (String) -> (any ConcurrencyModel)?
    private var fixtures: [FixtureKey: any WorkloadFixture] = [:]
    private var workloads: [WorkloadKey: Prepared] = [:]
    private var outcome = InvocationOutcome()
    private var measuredSeconds: [Cell: Double] = [:]
    private var elapsedPerSample: [Cell: (total: Double, count: Int)] = [:]
    /// The CPUs this process could use when it started: what an unpinned cell gets back.
    private let allowedCPUs = CPUAffinity.allowed()

    /// A cell's workload, made with the values its fixture resolved.
    private struct Prepared {
        let workload: any Workload
        let parameters: ParameterValues
        let fixture: (any WorkloadFixture)?
    }

    /// `models` resolves model names; nil: the catalog, with this plan's `--python` options.
    public init(
        plan: MatrixPlan, progress: ProgressLine = ProgressLine(),
        models: (@Sendable (String) -> (any ConcurrencyModel)?)? = nil
    ) {
        self.plan = plan
        self.models = models ?? ModelCatalog.resolver(plan.options)
        self.progress = progress
        outcome.cellCount = plan.cells.count
    }

    deinit {
        stopFixtures()
    }

    /// What preparing found, for meta.json: each fixture's note, each model's.
    public struct Preparation: Sendable {
        public var fixtures: [String] = []
        public var notes: [String: JSONValue] = [:]
    }

    /// Starts every fixture the plan needs, makes every workload and prepares
    /// every model, before anything is measured: a missing server, interpreter
    /// or a bad parameter is one clear error up front.
    public func prepare() throws -> Preparation {
        var preparation = Preparation()
        preparation.notes["perf_counters"] = .string(Self.openCounters())
        for name in Set(plan.cells.map(\.model)).sorted() {
            if let model = models(name) as? any PreparingModel {
                let (key, note) = try model.prepare()
                preparation.notes[key] = note
            }
        }
        for cell in plan.cells where workloads[WorkloadKey(cell)] == nil {
            guard let declaration = WorkloadRegistry.declaration(named: cell.workload) else {
                throw BenchError.usage("unknown workload '\(cell.workload)'", fix: "see bench list")
            }
            var fixture: (any WorkloadFixture)?
            if let fixtureDeclaration = declaration.fixture {
                let key = FixtureKey(workload: cell.workload, values: fixtureDeclaration.key(cell.parameters))
                if let running = fixtures[key] {
                    fixture = running
                } else {
                    let started = try fixtureDeclaration.start(cell.parameters)
                    fixtures[key] = started
                    fixture = started
                }
            }
            let resolved = fixture?.resolve(cell.parameters) ?? cell.parameters
            workloads[WorkloadKey(cell)] = Prepared(
                workload: try declaration.make(resolved), parameters: resolved, fixture: fixture)
        }
        // A workload only Python runs gets its reference from python-serial now, before any
        // sample: a --callable that does not import is one usage error up front.
        for cell in plan.cells where WorkloadRegistry.declaration(named: cell.workload)?.runsOnlyInPython == true {
            _ = try references.checksum(for: cell, workload: prepared(cell).workload)
        }
        // Outside every sample, so that no sample pays for starting it (meta.json records its start).
        // A server that cannot start is not an error yet: each cell that needs it fails with why.
        if plan.usesWorkerProcesses && plan.options.pool.startMethod == .forkserver {
            _ = try? ForkServerClient.shared()
        }
        preparation.fixtures = fixtures.values.compactMap(\.note).sorted()
        return preparation
    }

    /// Opens the hardware counters before any server, fork server or worker
    /// starts, so that every one of them inherits them; says what they count,
    /// or, once per process, why the columns stay empty.
    private static func openCounters() -> String {
        switch HardwareCounters.session {
        case .success:
            return "cycles, instructions and cache_misses count bench and every process it starts (perf_event_open, inherited)"
        case let .failure(error):
            let note = "perf counters unavailable here (\(error.what)): cycles, instructions and cache_misses are empty"
            if !counterNotePrinted.exchange(true, ordering: .relaxed) { printNote("note: \(note)") }
            return note
        }
    }

    private static let counterNotePrinted = Atomic<Bool>(false)

    /// The models' notes for meta.json once the samples have run (`PreparingModel.closingNote`).
    public func closingNotes() -> [String: JSONValue] {
        var notes: [String: JSONValue] = [:]
        for name in Set(plan.cells.map(\.model)) {
            if let (key, note) = (models(name) as? any PreparingModel)?.closingNote() { notes[key] = note }
        }
        return notes
    }

    /// What was measured so far (all of it once `run` has returned).
    public var outcomeSoFar: InvocationOutcome { outcome }

    /// Stops every fixture (servers, sinks); safe to call more than once.
    public func stopFixtures() {
        for fixture in fixtures.values { fixture.stop() }
        fixtures.removeAll()
    }

    /// Measures every scheduled sample, handing each to `recorder` as it ends:
    /// warmup rounds, then measured rounds, each visiting its cells once in a
    /// freshly shuffled order. With a fixed count every round holds every
    /// cell; under `--runs auto` a round holds the cells that still need a
    /// sample (`AutoSampling.needsAnother`), so a sample's round is still its
    /// `repetition` and cells pair by round as before.
    public func run(recordingInto recorder: any SampleRecorder) throws -> InvocationOutcome {
        if workloads.isEmpty { _ = try prepare() }
        defer {
            stopFixtures()
            if !plan.options.cpuSets.isEmpty { try? CPUAffinity.pin(allowedCPUs) }
        }
        let options = plan.options
        var schedule = Schedule(seed: options.seed)
        let started = MonotonicClock.now()
        var walls: [Cell: [Double]] = [:]
        var taken = 0
        var order = 0
        var round = 0
        rounds: while true {
            let isWarmup = round < options.warmup
            let repetition = isWarmup ? round + 1 : round - options.warmup + 1
            let candidates: [Cell]
            switch options.runs {
            case let .fixed(count):
                // Every cell in every round, failed ones skipped below: the order a seed gives never changes.
                candidates = isWarmup || repetition <= count ? plan.cells : []
            case .auto:
                candidates = isWarmup ? plan.cells : plan.cells.filter { needsAnother($0, walls: walls, since: started) }
            }
            if candidates.isEmpty { break }
            let shuffled = schedule.round(candidates)
            for (position, cell) in shuffled.enumerated() {
                if Interruption.isRequested {
                    outcome.interrupted = true
                    break rounds
                }
                if outcome.failedCells.contains(cell) { continue }
                if !isWarmup, options.runs != .auto, let limit = options.maxTimeSeconds, let spent = measuredSeconds[cell], spent >= limit {
                    continue
                }
                // Asked again at its turn: the budget may have run out since the round began.
                if !isWarmup, options.runs == .auto, !needsAnother(cell, walls: walls, since: started) { continue }
                if !isWarmup { order += 1 }
                let scheduled = ScheduledSample(cell: cell, repetition: repetition, isWarmup: isWarmup, order: isWarmup ? 0 : order)
                progress.show(
                    done: taken, of: taken + remainingSamples(round: round, left: Array(shuffled[position...])), what: describe(scheduled),
                    elapsed: MonotonicClock.seconds(since: started), remaining: estimateRemaining(round: round, left: Array(shuffled[position...])))
                taken += 1
                guard try take(scheduled, recorder: recorder, walls: &walls) else {
                    outcome.interrupted = true
                    break rounds
                }
            }
            round += 1
        }
        progress.clear()
        return outcome
    }

    /// Measures one scheduled sample and records it; false when a stop was
    /// requested while it ran (the sample then is not the model's fault, and
    /// is not recorded).
    private func take(_ scheduled: ScheduledSample, recorder: any SampleRecorder, walls: inout [Cell: [Double]]) throws -> Bool {
        let cell = scheduled.cell
        let sampleStart = MonotonicClock.now()
        settle()
        do {
            // As raw.csv holds it: the summaries, verdicts and fits of the run are then
            // exactly those a reader of raw.csv draws again (bench report).
            let sample = ResultsCSV.asWritten(try measure(scheduled, recorder: recorder))
            if !scheduled.isWarmup {
                // Kept only once its row is written: the summary covers exactly the rows of raw.csv.
                try recorder.record(sample)
                outcome.samples.append(sample)
                measuredSeconds[cell, default: 0] += sample.wallSeconds
                walls[cell, default: []].append(sample.wallSeconds)
            }
            // A warmup is checked like any sample: a model that loses a task there is just as wrong.
            if !sample.ok {
                let expected = try references.checksum(for: cell, workload: prepared(cell).workload)
                let mismatch = "checksum mismatch: got \(sample.checksum) over \(sample.checksum.taskCount) tasks, expected \(expected) over \(expected.taskCount)"
                fail(cell, WorkloadRegistry.declaration(named: cell.workload)?.runsOnlyInPython == true
                    ? "\(mismatch) from the reference python-serial run — the function's results differ from one run to the next (the time, random numbers, a set of strings pickled in hash order?): make each task's result depend on its index only, or pass --no-verify"
                    : "\(mismatch) — the model lost, repeated or changed tasks; rerun this cell alone to reproduce")
            }
        } catch let error as any ReportableError where error.isUsage || (error as? BenchError)?.isIO == true || error is FixtureUnavailable {
            throw error
        } catch {
            // A stop requested during the sample may have reached its processes too.
            // A sample that failed then is not the model's fault, and is not recorded.
            if Interruption.isRequested { return false }
            fail(cell, oneLine(error))
        }
        let spent = MonotonicClock.seconds(since: sampleStart)
        elapsedPerSample[cell] = ((elapsedPerSample[cell]?.total ?? 0) + spent, (elapsedPerSample[cell]?.count ?? 0) + 1)
        observer?()
        return true
    }

    /// Whether `cell` takes another sample under `--runs auto`. The budget
    /// counts the sample as taken already (its cell's cost so far): one that
    /// would end past the budget is not started, so the cheap cells, not a
    /// last round of the slowest ones, use what is left of it.
    private func needsAnother(_ cell: Cell, walls: [Cell: [Double]], since started: UInt64) -> Bool {
        let cost = elapsedPerSample[cell].map { $0.total / Double($0.count) } ?? 0
        return !outcome.failedCells.contains(cell) && plan.options.sampling.needsAnother(
            walls: walls[cell] ?? [], minimum: minimumRuns, measuredSeconds: measuredSeconds[cell] ?? 0,
            maxTimeSeconds: plan.options.maxTimeSeconds, elapsedSeconds: MonotonicClock.seconds(since: started) + cost)
    }

    /// The samples every cell takes under `--runs auto` before its precision counts.
    public lazy var minimumRuns: Int = plan.options.sampling.minimumRuns(for: plan)

    /// Called between samples, outside every measurement (the machine's load is read there).
    public var observer: (() -> Void)?

    /// Idle time before each sample, outside every measurement. Swift's
    /// cooperative pool keeps its threads busy for a moment after an async
    /// sample ends: measured here, two threads started right after one took
    /// 5 ms longer over a 50 ms sample, and 2 ms of idling removed it. 10 ms
    /// leaves room for slower machines, at about 6 s over the default matrix.
    static let settleMicroseconds: UInt32 = 10_000

    private func settle() {
        usleep(Self.settleMicroseconds)
    }

    private func prepared(_ cell: Cell) -> Prepared {
        workloads[WorkloadKey(cell)]!
    }

    /// One execution of a cell: the fixture around it, rusage and peak-memory
    /// readings around the model, then verification.
    private func measure(_ scheduled: ScheduledSample, recorder: any SampleRecorder) throws -> Sample {
        let cell = scheduled.cell
        let prepared = prepared(cell)
        guard let model = model(named: cell.model, interpreter: cell.interpreter) else {
            throw BenchError.usage("model '\(cell.model)' is not available in this build", fix: "see bench list")
        }
        let soFar = outcome
        let timeout = plan.options.timeoutSeconds
        // A reference that needs a serial run is one more serial sample of the cell, bounded like one,
        // but by a bound of its own: it must not eat into the sample's. `--no-verify` takes none.
        let expected = plan.options.verifiesChecksums
            ? try Watchdog.bounding(
                "the reference run of \(cell.label) (serial, unmeasured, for its checksum)", timeout: timeout, recorder: recorder, soFar: soFar
            ) {
                try references.checksum(for: cell, workload: prepared.workload)
            }
            : nil
        let job = Job(
            workload: prepared.workload, workloadName: cell.workload, parameters: prepared.parameters, tasks: cell.tasks,
            shape: cell.shape, pool: plan.options.pool, timeoutSeconds: plan.options.timeoutSeconds,
            timesTasks: plan.options.timesTasks && WorkloadRegistry.declaration(named: cell.workload)?.timesTasks == true)

        // The cores axis: this process's threads, and the fork server whose forks inherit it,
        // on the cell's CPUs (every allowed one for a cell without a set), before the clock starts.
        if !plan.options.cpuSets.isEmpty {
            try CPUAffinity.pin(cell.cpus ?? allowedCPUs, alsoProcesses: ForkServerClient.running.map { [$0.pid] } ?? [])
        }
        // What the workload holds for all tasks (a shared block), built in the process that runs
        // them, and what it needs around the sample (a print sink), before the clock starts.
        if model.runsTasksInThisProcess { try prepared.workload.setUpProcess() }
        try prepared.fixture?.sampleWillStart()
        let execution: Execution
        let before: ResourceUsage
        let afterExecute: ResourceUsage
        let peak: Int
        let account: ProcessAccount
        var counters: HardwareCounters?
        do {
            // Read before the usage: reading /proc is bench's bookkeeping, not the model's CPU time.
            let countersBefore = HardwareCounters.now()
            let threadsBefore = SchedulerStatistics.threadsOfThisProcess()
            // Process models stop their own workers at the timeout; the bound ends the others.
            (execution, before, afterExecute) = try Watchdog.bounding(
                cell.label, timeout: timeout, recorder: recorder, soFar: soFar
            ) {
                PeakMemory.reset()
                let before = ResourceUsage.currentProcess()
                let started = MonotonicClock.now()
                let execution = try model.execute(job)
                let after = ResourceUsage.currentProcess()
                // Finished within the grace, but over the timeout all the same: a failure, not a row.
                let seconds = MonotonicClock.seconds(since: started)
                guard seconds <= timeout else {
                    throw BenchError.runFailed(
                        "the sample took \(TerminalTable.duration(seconds)), over --timeout \(timeout) s", fix: "raise --timeout, or give the cell fewer tasks")
                }
                return (execution, before, after)
            }
            counters = HardwareCounters.now().flatMap { after in countersBefore.map { after - $0 } }
            peak = PeakMemory.currentKilobytes() + execution.workerPeakKilobytes
            account = Self.ownAccount(execution, threadsBefore: threadsBefore) + execution.workerAccount
        } catch {
            prepared.fixture?.sampleAbandoned()
            throw error
        }
        // A model that runs part of the tasks by design is checked against those.
        let ran = execution.tasksRun ?? 0..<cell.tasks
        try prepared.fixture?.sampleDidEnd(tasks: ran)
        let expectedHere = ran == 0..<cell.tasks || expected == nil
            ? expected : try references.checksum(for: cell, workload: prepared.workload, tasks: ran)
        let ownUsage: ResourceUsage = switch execution.ownUsage {
        case .aroundExecute: afterExecute - before
        case let .until(reading): reading - before
        case .none: .zero
        }
        return Sample(
            cell: cell, order: scheduled.order, repetition: scheduled.repetition,
            wallSeconds: execution.wallSeconds, setupSeconds: execution.setupSeconds,
            usage: ownUsage + execution.workerUsage,
            maxRSSKilobytes: peak, checksum: execution.checksum,
            ok: expectedHere.map { execution.checksum == $0 } ?? true, taskLatency: execution.taskLatency, queueDelay: execution.queueDelay,
            account: account, counters: counters)
    }

    /// The model of `name`; on the interpreter axis, a python-* model on the interpreter named `interpreter`.
    private func model(named name: String, interpreter: String?) -> (any ConcurrencyModel)? {
        let model = models(name)
        guard let interpreter, let python = model as? PythonDriverModel else { return model }
        return python.on(interpreter)
    }

    /// The reference checksum of a cell whose workload only Python runs: one
    /// unmeasured python-serial run of its tasks on its interpreter (which
    /// imports the function: a bad --callable is a usage error here).
    private func pythonReference(_ cell: Cell) throws -> Checksum {
        if let problem = PythonModels.problem { throw problem }
        guard let baseline = PythonModels.baseline, let serial = model(named: baseline, interpreter: cell.interpreter) else {
            throw BenchError.usage("python-serial is not available to check \(cell.workload)'s results", fix: "this is a bug in bench")
        }
        let prepared = prepared(cell)
        printNote("bench: \(cell.workload) [\(cell.parameters)]\(cell.interpreter.map { " under \($0)" } ?? ""): one python-serial run of its \(cell.tasks) tasks for the reference checksum")
        let job = Job(
            workload: prepared.workload, workloadName: cell.workload, parameters: prepared.parameters, tasks: cell.tasks, shape: .serial,
            pool: plan.options.pool, timeoutSeconds: plan.options.timeoutSeconds, timesTasks: false)
        return try serial.execute(job).checksum
    }

    /// This process's part of a sample's account: its PSS and USS now, after
    /// the model's work (what the work built is still mapped: the workload, the
    /// thread stacks glibc keeps for reuse; a sampler thread could catch a
    /// higher point, but would compete for the cores it measures), and what
    /// its threads waited for a CPU since `threadsBefore`, up to the model's own
    /// reading when its threads end before `execute` returns. Models whose
    /// processes measure themselves, parent included (`.none`), add no wait here.
    private static func ownAccount(_ execution: Execution, threadsBefore: [Int32: SchedulerStatistics]) -> ProcessAccount {
        var scheduling: SchedulerStatistics?
        if case .none = execution.ownUsage {
            scheduling = .zero
        } else if SchedulerStatistics.isAvailable {
            let threadsAfter = execution.ownSchedulingAtFinish ?? SchedulerStatistics.threadsOfThisProcess()
            scheduling = SchedulerStatistics.change(from: threadsBefore, to: threadsAfter)
        }
        return ProcessAccount(memory: .ofThisProcess(), scheduling: scheduling)
    }

    private func fail(_ cell: Cell, _ message: String) {
        outcome.failedCells.insert(cell)
        outcome.failures.append(CellFailure(cell: cell.label, message: message))
        progress.clear()
        printError("\(cell.label): \(message)")
    }

    private func describe(_ scheduled: ScheduledSample) -> String {
        let total = plan.options.runs.fixedCount.map { "/\($0)" } ?? " (auto)"
        let kind = scheduled.isWarmup ? "warmup" : "sample \(scheduled.repetition)\(total)"
        return "\(scheduled.cell.label) \(kind)"
    }

    /// The samples still to take by the plan's known rounds: the rest of this
    /// round, then every later warmup and measured round (under `--runs auto`
    /// up to the minimum; what precision adds is not known in advance).
    private func remainingSamples(round: Int, left: [Cell]) -> Int {
        remainingByCell(round: round, left: left).values.reduce(0, +)
    }

    private func remainingByCell(round: Int, left: [Cell]) -> [Cell: Int] {
        let options = plan.options
        let rounds = options.warmup + (options.runs.fixedCount ?? minimumRuns)
        let later = max(0, rounds - round - 1)
        var counts: [Cell: Int] = [:]
        for cell in plan.cells where !outcome.failedCells.contains(cell) {
            counts[cell] = later
        }
        for cell in left where !outcome.failedCells.contains(cell) {
            counts[cell, default: 0] += 1
        }
        return counts
    }

    /// Seconds left: each remaining sample costs what its cell's samples have
    /// cost so far, or the mean of all samples for a cell not yet seen.
    private func estimateRemaining(round: Int, left: [Cell]) -> Double? {
        let known = elapsedPerSample.values
        guard !known.isEmpty else { return nil }
        let overall = known.reduce(0) { $0 + $1.total } / Double(known.reduce(0) { $0 + $1.count })
        return remainingByCell(round: round, left: left).reduce(0) { total, entry in
            let cost = elapsedPerSample[entry.key].map { $0.total / Double($0.count) } ?? overall
            return total + cost * Double(entry.value)
        }
    }
}

/// Cells share a workload instance when they share its name and parameters.
private struct WorkloadKey: Hashable {
    let name: String
    let parameters: ParameterValues

    init(_ cell: Cell) {
        name = cell.workload
        parameters = cell.parameters
    }
}

/// Cells share a fixture when their workload's key parameters agree.
private struct FixtureKey: Hashable {
    let workload: String
    let values: ParameterValues
}

/// Where the runner sends samples as they are measured.
public protocol SampleRecorder: Sendable {
    /// Persists one measured sample before the next sample starts.
    func record(_ sample: Sample) throws
    /// Called from the watchdog when a sample hangs: close the files honestly
    /// (the caller then ends the process: a hung thread cannot be stopped).
    func abandon(because reason: String, soFar: InvocationOutcome)
    /// Called when a stop request finds a sample still running after its
    /// patience: close the files as interrupted (the caller then ends the process).
    func interrupt(soFar: InvocationOutcome)
}
