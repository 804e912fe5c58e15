import Foundation
import Harness
import LocalHTTP
import Platform
import Servers
import Workloads

/// The measurements of `bench experiment servers`, each one server started,
/// loaded and stopped (reaped, its workers with it) before the next.
struct ServersMeasurements {
    let plan: ServersPlan

    /// Saturation (wrk, `runs` times) and then the open-loop latency at each
    /// load level, relative to that model's own median saturation.
    func load(_ model: String, _ handler: ServersPlan.Handler) throws -> [ProbeSample] {
        let language = plan.language(model)
        let server = try ServerUnderTest(model, setup: plan.setup(handler), python: plan.python)
        defer { server.stop() }
        let key = ProbeKey(language, model, variant: handler.name)
        var samples: [ProbeSample] = []
        var rates: [Double] = []
        for _ in 0..<plan.runs {
            let run = try WrkRun.run(
                wrk: plan.wrk, port: server.port, path: "/task/1", connections: plan.wrkConnections, threads: 2, seconds: plan.wrkSeconds)
            // Measured right after the load, while its threads, buffers and connections are still there.
            let pss = server.pssMebibytes
            rates.append(run.requestsPerSecond)
            var values = ["wrk_rps": run.requestsPerSecond, "wrk_errors": Double(run.errors), "pss_mib": pss]
            if pss > 0 { values["rps_per_mib"] = run.requestsPerSecond / pss }
            if let p99 = run.p99Seconds { values["wrk_p99_ms"] = p99 * 1000 }
            samples.append(ProbeSample(key, values))
        }
        let saturation = Statistics.median(rates) ?? 0
        let levels: [(size: Int, unit: String, rate: Double)] = plan.rates.isEmpty
            ? plan.loads.map { ($0, "%", saturation * Double($0) / 100) }
            : plan.rates.map { ($0, "req/s", Double($0)) }
        for level in levels where level.rate > 0 {
            let offered = min(level.rate, OpenLoopGenerator.maximumRate)
            // A short warm-up at the same rate, not recorded: connections opened, threads started, caches filled.
            _ = try openLoop(port: server.port, rate: offered, resultBytes: plan.setup(handler).resultBytes, seconds: min(0.2, plan.loadSeconds / 3))
            let outcome = try openLoop(port: server.port, rate: offered, resultBytes: plan.setup(handler).resultBytes)
            var values = [
                "offered_rps": offered, "achieved_rps": outcome.achievedRate, "errors": Double(outcome.errors),
                "send_lag_p99_ms": outcome.sendLagP99 * 1000,
                // 0 when the generator could not keep the schedule, or the level asked for more than it may send: not a measurement of the server.
                "kept_schedule": outcome.keptSchedule && offered == level.rate ? 1 : 0,
            ]
            for (metric, p) in [("p50_ms", 0.5), ("p99_ms", 0.99), ("p999_ms", 0.999)] {
                if let latency = outcome.latency(p) { values[metric] = latency * 1000 }
            }
            samples.append(ProbeSample(ProbeKey(language, model, variant: handler.name, size: level.size, sizeUnit: level.unit), values))
        }
        return samples
    }

    /// The open-loop generator at `rate` for `--load-seconds`, each body checked against its task's known bytes.
    func openLoop(port: UInt16, rate: Double, resultBytes: Int, seconds: Double? = nil) throws -> OpenLoopGenerator.Outcome {
        let expected = Self.expectedDigests(resultBytes: resultBytes)
        let plan = OpenLoopGenerator.Plan(
            port: port, rate: rate, seconds: seconds ?? self.plan.loadSeconds, connections: 2_000, timeoutSeconds: 10,
            path: { "/task/\($0 % ServersPlan.taskCycle)" },
            verify: { index, response in
                response.status == 200 && response.bodyBytes == resultBytes && response.digest == expected[index % ServersPlan.taskCycle]
            })
        return try OpenLoopGenerator(plan).run()
    }

    /// The `BodyDigest` of each cycled task's answer, computed without a server.
    static func expectedDigests(resultBytes: Int) -> [UInt64] {
        guard let profile = try? ProfileWorkload(cpuMicroseconds: 0, waitMilliseconds: 0, memoryKibibytes: 0, resultBytes: resultBytes) else { return [] }
        return (0..<ServersPlan.taskCycle).map { task in
            var digest = BodyDigest()
            profile.finish(computed: profile.compute(task: task)).withUnsafeBytes { digest.update($0) }
            return digest.value
        }
    }

