import Testing
import Workloads
import Engine
@testable import Harness
import Platform
import TestSupport

@Suite("CSV output")
struct CSVTests {
    /// DESIGN.md v3: the new measured columns, appended after every v2 column, never reordered.
    static let columnsAfterCpus = ",pss_kb,uss_kb,runq_wait_s,migrations,cycles,instructions,cache_misses,interpreter"

    @Test func rawHeaderIsTheDesignContractThenQueueAndCPUColumnsThenMeasuredOnes() {
        // DESIGN.md's v2 header, then the queueing columns and the CPU set (--cpus), then v3's.
        #expect(CSVFormat.line(ResultsCSV.rawHeader) == "run_id,order,workload,kind,model,processes,threads,workers,tasks,work,work_unit,repeat,wall_s,setup_s,user_s,sys_s,max_rss_kb,vcsw,ivcsw,checksum,ok,task_p50_s,task_p99_s,params,queue_p50_s,queue_p99_s,cpus" + Self.columnsAfterCpus)
    }

    @Test func summaryHeaderIsTheDesignContractThenQueueAndCPUColumnsThenMeasuredOnes() {
        #expect(CSVFormat.line(ResultsCSV.summaryHeader) == "workload,kind,model,processes,threads,workers,tasks,work,work_unit,runs,wall_median_s,wall_min_s,wall_max_s,wall_mean_s,wall_stddev_s,wall_ci_lo_s,wall_ci_hi_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,throughput_tps,cpu_util,user_s,sys_s,max_rss_kb,vcsw,ivcsw,outliers,task_p50_s,task_p99_s,params,queue_p50_s,queue_p99_s,cpus" + Self.columnsAfterCpus)
    }

    /// What was not measured is an empty field, never 0: a row without an account or
    /// counters, a summary whose samples have none; what was measured, its median.
    @Test func unmeasuredColumnsAreEmptyAndMeasuredOnesAreMedians() throws {
        let unmeasured = Sample(
            cell: CSVTests.cell(), order: 1, repetition: 1, wallSeconds: 1, setupSeconds: 0, usage: .zero, maxRSSKilobytes: 1,
            checksum: Checksum(), ok: true)
        #expect(ResultsCSV.rawRow(unmeasured, runID: "r").suffix(8) == ["", "", "", "", "", "", "", ""])
        let unmeasuredSummary = try #require(CellSummary.summarize([unmeasured]).first)
        #expect(ResultsCSV.summaryRow(unmeasuredSummary).suffix(8) == ["", "", "", "", "", "", "", ""])

        let measured = (1...3).map { repetition in
            Sample(
                cell: CSVTests.cell(), order: repetition, repetition: repetition, wallSeconds: 1, setupSeconds: 0, usage: .zero,
                maxRSSKilobytes: 1_000, checksum: Checksum(), ok: true,
                account: ProcessAccount(
                    memory: ProportionalMemory(pssKilobytes: 100 * repetition, ussKilobytes: 10 * repetition),
                    scheduling: SchedulerStatistics(runQueueWaitNanoseconds: 1_000_000 * repetition, migrations: repetition == 2 ? nil : repetition)),
                counters: repetition == 1 ? HardwareCounters(cycles: 7, instructions: 8, cacheMisses: 9) : nil)
        }
        // The v3 columns, then the interpreter (empty off the interpreter axis).
        #expect(ResultsCSV.rawRow(measured[1], runID: "r").suffix(8) == ["200", "20", "0.002000000", "", "", "", "", ""])
        let summary = try #require(CellSummary.summarize(measured).first)
        #expect(ResultsCSV.summaryRow(summary).suffix(8) == ["200", "20", "0.002000000", "2.0", "7", "8", "9", ""])
        // 2 ms of waiting in 1 s of wall over 4 workers.
        #expect(summary.measured.waitingShare(wallSeconds: 1, workers: 4) == 0.0005)
        #expect(unmeasuredSummary.measured.waitingShare(wallSeconds: 1, workers: 4) == nil)
    }

    @Test func theTableNamesCellsWhoseWorkersWaitedForACPU() {
        func summary(_ model: String, _ shape: Shape, waitSeconds: Double) -> [Sample] {
            [Sample(
                cell: CSVTests.cell(model: model, shape: shape), order: 1, repetition: 1, wallSeconds: 0.1, setupSeconds: 0,
                usage: .zero, maxRSSKilobytes: 1, checksum: Checksum(), ok: true,
                account: ProcessAccount(memory: nil, scheduling: SchedulerStatistics(runQueueWaitNanoseconds: Int(waitSeconds * 1e9), migrations: nil)))]
        }
        // 64 workers x 0.1 s = 6.4 s of worker time: 4.8 s waiting is 75%; 2 x 0.1 s with 1 ms waiting is 0.5%, not named.
        let table = TerminalTable.render(CellSummary.summarize(
            summary("thread", .threads(64), waitSeconds: 4.8) + summary("process-pool", .processes(2, threadsEach: 1), waitSeconds: 0.001)))
        #expect(table.contains("waiting for a CPU (run-queue wait / (wall x workers)): thread 1x64 75%"), "\(table)")
        #expect(!table.contains("process-pool 2x1 0%") && !table.contains("process-pool 2x1 1%"))
        #expect(!TerminalTable.render(CellSummary.summarize(summary("thread", .threads(2), waitSeconds: 0))).contains("waiting"))
    }

