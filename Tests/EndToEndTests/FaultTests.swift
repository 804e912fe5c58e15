import Foundation
import Glibc
import Testing
import Harness
import LocalHTTP
import Platform
import TestSupport

/// Fault injection against the built binary: signals to the whole group,
/// closed standard streams, a full or read-only disk, a `latest` in the way,
/// SIGKILL with children running. Each checks the exit code, that every row
/// is whole, that meta.json tells how the run ended and that no process is
/// left behind.
@Suite("faults", .serialized)
struct FaultTests {
    /// The only run folder under `root`.
    static func runFolder(in root: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix("-run") }
        try #require(names.count == 1, "\(names)")
        return root.appendingPathComponent(names[0])
    }

    /// Every line of raw.csv has the header's number of fields and ends in a newline.
    static func expectWholeRows(_ runFolder: URL, rows expected: ClosedRange<Int>? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = try String(contentsOf: runFolder.appendingPathComponent("raw.csv"), encoding: .utf8)
        #expect(text.hasSuffix("\n"), sourceLocation: sourceLocation)
        let lines = text.split(separator: "\n")
        #expect(lines.first.map { CSVFormat.fields(of: $0) } == ResultsCSV.rawHeader, sourceLocation: sourceLocation)
        for line in lines {
            #expect(CSVFormat.fields(of: line).count == ResultsCSV.rawHeader.count, "\(line)", sourceLocation: sourceLocation)
        }
        if let expected {
            #expect(expected.contains(lines.count - 1), "\(lines.count - 1) rows", sourceLocation: sourceLocation)
        }
    }

    static let quickRun = ["run", "--workload", "noop", "--model", "serial", "--tasks", "10", "--runs", "1", "--warmup", "0", "--no-plot"]

    /// GNU timeout sends SIGTERM to bench and then to its whole group: one
    /// request to stop, not an abort, and not a failure of the sample's workers.
    /// timeout forwards a SIGTERM it receives the same way as at its deadline,
    /// so the test sends it once rows exist rather than guessing a duration.
    @Test func timeoutToTheGroupStopsAfterTheSampleAndKeepsTheSummary() throws {
        for attempt in 1...3 {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let timeout = try Spawned(URL(fileURLWithPath: "/usr/bin/timeout"), [
                "--preserve-status", "600", BenchBinary.url.path, "run", "--workload", "sleep,xor", "--model", "thread,async,process-pool",
                "--workers", "2,8", "--tasks", "16", "--sleep-ms", "50", "--iterations", "200000", "--runs", "50", "--warmup", "0",
                "--no-plot", "--out", folder.url.path,
            ])
            #expect(ProcessTable.eventually(within: 60) {
                guard let run = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.path))?.first(where: { $0.hasSuffix("-run") }),
                      let raw = try? CSVTable(url: folder.url.appendingPathComponent(run).appendingPathComponent("raw.csv"))
                else { return false }
                return raw.rows.count >= 3
            })
            kill(timeout.pid, SIGTERM)
            let status = timeout.wait(seconds: 60)
            let errors = timeout.standardError()
            #expect(status == 1, "attempt \(attempt): \(errors)")
            #expect(errors.contains("bench: interrupted;"), "attempt \(attempt): \(errors)")
            #expect(!errors.contains("error:"), "attempt \(attempt): \(errors)")
            let run = try Self.runFolder(in: folder.url)
            #expect(try MetaJSON.read(runFolder: run)["status"] as? String == "interrupted")
            #expect((try MetaJSON.read(runFolder: run)["failures"] as? [Any])?.isEmpty ?? true)
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("summary.csv").path))
            try Self.expectWholeRows(run)
        }
    }

    /// A closed stdout or stderr must not become raw.csv's descriptor.
    @Test(arguments: ["1>&-", "2>&-", "0<&- 1>&- 2>&-"])
    func closedStandardStreamsDoNotCorruptRawCSV(_ redirection: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.runProgram(URL(fileURLWithPath: "/bin/sh"), arguments: [
            "-c", "exec \"$0\" \"$@\" \(redirection)", BenchBinary.url.path,
        ] + Self.quickRun + ["--out", folder.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        let run = try Self.runFolder(in: folder.url)
        try Self.expectWholeRows(run, rows: 1...1)
        #expect(try MetaJSON.read(runFolder: run)["status"] as? String == "complete")
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
    func aFullDiskKeepsWholeRowsMarksTheRunFailedAndSummarisesIt() throws {
        let disk = try ScratchMount(kilobytes: 64)
        let result = try BenchBinary.run([
            "run", "--workload", "noop", "--model", "serial,thread", "--workers", "1,2", "--tasks", "10", "--runs", "1000",
            "--no-plot", "--out", disk.url.path,
        ])
        #expect(result.status == 1)
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1 && errors[0].contains("No space left on device — the disk is full"), "\(errors)")
        let run = try Self.runFolder(in: disk.url)
        let meta = try MetaJSON.read(runFolder: run)
        #expect(meta["status"] as? String == "failed")
        try Self.expectWholeRows(run, rows: 10...1000)
        #expect(try CSVTable(url: run.appendingPathComponent("summary.csv")).rows.count == 3)
        #expect(!FileManager.default.fileExists(atPath: disk.url.appendingPathComponent("latest").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.hasPrefix(".") || $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// The disk fills mid-run: summary.csv and meta.json count exactly the
    /// rows that reached raw.csv, not the sample whose row was lost.
    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
    func aFullDiskSummarisesExactlyTheRowsWritten() throws {
        let disk = try ScratchMount(kilobytes: 64)
        let result = try BenchBinary.run([
            "run", "--workload", "noop", "--model", "serial", "--tasks", "10", "--runs", "1000", "--no-plot", "--out", disk.url.path,
        ])
        #expect(result.status == 1, "\(result.standardError)")
        let run = try Self.runFolder(in: disk.url)
        let rows = try CSVTable(url: run.appendingPathComponent("raw.csv")).rows
        let summary = try CSVTable(url: run.appendingPathComponent("summary.csv")).rows
        try #require(summary.count == 1, "\(summary)")
        #expect(summary[0]["runs"] == String(rows.count), "summary.csv runs=\(summary[0]["runs"] ?? "") vs \(rows.count) rows")
        let walls = rows.compactMap { $0["wall_s"].flatMap(Double.init) }.sorted()
        let median = walls.count % 2 == 1 ? walls[walls.count / 2] : (walls[walls.count / 2 - 1] + walls[walls.count / 2]) / 2
        #expect(abs((summary[0]["wall_median_s"].flatMap(Double.init) ?? -1) - median) <= 1e-9 + median * 1e-6)
        #expect(try MetaJSON.read(runFolder: run)["measured_runs"] as? Int == rows.count)
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
    func aDiskTooFullForTheSummaryIsFoundBeforeMeasuring() throws {
        let disk = try ScratchMount(kilobytes: 16)
        let result = try BenchBinary.run(Self.quickRun + ["--out", disk.url.path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("for the run's summary: No space left on device"), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.url.path).isEmpty)
    }

    /// errno survives until the message is built: EROFS says read-only.
    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
    func aReadOnlyOutSaysReadOnly() throws {
        let disk = try ScratchMount(kilobytes: 64, options: ["ro"])
        for command in [Self.quickRun, ["calibrate", "--repeat", "1"]] {
            let result = try BenchBinary.run(command + ["--out", disk.url.appendingPathComponent("results").path])
            #expect(result.status == 1)
            #expect(result.standardError.contains("Read-only file system — the file system is read-only: choose another --out"), "\(result.standardError)")
            // calibrate checks its folder before measuring: nothing is printed as measured.
            #expect(!result.standardOutput.contains("xor loop"))
        }
    }

    @Test func aFolderNamedLatestStillPrintsTheTableAndLeavesNoStrayLink() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("latest"), withIntermediateDirectories: false)
        let result = try BenchBinary.run(Self.quickRun + ["--out", folder.url.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("serial  1x1"), "\(result.standardOutput)")
        #expect(result.standardError.contains("cannot update \(folder.url.path)/latest"), "\(result.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(!names.contains { $0.hasPrefix(".latest") }, "\(names)")
        #expect(try MetaJSON.read(runFolder: Self.runFolder(in: folder.url))["status"] as? String == "complete")
    }

    @Test func twoCalibrationsAtOnceWriteTwoFolders() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let arguments = ["calibrate", "--repeat", "1", "--out", folder.url.path]
        let first = try Spawned(BenchBinary.url, arguments)
        let second = try Spawned(BenchBinary.url, arguments)
        #expect(first.wait(seconds: 120) == 0)
        #expect(second.wait(seconds: 120) == 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("-calibrate") }
        #expect(runs.count == 2, "\(runs)")
        for run in runs {
            #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(run).appendingPathComponent("calibration.csv").path))
        }
    }

    /// The fork server dies mid-run: at worst the sample that needed it fails,
    /// and the next sample starts a new one.
    @Test func aKilledForkServerIsReplacedForTheNextSample() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bench = try Spawned(BenchBinary.url, [
            "run", "--workload", "sleep", "--sleep-ms", "10", "--tasks", "4", "--model", "process-pool", "--workers", "2,4",
            "--runs", "30", "--warmup", "0", "--no-plot", "--start-method", "forkserver", "--out", folder.url.path,
        ])
        func servers() -> [Int32] {
            ProcessTable.children(of: bench.pid).filter { ProcessTable.commandLine($0).contains("forkserver") && !ProcessTable.hasExited($0) }
        }
        var first: Int32?
        #expect(ProcessTable.eventually(within: 30) {
            first = servers().first
            return first != nil
        })
        let killed = try #require(first)
        usleep(300_000)
        kill(killed, SIGKILL)
        let replaced = ProcessTable.eventually(within: 30) { servers().contains { $0 != killed } }
        let status = bench.wait(seconds: 60)
        #expect(replaced, "no new fork server after \(killed) was killed: \(bench.standardError())")
        // The sample in progress may have lost its workers (they die with their server), failing that cell.
        let errors = bench.standardError().split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(status == 0 || errors.contains { $0.contains("the fork server (pid \(killed)) was killed by SIGKILL") }, "\(errors)")
        let run = try Self.runFolder(in: folder.url)
        try Self.expectWholeRows(run, rows: 30...60)
    }

    /// CPU seconds `pid` has used (user + system), from /proc.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
    }

    /// Out of descriptors, the server answers 503 instead of spinning on a
    /// listener that stays readable, and a request then gets an answer.
    @Test func serveOutOfDescriptorsShedsConnectionsWithoutSpinning() throws {
        // Descriptors another test of this process leaked into the shell (between pipe() and
        // FD_CLOEXEC) would count against the 48: the shell closes all but 0-2 first.
        let server = try Spawned(
            URL(fileURLWithPath: "/bin/bash"), [
                "-c", "for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval \"exec $fd>&-\"; done; ulimit -n 48 && exec \"$0\" serve --http-latency-ms 0",
                BenchBinary.url.path,
            ],
            pipeOutput: true)
        defer {
            kill(server.pid, SIGINT)
            _ = server.wait(seconds: 10)
        }
        guard let url = readLine(server.output!) else {
            _ = server.wait(seconds: 10)
            Issue.record("bench serve did not start: \(server.standardError())")
            return
        }
        let port = try HTTPEndpoint(url: url).port
        var idle: [RawSocket] = []
        for _ in 0..<80 { idle.append(try RawSocket(port: port, timeoutSeconds: 5)) }
        usleep(300_000)
        let before = Self.cpuSeconds(server.pid)
        usleep(1_000_000)
        let spent = Self.cpuSeconds(server.pid) - before
        #expect(spent < 0.3, "the server used \(spent) s of CPU in 1 s while out of descriptors")
        let probe = try RawSocket(port: port, timeoutSeconds: 5)
        probe.send("GET /task/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        let answer = String(decoding: probe.read(atLeast: 12), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 503 "), "\(answer)")
        // Once the idle clients go, the server sees their EOFs, closes its ends and serves again.
        idle.removeAll()
        #expect(ProcessTable.eventually(within: 10) {
            guard let again = try? RawSocket(port: port, timeoutSeconds: 5) else { return false }
            again.send("GET /task/1 HTTP/1.1\r\nHost: t\r\n\r\n")
            return String(decoding: again.read(atLeast: 12), as: UTF8.self).hasPrefix("HTTP/1.1 200 ")
        })
    }

    /// SIGKILL gives bench no chance to clean up: its children must notice on their own.
    @Test(arguments: [
        ["run", "--workload", "sleep", "--sleep-ms", "100", "--tasks", "64", "--model", "process-pool,hybrid", "--workers", "4",
         "--runs", "100", "--warmup", "0", "--no-plot"],
        ["run", "--workload", "http", "--http-latency-ms", "50", "--tasks", "64", "--model", "thread", "--workers", "8",
         "--runs", "100", "--warmup", "0", "--no-plot"],
        ["experiment", "seed-400", "--items", "100000", "--runs", "5", "--warmup", "0", "--sink", "pipe", "--no-plot"],
        ["run", "--workload", "sleep", "--sleep-ms", "100", "--tasks", "64", "--model", "python-process-pool,python-thread",
         "--workers", "4", "--runs", "100", "--warmup", "0", "--no-plot"],
    ])
    func sigkillOfBenchLeavesNoProcessBehind(_ command: [String]) throws {
        if command.contains("seed-400") || command.contains(where: { $0.hasPrefix("python-") }) {
            try #require(PackageFile.onPath("python3") != nil, "python3 is needed to start the tutorial's program")
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bench = try Spawned(BenchBinary.url, command + ["--out", folder.url.path])
        // Wait until the children that matter are up: workers, the server, or the Python program.
        var seen: Set<Int32> = []
        let wanted = command.contains("seed-400") ? "seed400.py"
            : command.contains(where: { $0.hasPrefix("python-") }) ? "bench_driver.py"
            : command.contains("http") ? "serve" : "bench-worker"
        let started = ProcessTable.eventually(within: 30) {
            let now = ProcessTable.descendants(of: bench.pid)
            seen.formUnion(now)
            return now.contains { ProcessTable.commandLine($0).contains(wanted) }
        }
        try #require(started, "no \(wanted) process appeared: \(bench.standardError())")
        usleep(200_000)
        seen.formUnion(ProcessTable.descendants(of: bench.pid))
        kill(bench.pid, SIGKILL)
        #expect(bench.wait() == 128 + SIGKILL)
        let gone = ProcessTable.eventually(within: 5) { seen.allSatisfy(ProcessTable.hasExited) }
        let left = seen.filter { !ProcessTable.hasExited($0) }.map { "\($0): \(ProcessTable.commandLine($0))" }
        #expect(gone, "still running: \(left)")
        for pid in seen where !ProcessTable.hasExited(pid) { kill(pid, SIGKILL) }
        // The run is marked as started by a process that no longer runs, not as complete.
        let run = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).first { !$0.hasPrefix(".") }
        if let run {
            let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent(run))
            #expect(meta["status"] as? String == "running")
            #expect(meta["pid"] as? Int == Int(bench.pid))
        }
    }
}
