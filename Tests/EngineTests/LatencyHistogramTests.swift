import Testing
@testable import Engine
import Platform
import TestSupport
import Workloads

/// The per-task timing: log buckets, percentiles, merging, and the trip
/// from a worker process to its parent.
@Suite("Task latency")
struct LatencyHistogramTests {
    @Test func everyValueLandsInABucketWhoseBoundsHoldIt() {
        for value: UInt64 in [0, 1, 15, 16, 17, 31, 32, 1_000, 999_999, 1_000_000, 10_000_000, 123_456_789, 1 << 39] {
            let bucket = LatencyHistogram.bucket(value)
            #expect(LatencyHistogram.lowerBound(bucket) <= value, "\(value)")
            #expect(LatencyHistogram.lowerBound(bucket + 1) > value, "\(value)")
            // Buckets are at most 1/16 of their value wide: ~6% resolution.
            let width = Double(LatencyHistogram.lowerBound(bucket + 1) - LatencyHistogram.lowerBound(bucket))
            #expect(value < 16 || width <= Double(value) / 16 + 1, "\(value)")
        }
    }

    @Test func percentilesAreWithinABucketOfTheTruth() throws {
        var histogram = LatencyHistogram()
        for microseconds in 1...1_000 { histogram.record(nanoseconds: UInt64(microseconds) * 1_000) }
        let p50 = try #require(histogram.percentile(0.5))
        let p99 = try #require(histogram.percentile(0.99))
        #expect(abs(p50 - 500e-6) / 500e-6 < 0.07, "\(p50)")
        #expect(abs(p99 - 990e-6) / 990e-6 < 0.07, "\(p99)")
        #expect(LatencyHistogram().percentile(0.5) == nil, "an empty histogram has no percentile, never 0")
    }

    @Test func histogramsOfSeveralThreadsMergeIntoTheWhole() {
        var whole = TaskTimes()
        var parts = [TaskTimes(), TaskTimes(), TaskTimes()]
        for task in 0..<300 {
            let start = UInt64(task) * 1_000
            whole.record(origin: 0, start: start, end: start + UInt64(task % 7) * 100_000)
            parts[task % 3].record(origin: 0, start: start, end: start + UInt64(task % 7) * 100_000)
        }
        var merged = TaskTimes()
        parts.forEach { merged.merge($0) }
        #expect(merged == whole)
        #expect(merged.latency.total == 300 && merged.queueDelay.total == 300)
    }

    @Test func taskTimesCrossThePipeIntact() throws {
        var times = TaskTimes()
        for task in 0..<50 { times.record(origin: 10, start: 10 + UInt64(task) * 7_000, end: 10 + UInt64(task) * 9_000 + 5) }
        let bytes = WorkerMessage.times(times).encoded
        var decoder = FrameDecoder<WorkerMessage>()
        decoder.append(bytes)
        #expect(try decoder.next() == .times(times))
    }

    @Test(arguments: ["serial", "thread", "process-pool", "hybrid", "async", "process-async"])
    func everyModelTimesEveryTaskWhenAsked(model: String) async throws {
        let concurrencyModel = try #require(ModelRegistry.model(named: model))
        let declaration = try #require(WorkloadRegistry.declaration(named: "sleep"))
        let values = try TestRun.values("sleep", ["sleep-ms": .number(5)])
        useBuiltBenchForWorkers()
        for shape in concurrencyModel.shapes(workers: [2], processes: [2]) {
            let job = Job(
                workload: try declaration.make(values), workloadName: "sleep", parameters: values, tasks: 8, shape: shape,
                timeoutSeconds: 60, timesTasks: true)
            let execution = try await offCooperativePool { try concurrencyModel.execute(job) }
            let latency = try #require(execution.taskLatency, "\(model) \(shape)")
            let queue = try #require(execution.queueDelay, "\(model) \(shape)")
            // A 5 ms sleep takes at least 5 ms, and no task outlasts its sample (the bound is the
            // sample's wall, not a fixed time: async tasks share the test runner's busy threads).
            #expect(latency.p50 >= 0.0047 && latency.p99 <= execution.wallSeconds, "\(model): \(latency), wall \(execution.wallSeconds)")
            #expect(latency.p99 >= latency.p50)
            #expect(queue.p99 >= queue.p50 && queue.p99 > 0.004, "\(model): \(queue)")
            let untimed = Job(
                workload: try declaration.make(values), workloadName: "sleep", parameters: values, tasks: 8, shape: shape,
                timeoutSeconds: 60, timesTasks: false)
            let plain = try await offCooperativePool { try concurrencyModel.execute(untimed) }
            #expect(plain.taskLatency == nil && plain.queueDelay == nil)
        }
    }
}