    /// A verdict names the measured reason the loser lost when its workers waited
    /// for a CPU far more than the winner's, and names none when both waited alike.
    @Test func verdictsNameTheWaitingShareOfTheLoser() throws {
        func samples(_ model: String, _ shape: Shape, wall: Double, waitSeconds: Double) -> [Sample] {
            (1...8).map { round in
                Sample(
                    cell: CSVTests.cell(model: model, shape: shape), order: round, repetition: round,
                    wallSeconds: wall * (1 + Double(round) / 1000), setupSeconds: 0, usage: .zero, maxRSSKilobytes: 1,
                    checksum: Checksum(), ok: true,
                    account: ProcessAccount(memory: nil, scheduling: SchedulerStatistics(runQueueWaitNanoseconds: Int(waitSeconds * 1e9), migrations: nil)))
            }
        }
        // process-pool: 0.2 s x 64 workers = 12.8 s of worker time, 5.12 s of it waiting = 40%; thread waited 1%.
        let verdict = try #require(HeadToHead.verdicts(
            samples("thread", .threads(64), wall: 0.1, waitSeconds: 0.064) + samples("process-pool", .processes(64, threadsEach: 1), wall: 0.2, waitSeconds: 5.12)).first)
        #expect(verdict.reason == "process-pool: 40% of its workers' time waiting for a CPU")
        #expect(verdict.sentence.contains("; process-pool: 40% of its workers' time waiting for a CPU"), "\(verdict.sentence)")
        let alike = try #require(HeadToHead.verdicts(
            samples("thread", .threads(64), wall: 0.1, waitSeconds: 3.2) + samples("process-pool", .processes(64, threadsEach: 1), wall: 0.2, waitSeconds: 5.12)).first)
        #expect(alike.reason == nil, "50% against 40%: the loser did not wait more")
    }

    static func cell(model: String = "thread", shape: Shape = .threads(4)) -> Cell {
        Cell(
            index: 0, workload: "xor", kind: .cpu, work: WorkSize(amount: 1000, unit: "iterations"),
            parameters: ParameterValues(["iterations": .number(1000)]), model: model, shape: shape, tasks: 8)
    }

    @Test func formatsARawRow() {
        var checksum = Checksum()
        checksum.add(task: 0, result: 1)
        let sample = Sample(
            cell: CSVTests.cell(), order: 3, repetition: 2, wallSeconds: 0.0123456789, setupSeconds: 0.00001,
            usage: ResourceUsage(userSeconds: 0.02, systemSeconds: 0.001, voluntarySwitches: 5, involuntarySwitches: 1),
            maxRSSKilobytes: 2048, checksum: checksum, ok: true)
        let line = CSVFormat.line(ResultsCSV.rawRow(sample, runID: "20261122T000000Z-test"))
        #expect(line == "20261122T000000Z-test,3,xor,cpu,thread,1,4,4,8,1000,iterations,2,0.012345679,0.000010000,0.020000,0.001000,2048,5,1,\(checksum),true,,,iterations=1000,,,,,,,,,,,")
    }

    @Test func asyncRowsLeaveThreadsEmptyAndNoopLeavesWorkEmpty() {
        let cell = Cell(
            index: 0, workload: "noop", kind: .cpu, work: .none, parameters: ParameterValues(), model: "async",
            shape: .inFlight(64), tasks: 10)
        let sample = Sample(
            cell: cell, order: 1, repetition: 1, wallSeconds: 1, setupSeconds: 0, usage: .zero, maxRSSKilobytes: 1,
            checksum: Checksum(), ok: true)
        let fields = ResultsCSV.rawRow(sample, runID: "r")
        #expect(fields[5] == "1")
        #expect(fields[6] == "")
        #expect(fields[7] == "64")
        #expect(fields[9] == "" && fields[10] == "")
        #expect(fields[ResultsCSV.rawHeader.firstIndex(of: "params")!] == "", "a workload without parameters has an empty params field")
    }

    @Test func escapesAndParsesFieldsPerRFC4180() {
        let fields = ["plain", "with,comma", "with \"quote\"", "line\nbreak", ""]
        let line = CSVFormat.line(fields)
        #expect(line == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\",")
        #expect(CSVFormat.fields(of: Substring(line)) == fields)
    }

    @Test func numbersHaveNoExponentsAndMissingValuesAreEmpty() {
        #expect(CSVFormat.seconds(0.000000012) == "0.000000012")
        #expect(CSVFormat.seconds(1234.5) == "1234.500000000")
        #expect(CSVFormat.seconds(nil) == "")
        #expect(CSVFormat.decimal(.nan, places: 2) == "")
        #expect(CSVFormat.decimal(-0.0001, places: 2) == "0.00")
    }

    @Test func summaryLeavesSpeedupEmptyWithoutASerialCell() throws {
        let samples = (1...3).map { repetition in
            Sample(
                cell: CSVTests.cell(), order: repetition, repetition: repetition, wallSeconds: Double(repetition),
                setupSeconds: 0, usage: .zero, maxRSSKilobytes: 1, checksum: Checksum(), ok: true)
        }
        let summary = try #require(CellSummary.summarize(samples).first)
        #expect(summary.speedup == nil)
        let row = ResultsCSV.summaryRow(summary)
        #expect(row[17] == "" && row[18] == "" && row[19] == "" && row[20] == "")
        #expect(row[10] == "2.000000000")
    }

    @Test func summaryComputesSpeedupAgainstSerialAndSkipsBadSamples() throws {
        let serial = CSVTests.cell(model: "serial", shape: .serial)
        let threads = Cell(
            index: 1, workload: "xor", kind: .cpu, work: serial.work, parameters: serial.parameters, model: "thread",
            shape: .threads(2), tasks: 8)
        func sample(_ cell: Cell, _ wall: Double, ok: Bool = true) -> Sample {
            Sample(cell: cell, order: 1, repetition: 1, wallSeconds: wall, setupSeconds: 0, usage: .zero,
                   maxRSSKilobytes: 1, checksum: Checksum(), ok: ok)
        }
        let summaries = CellSummary.summarize([
            sample(serial, 2.0), sample(serial, 2.0), sample(threads, 1.0), sample(threads, 1.0), sample(threads, 0.1, ok: false),
        ])
        #expect(summaries.count == 2)
        #expect(summaries[1].speedup == 2.0)
        #expect(summaries[1].efficiency == 1.0)
        #expect(summaries[1].wall.count == 2)
    }

    @Test func eachLanguageIsMeasuredAgainstItsOwnSerial() throws {
        let serial = CSVTests.cell(model: "serial", shape: .serial)
        func cell(_ model: String, _ index: Int, _ shape: Shape) -> Cell {
            Cell(index: index, workload: "xor", kind: .cpu, work: serial.work, parameters: serial.parameters, model: model, shape: shape, tasks: 8)
        }
        let pythonSerial = cell("python-serial", 1, .serial)
        let pythonThreads = cell("python-thread", 2, .threads(2))
        func sample(_ cell: Cell, _ wall: Double) -> Sample {
            Sample(cell: cell, order: 1, repetition: 1, wallSeconds: wall, setupSeconds: 0, usage: .zero,
                   maxRSSKilobytes: 1, checksum: Checksum(), ok: true)
        }
        let summaries = CellSummary.summarize(
            [sample(serial, 1.0), sample(pythonSerial, 10.0), sample(pythonThreads, 12.5)])
        #expect(summaries.map(\.cell.model) == ["serial", "python-serial", "python-thread"])
        #expect(summaries[1].speedup == 1.0)
        #expect(summaries[2].speedup == 0.8, "python-thread against python-serial, not against Swift's serial")
    }

    @Test func paramsHoldOnlyTheWorkloadsOwnParametersSortedAndEscaped() throws {
        let values = ParameterValues(["http-url": .text("http://127.0.0.1:1/;a=b"), "keep-alive": .flag(false), "http-bytes": .number(1024)])
        #expect(values.description == "http-bytes=1024;http-url=http://127.0.0.1:1/%3Ba%3Db;keep-alive=false")
        let declaration = try #require(WorkloadRegistry.declaration(named: "http"))
        let back = try declaration.values(parsing: values.description)
        #expect(back["http-url"] == .text("http://127.0.0.1:1/;a=b"))
        #expect(back["keep-alive"] == .flag(false))
        #expect(back.names == declaration.parameters.map(\.name).sorted(), "parsing fills in every declared parameter")
    }

    @Test func cpuUtilisationIsTheMedianOfEachRunsOwnRatio() throws {
        // (wall, user, sys): no run has more than 1.9 cores busy, but the median
        // wall, median user and median sys, taken from different runs, give 2.0.
        let runs = [(1.0, 1.8, 0.1), (1.0, 1.7, 0.2), (3.0, 3.0, 2.5)]
        let samples = runs.enumerated().map { index, run in
            Sample(
                cell: CSVTests.cell(), order: index + 1, repetition: index + 1, wallSeconds: run.0, setupSeconds: 0,
                usage: ResourceUsage(userSeconds: run.1, systemSeconds: run.2), maxRSSKilobytes: 1,
                checksum: Checksum(), ok: true)
        }
        let summary = try #require(CellSummary.summarize(samples).first)
        #expect(abs(summary.cpuUtilisation! - 1.9) < 1e-9)
        #expect((summary.userSeconds + summary.systemSeconds) / summary.wall.median > 1.95)
    }
}
