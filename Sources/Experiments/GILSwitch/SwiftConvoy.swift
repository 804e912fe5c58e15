import Engine
import Harness
import Platform
import Synchronization
import Workloads

/// The no-GIL reference of the gil-switch experiment: Swift IO threads
/// (a blocking 1 ms sleep, or a request to bench's server) alone or beside
/// one CPU-bound thread, timed as python/seed_gil_switch.py times CPython's.
enum SwiftConvoy {
    /// Iterations of the CPU thread's loop between two looks at its stop flag.
    static let checkEvery = 10_000

    /// One sample: the IO latencies' p50 and p99, IOs per second, and the CPU thread's iterations per second.
    static func measure(withCPU: Bool, http: HTTPWorkload?, ioThreads: Int, milliseconds: Int) throws -> [String: Double] {
        let stop = Atomic<Bool>(false)
        let iterations = Atomic<Int>(0)
        // The chain's last value: kept, so that the optimizer keeps the chain.
        let sink = Atomic<Int>(0)
        let cpu = withCPU ? try NativeThread.start(name: "cpu-bound") {
            var x = 0
            var done = 0
            while !stop.load(ordering: .relaxed) {
                // A serial chain (NOTES: x ^= 1 alone is vectorised or folded).
                for i in 0..<checkEvery { x = (x ^ i) &+ 1 }
                done += checkEvery
            }
            iterations.store(done, ordering: .relaxed)
            sink.store(x, ordering: .relaxed)
        } : nil
        func stopCPU() {
            stop.store(true, ordering: .relaxed)
            cpu?.join()
        }
        // The CPU thread is running before the IO threads start their clocks.
        if withCPU { BlockingSleep.milliseconds(20) }
        let latencies = Mutex<[Double]>([])
        let failure = Mutex<String?>(nil)
        let span: ThreadParties.Span
        do {
            span = try ThreadParties.run(ioThreads, name: "io-thread") { index in
                var mine: [Double] = []
                var task = index * 1_000_000
                let end = MonotonicClock.now() + UInt64(milliseconds) * 1_000_000
                repeat {
                    let began = MonotonicClock.now()
                    if let http {
                        do {
                            guard try http.run(task: task) == http.expectedResult(task: task) else {
                                failure.withLock { $0 = "GET /task/\(task) came back with another body" }
                                return
                            }
                        } catch {
                            failure.withLock { $0 = "GET /task/\(task) failed: \(error)" }
                            return
                        }
                    } else {
                        BlockingSleep.milliseconds(1)
                    }
                    mine.append(MonotonicClock.seconds(since: began))
                    task += 1
                } while MonotonicClock.now() < end
                latencies.withLock { $0 += mine }
            }
        } catch {
            stopCPU()
            throw error
        }
        stopCPU()
        let elapsed = span.seconds
        if let message = failure.withLock({ $0 }) {
            throw BenchError.runFailed(message, fix: "check that bench's server is up (bench serve)")
        }
        let every = latencies.withLock { $0 }.sorted()
        guard !every.isEmpty else {
            throw BenchError.runFailed("no IO finished within --duration-ms \(milliseconds)", fix: "raise --duration-ms")
        }
        return [
            "io_p50_us": Statistics.quantile(every, 0.5) * 1e6, "io_p99_us": Statistics.quantile(every, 0.99) * 1e6,
            "io_per_s": Double(every.count) / elapsed,
            "cpu_iterations_per_s": Double(iterations.load(ordering: .relaxed)) / elapsed,
        ]
    }
}
