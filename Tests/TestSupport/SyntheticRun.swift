import Foundation
import Platform
import Harness

/// A run folder written by hand: for charts whose data would take a tiny test
/// run too long to measure (a hybrid grid, seed-400's bars), and for damaged files.
public struct SyntheticRun {
    public let url: URL

    /// One summary.csv row: what a chart needs, the rest derived plausibly.
    public struct Row {
        public var workload = "xor"
        public var kind = "cpu"
        public var model: String
        public var processes = 1
        public var threads: Int? = 1
        public var workers = 1
        public var tasks = 64
        public var work = "1000000"
        public var unit = "iterations"
        public var wall: Double
        public var serialWall: Double? = 1.0
        public var params = "iterations=1000000"
        /// Task latency p50 and p99, for io workloads' latency charts.
        public var taskLatency: (Double, Double)?

        public init(
            workload: String = "xor", kind: String = "cpu", model: String, processes: Int = 1, threads: Int? = 1, workers: Int = 1,
            tasks: Int = 64, work: String = "1000000", unit: String = "iterations", wall: Double, serialWall: Double? = 1.0,
            params: String = "iterations=1000000", taskLatency: (Double, Double)? = nil
        ) {
            self.workload = workload
            self.kind = kind
            self.model = model
            self.processes = processes
            self.threads = threads
            self.workers = workers
            self.tasks = tasks
            self.work = work
            self.unit = unit
            self.wall = wall
            self.serialWall = serialWall
            self.params = params
            self.taskLatency = taskLatency
        }

        public var fields: [String] {
            let speedup = serialWall.map { $0 / wall }
            func number(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "" }
            return [
                workload, kind, model, String(processes), threads.map(String.init) ?? "", String(workers), String(tasks),
                work, unit, "3", number(wall), number(wall * 0.95), number(wall * 1.1), number(wall), number(wall * 0.05),
                number(wall * 0.95), number(wall * 1.1), number(speedup), number(speedup.map { $0 * 0.9 }),
                number(speedup.map { $0 * 1.1 }), number(speedup.map { $0 / Double(workers) }),
                number(Double(tasks) / wall), number(min(Double(workers), 2)), number(wall), "0.001000",
                String(20_000 * processes), "1.0", "2.0", "0",
                number(taskLatency?.0), number(taskLatency?.1), params, "", "", "",
                String(12_000 * processes), String(8_000 * processes), number(0.001 * Double(workers)), "2", "", "", "", "",
            ]
        }
    }

    public init(in folder: URL, name: String = "synthetic") throws {
        url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    public func writeSummary(_ rows: [Row]) throws {
        let lines = [CSVFormat.line(ResultsCSV.summaryHeader)] + rows.map { CSVFormat.line($0.fields) }
        try write("summary.csv", lines.joined(separator: "\n") + "\n")
    }

    /// A meta.json as bench writes it (pretty-printed), with the fields plot.sh reads.
    public func writeMeta(runID: String = "20260101T000000Z-synthetic", host: String = "test-host", cores: Int = 2) throws {
        try write("meta.json", """
            {
              "host" : {
                "cpu_model" : "test",
                "host_name" : "\(host)",
                "kernel" : "Linux",
                "logical_cores" : \(cores)
              },
              "run_id" : "\(runID)",
              "status" : "complete"
            }

            """)
    }

    /// Serial, thread and a hybrid grid of 1, 2, 4 processes x 1, 2, 4 threads,
    /// under names that need printing literally.
    public static var hybridRows: [Row] {
        var rows = [Row(workload: "cpu_bound-x", model: "serial", wall: 1.0)]
        for workers in [1, 2, 4, 8, 16] {
            rows.append(Row(workload: "cpu_bound-x", model: "thread", threads: workers, workers: workers, wall: 1.0 / Double(min(workers, 2))))
            rows.append(Row(workload: "cpu_bound-x", model: "my_model-2", threads: workers, workers: workers, wall: 1.2 / Double(min(workers, 2))))
        }
        for processes in [1, 2, 4] {
            for threads in [1, 2, 4] {
                let workers = processes * threads
                rows.append(Row(
                    workload: "cpu_bound-x", model: "hybrid", processes: processes, threads: threads, workers: workers,
                    wall: 1.05 / Double(min(workers, 2)) + 0.01 * Double(processes)))
            }
        }
        return rows
    }

    /// experiment.csv of seed-400 with the tutorial's figures on the tty sink.
    public static let experiment = """
        sink,config,language,processes,threads,items,seed_s,measured_median_s,measured_min_s,measured_max_s,runs
        devnull,1x400,swift,1,400,100000,,0.080,0.070,0.095,5
        devnull,4x400,swift,4,400,100000,,0.150,0.140,0.170,5
        tty,1x400,swift,1,400,100000,17,0.400,0.380,0.450,5
        tty,4x400,swift,4,400,100000,39,0.700,0.650,0.800,5

        """
}