    /// How many idle keep-alive connections the model holds, and its memory with them.
    func capacity(_ model: String) throws -> [ProbeSample] {
        let server = try ServerUnderTest(model, setup: plan.setup(nil), python: plan.python)
        defer { server.stop() }
        let key = ProbeKey(plan.language(model), model, variant: "idle", size: plan.idleConnections, sizeUnit: "connections")
        let idle = server.pssMebibytes
        var samples: [ProbeSample] = []
        for _ in 0..<plan.runs {
            let connections = try IdleConnections(count: plan.idleConnections, port: server.port, path: "/task/0", seconds: 30)
            // A moment for the server to settle what it allocates per connection (threads start, buffers grow).
            usleep(200_000)
            let loaded = server.pssMebibytes
            let held = connections.held.count
            connections.release()
            var values = ["held": Double(held), "pss_idle_mib": idle, "pss_held_mib": loaded]
            if loaded > 0 { values["held_per_mib"] = Double(held) / loaded }
            if held > 0 { values["kib_per_connection"] = max(0, loaded - idle) * 1024 / Double(held) }
            samples.append(ProbeSample(key, values))
            usleep(300_000) // the server closes what was released before the next run
        }
        return samples
    }

    /// The seed's pitfall: `--count-requests` requests to `/count`, each on a
    /// new connection (so prefork's workers share them by the accept race),
    /// with the process-local counter and with the shared one; and, for the
    /// prefork models, what the shared counter costs in req/s under wrk.
    func counter(_ model: String) throws -> [ProbeSample] {
        let language = plan.language(model)
        var samples: [ProbeSample] = []
        for shared in [false, true] {
            let key = ProbeKey(language, model, variant: shared ? "count-shared" : "count-local", size: plan.countRequests, sizeUnit: "requests")
            for _ in 0..<plan.runs {
                // A fresh server per sample: every count starts at 0.
                let server = try ServerUnderTest(model, setup: plan.setup(nil, sharedCounter: shared), python: plan.python)
                defer { server.stop() }
                var last: [Int: Int] = [:]
                for _ in 0..<plan.countRequests {
                    let connection = try BlockingHTTPConnection(endpoint: HTTPEndpoint(port: server.port), timeoutSeconds: 10)
                    let response = try connection.get(path: "/count", keepAlive: false, timeoutSeconds: 10)
                    let words = String(decoding: response.body ?? [], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
                    guard response.status == 200, words.count == 4, let pid = Int(words[1]), let count = Int(words[3]) else {
                        throw BenchError.runFailed("\(model) answered /count with something else than 'pid N count N'", fix: "run it by hand and look")
                    }
                    last[pid] = max(last[pid] ?? 0, count)
                }
                let n = Double(plan.countRequests)
                var values = ["processes_seen": Double(last.count), "largest_fraction": Double(last.values.max() ?? 0) / n]
                // Each process's last count is its own total; with the local counter they add up to all requests.
                if !shared { values["sum_fraction"] = Double(last.values.reduce(0, +)) / n }
                if model == "prefork" {
                    values["increment_ns"] = Self.incrementNanoseconds(shared: shared)
                }
                if model == "prefork" || model == "python-prefork" {
                    let run = try WrkRun.run(wrk: plan.wrk, port: server.port, path: "/count", connections: plan.wrkConnections, threads: 2, seconds: plan.wrkSeconds)
                    values["count_rps"] = run.requestsPerSecond
                }
                samples.append(ProbeSample(key, values))
            }
        }
        return samples
    }

    /// What one increment of the counter costs in this process, in ns (the
    /// fastest of 5 runs of a million): the shared page's atomic beside a global's.
    static func incrementNanoseconds(shared: Bool) -> Double {
        let counter = RequestCounter(shared: shared)
        var fastest = Double.infinity
        for _ in 0..<5 {
            let start = MonotonicClock.now()
            for _ in 0..<1_000_000 { _ = counter.increment() }
            fastest = min(fastest, Double(MonotonicClock.now() - start) / 1e6)
        }
        precondition(counter.value == 5_000_000, "the counter lost increments")
        return fastest
    }

    /// The two generators against the same 0-work server (epoll, 64-byte
    /// answers): wrk's saturation, and what the open-loop generator achieves
    /// when offered the most it may send: their ceilings on this machine.
    func generators() throws -> [ProbeSample] {
        let server = try ServerUnderTest("epoll", setup: plan.setup(nil), python: nil)
        defer { server.stop() }
        var samples: [ProbeSample] = []
        for _ in 0..<plan.runs {
            let run = try WrkRun.run(wrk: plan.wrk, port: server.port, path: "/task/1", connections: plan.wrkConnections, threads: 2, seconds: plan.wrkSeconds)
            samples.append(ProbeSample(ProbeKey("swift", "wrk", variant: "ceiling"), ["achieved_rps": run.requestsPerSecond]))
            let offered = OpenLoopGenerator.maximumRate
            let outcome = try openLoop(port: server.port, rate: offered, resultBytes: 64)
            samples.append(ProbeSample(ProbeKey("swift", "open-loop", variant: "ceiling"), [
                "offered_rps": offered, "achieved_rps": outcome.achievedRate, "send_lag_p99_ms": outcome.sendLagP99 * 1000,
                "kept_schedule": outcome.keptSchedule ? 1 : 0, "errors": Double(outcome.errors),
            ]))
        }
        return samples
    }
}
