import Foundation
import Glibc
import Testing
@testable import Experiments
@testable import Harness
import Platform
import TestSupport

/// The shared-state experiments (locks, sharing, gil-switch) end to end with
/// small counts: every variant's result checked - counts exact where a
/// lock, an atomic or a copy makes them so, lost updates reported (lost +
/// final = expected), never hidden - a party killed mid-sample, and bad input.
@Suite("Shared-state experiments", .serialized)
struct SharedStateExperimentTests {
    static var python: Bool { PackageFile.onPath("python3") != nil }

    static func medians(_ csv: CSVTable, _ metric: String) -> [[String: String]] {
        csv.rows.filter { $0["record"] == "median" && $0["metric"] == metric }
    }

    static func samples(_ csv: CSVTable, _ metric: String) -> [[String: String]] {
        csv.rows.filter { $0["record"] == "sample" && $0["metric"] == metric }
    }

    static func number(_ row: [String: String], _ column: String = "value") -> Double {
        Double(row[column] ?? "") ?? .nan
    }

    @Test func locksMeasuresEveryMechanismAndEveryLockExcludes() throws {
        let (result, run, folder) = try ProbeExperimentTests.run(["locks", "--quick", "--parties", "1,3"] + (Self.python ? [] : ["--no-python"]))
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["ns per acquire + release", "the seed's Semaphore(2)", "Event: from set()", "使用Lock来避免多进程共享资源"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        let csv = try ProbeExperimentTests.checkFolder(run, experiment: "locks")
        let expected = LocksExperiment.subjects.filter { Self.python || $0.language == "swift" }
        for subject in expected {
            let metric = subject.kind == "lock" ? "ns_per_acquire" : subject.kind == "hold" ? "wall_ms" : "wake_p50_us"
            let rows = Self.medians(csv, metric).filter { $0["language"] == subject.language && $0["subject"] == subject.name && $0["variant"] == subject.kind }
            #expect(rows.count == (subject.kind == "lock" ? 2 : 1), "\(subject.language) \(subject.name) \(subject.kind)")
            #expect(rows.allSatisfy { Self.number($0) > 0 }, "\(subject.name)")
        }
        // Every lock excluded: no sample lost an update, every sample made acquisitions.
        let lost = Self.samples(csv, "lost_updates")
        #expect(lost.count == 2 * 2 * expected.filter { $0.kind == "lock" }.count)
        #expect(lost.allSatisfy { Self.number($0) == 0 }, "\(lost.filter { Self.number($0) != 0 })")
        #expect(Self.samples(csv, "acquisitions").allSatisfy { Self.number($0) >= 64 })
        // Semaphore(2): never more than two inside, never faster than ceil(5/2) holds.
        #expect(Self.samples(csv, "most_inside").allSatisfy { Self.number($0) == 2 })
        #expect(Self.samples(csv, "seed_ratio").allSatisfy { Self.number($0) >= 0.98 })
        for id in ["process-lock-excludes-process-semaphore-3", "semaphore-lets-two-in-process-semaphore", "thread-lock-excludes-mutex"] {
            #expect(ProbeExperimentTests.claim(csv, id) == "holds", "\(id)")
        }
    }

    @Test func sharingChecksEveryCounterAndReportsLostUpdates() throws {
        let (result, run, folder) = try ProbeExperimentTests.run(
            ["sharing", "--quick", "--shared-mib", "16", "--memory-workers", "1,3"] + (Self.python ? [] : ["--no-python"]))
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        let csv = try ProbeExperimentTests.checkFolder(run, experiment: "sharing")
        let subjects = SharingExperiment.subjects.filter { Self.python || $0.language == "swift" }
        let exact: Set<String> = [
            "threads-mutex", "atomic", "shared-memory-semaphore", "shared-memory-atomic", "threads-lock", "itertools-count", "asyncio-no-lock",
            "mp-value-lock", "manager-value", "shared-memory",
        ]
        for subject in subjects where subject.kind == "counter" {
            let of = { (metric: String) in
                Self.samples(csv, metric).filter { $0["language"] == subject.language && $0["subject"] == subject.name }.map { Self.number($0) }
            }
            let finals = of("final_count"), expecteds = of("expected_count")
            #expect(finals.count == 2 && expecteds.count == 2, "\(subject.language) \(subject.name)")
            if subject.name == "processes-own-copy" {
                #expect(of("parent_count") == [0, 0], "the parent still sees 0 (\(subject.language))")
                #expect(of("copies_exact") == [1, 1], "each process counted all of its own (\(subject.language))")
                #expect(of("lost_updates").isEmpty)
                continue
            }
            let lost = of("lost_updates")
            #expect(lost.count == 2)
            for (index, final) in finals.enumerated() where index < lost.count && index < expecteds.count {
                #expect(lost[index] + final == expecteds[index], "\(subject.name): reported, never hidden")
                #expect(lost[index] >= 0)
                if exact.contains(subject.name) { #expect(lost[index] == 0, "\(subject.language) \(subject.name) must be exact") }
            }
        }
        #expect(Self.samples(csv, "foreign_reads").allSatisfy { Self.number($0) == 0 }, "each party sees only its own value")
        #expect(Self.samples(csv, "foreign_reads").count == 2 * subjects.filter { $0.kind == "local" }.count)
        // Memory: PSS never above the summed RSS; a spawned pool holds a copy per
        // worker, threads one in all.
        let pss = Self.medians(csv, "pss_mib"), rss = Self.medians(csv, "rss_sum_mib")
        #expect(pss.count == 2 * subjects.filter { $0.kind == "memory" }.count)
        for row in pss {
            let sum = rss.first { $0["subject"] == row["subject"] && $0["size"] == row["size"] }.map { Self.number($0) } ?? 0
            #expect(Self.number(row) <= sum + 0.5, "\(row["subject"] ?? "") at \(row["size"] ?? ""): PSS \(Self.number(row)) <= summed RSS \(sum)")
        }
        func growth(_ subject: String) -> Double {
            let at = { (size: String) in pss.first { $0["subject"] == subject && $0["size"] == size }.map { Self.number($0) } ?? .nan }
            return at("3") - at("1")
        }
        #expect(growth("process-pool-spawn") > 16, "two more copies of 16 MiB: \(growth("process-pool-spawn")) MiB")
        #expect(growth("thread") < 8, "threads share one: \(growth("thread")) MiB")
        for id in ["parent-sees-0-swift", "own-copies-count-swift", "no-lost-updates-threads-mutex", "own-value-only-pthread-key"] {
            #expect(ProbeExperimentTests.claim(csv, id) == "holds", "\(id)")
        }
    }

    @Test func gilSwitchMeasuresEveryConfiguration() throws {
        let (result, run, folder) = try ProbeExperimentTests.run(
            ["gil-switch", "--quick", "--intervals", "0.001,0.02", "--io-threads", "2"] + (Self.python ? [] : ["--no-python"]))
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        let csv = try ProbeExperimentTests.checkFolder(run, experiment: "gil-switch")
        let configurations = Set(Self.medians(csv, "io_p50_us").map { "\($0["language"] ?? "") \($0["subject"] ?? "") \($0["variant"] ?? "") \($0["size"] ?? "")" })
        var expected: Set<String> = []
        for io in ["sleep", "http"] {
            expected.formUnion(["swift alone \(io) ", "swift threads \(io) "])
            if Self.python {
                expected.formUnion(["python alone \(io) 5000", "python processes \(io) 5000", "python threads \(io) 1000", "python threads \(io) 20000"])
            }
        }
        #expect(configurations == expected)
        // A 1 ms sleep takes a millisecond at least, however long the GIL keeps it.
        #expect(Self.samples(csv, "io_p50_us").filter { $0["variant"] == "sleep" }.allSatisfy { Self.number($0) >= 1000 })
        #expect(Self.samples(csv, "cpu_iterations_per_s").filter { $0["subject"] != "alone" }.allSatisfy { Self.number($0) > 0 })
    }

    @Test func aKilledStatePeerFailsItsConfigurationInOneLine() throws {
        let line = try ProbeExperimentTests.killAParty(of: "locks", [
            "--kind", "lock", "--subject", "process-semaphore", "--parties", "2", "--sample-ms", "60000", "--runs", "1", "--timeout", "90",
            "--no-python",
        ]) { descendants, _ in
            descendants.first { ProcessTable.commandLine($0).contains("state-peer") }
        }
        #expect(line.contains("swift process-semaphore lock 2 parties: the lock's process") && line.contains("SIGKILL"), "\(line)")
    }

    @Test func badInputIsAUsageErrorWithTheRange() throws {
        let most = PartyLimit.maximum
        for (arguments, words) in [
            (["locks", "--parties", "0"], "from 1 to \(most)"), (["locks", "--parties", "2,\(most + 1)"], "from 1 to \(most)"),
            (["locks", "--kind", "barrier"], "unknown kind"), (["locks", "--hold-ms", "0"], "--hold-ms"),
            (["sharing", "--workers", "\(most + 1)"], "from 1 to \(most)"), (["sharing", "--memory-workers", "0,2"], "from 1 to \(most)"),
            (["sharing", "--shared-mib", "\(((SystemMemory.availableBytes ?? 1 << 30) >> 20) / 2)"], "give --shared-mib from 1 to"),
            (["gil-switch", "--intervals", "0"], "above 0 and at most 10"), (["gil-switch", "--intervals", "0.005,-1"], "above 0 and at most 10"),
            (["gil-switch", "--intervals", "11"], "above 0 and at most 10"), (["gil-switch", "--io", "disk"], "unknown IO kind"),
        ] {
            let result = try BenchBinary.run(["experiment"] + arguments + ["--no-python", "--out", "/nonexistent-never-written"])
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
            let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1 && errors[0].contains(words), "\(arguments): \(result.standardError)")
        }
        let list = try BenchBinary.run(["experiment", "list"])
        for name in ["locks", "sharing", "gil-switch"] {
            #expect(list.standardOutput.contains("\(name): ") && list.standardOutput.contains("plot/experiment-\(name).gp"))
        }
    }
}
