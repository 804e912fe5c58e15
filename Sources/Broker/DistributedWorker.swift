import Glibc
import Platform
import Workloads

/// `bench-worker --broker URL`: a worker of the distributed model, the
/// seeds' worker that takes tasks from the master's queue and puts results
/// on another, with Redis streams as the queues.
///
///     bench-worker --broker redis://HOST:PORT                      on another host: serves samples
///                                                                   until the bench invocation ends
///     bench-worker --broker redis://HOST:PORT --sample ID --index N spawned by bench for one sample
///
/// The password comes from `BENCH_REDIS_PASSWORD` (or the URL), never from
/// bench's command line. A worker runs the same workload code as every
/// other model (`WorkloadRegistry`), one task at a time on one thread.
public enum DistributedWorker {
    public static let flag = "--broker"

    public static func main(_ arguments: [String]) -> Int32 {
        Signals.ignoreBrokenPipes()
        var url: String?
        var sample: String?
        var index = 0
        var words = arguments[...]
        while let word = words.popFirst() {
            switch word {
            case flag: url = words.popFirst()
            case "--sample": sample = words.popFirst()
            case "--index": index = words.popFirst().flatMap(Int.init) ?? -1
            case "--help", "-h":
                FileDescriptor.writeAll(1, help)
                return 0
            default:
                return usage("unknown argument '\(word)'")
            }
        }
        guard let url, index >= 0, sample.map({ !$0.isEmpty }) ?? true else {
            return usage("bench-worker --broker needs a URL, e.g. --broker redis://HOST:6379")
        }
        let address: BrokerAddress
        do {
            address = try BrokerAddress(url: url)
            try address.checkSecure()
        } catch {
            return fail(error)
        }
        if let sample {
            // Spawned by bench for one sample: bench decides when it stops (Ctrl-C reaches the
            // whole process group), and it ends with bench (standard input is bench's lifeline).
            Signals.ignore(Signals.stopSignals)
            do {
                try ParentDeath.watch(0)
                let connection = try RedisConnection(address)
                let identity = WorkerIdentity()
                let heartbeat = try WorkerHeartbeat(address: address, worker: identity.id)
                guard let setup = try SampleSetup.read(BrokerKeys(sample: sample), from: connection) else {
                    return fail(WorkloadError(
                        "sample \(sample) is not on the broker at \(address.endpoint): it has ended, or bench did not start it",
                        fix: "--sample is for the workers bench spawns; to serve samples from another host, leave it out", exitCode: .usage))
                }
                let worker = SampleWorker(
                    connection: connection, keys: BrokerKeys(sample: sample), setup: setup, identity: identity,
                    heartbeat: heartbeat, usageSinceBirth: true)
                return try worker.run() ? 0 : 1
            } catch {
                return fail(error)
            }
        }
        return serve(address)
    }

    /// A remote worker: registers, then runs each announced sample it gets a
    /// place in, until the bench invocation says goodbye or the broker goes.
    static func serve(_ address: BrokerAddress) -> Int32 {
        do {
            let connection = try RedisConnection(address)
            let identity = WorkerIdentity()
            let heartbeat = try WorkerHeartbeat(address: address, worker: identity.id)
            // Samples announced from now on: the newest entry so far is where reading starts.
            let newest = try connection.call(["XREVRANGE", BrokerKeys.announcements, "+", "-", "COUNT", "1"])
            var last = newest.elements?.first.flatMap(StreamEntry.init)?.id ?? "0-0"
            try connection.call(["HSET", BrokerKeys.registry, identity.id, "\(identity.host) \(identity.pid)"])
            defer { _ = try? connection.pipeline([["HDEL", BrokerKeys.registry, identity.id], ["DEL", BrokerKeys.alive(identity.id)]]) }
            note("connected to \(address) as \(identity.id); waiting for samples (Ctrl-C to stop)")
            var served = 0
            while true {
                let reply = try connection.call(["XREAD", "BLOCK", "1000", "STREAMS", BrokerKeys.announcements, last], blockMilliseconds: 1000)
                for entry in StreamEntry.byStream(reply)[BrokerKeys.announcements] ?? [] {
                    last = entry.id
                    if entry.fields["bye"] != nil {
                        heartbeat.stop()
                        note("the bench invocation ended after \(served) samples; worker exit.")
                        return 0
                    }
                    guard let sample = entry.fields["sample"] else { continue }
                    let keys = BrokerKeys(sample: sample)
                    guard let place = try connection.call(["INCR", keys.slots]).integer,
                          let setup = try SampleSetup.read(keys, from: connection), place <= setup.slots else { continue }
                    let worker = SampleWorker(
                        connection: connection, keys: keys, setup: setup, identity: identity, heartbeat: heartbeat,
                        usageSinceBirth: false)
                    if try worker.run() { served += 1 }
                }
            }
        } catch {
            return fail(error)
        }
    }

    static let help = """
        usage: bench-worker --broker redis://HOST:PORT

        A worker of bench's distributed model. Start one on each host that should take tasks, with
        the broker's password in BENCH_REDIS_PASSWORD (never on the command line), then run bench
        with --model distributed --broker redis://HOST:PORT --remote-workers. The worker serves the
        samples of that bench invocation and exits when it ends.

        """

    private static func note(_ text: String) {
        FileDescriptor.writeAll(2, "bench-worker: \(text)\n")
    }

    private static func fail(_ error: any Error) -> Int32 {
        FileDescriptor.writeAll(2, "error: bench-worker: \(oneLine(error))\n")
        return (error as? any ReportableError)?.exitCode.rawValue ?? ExitCode.runFailed.rawValue
    }

    private static func usage(_ message: String) -> Int32 {
        FileDescriptor.writeAll(2, "error: \(message) — usage: bench-worker --broker redis://HOST:PORT (see bench-worker --help)\n")
        return ExitCode.usage.rawValue
    }
}

/// Who a worker is, for the consumer group and meta.json: host name and pid.
struct WorkerIdentity {
    let host: String
    let pid: Int32

    init() {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        pid = getpid()
    }

    /// The consumer name: unique across hosts.
    var id: String { "\(host):\(pid)" }
}

extension SampleSetup {
    /// The setup of sample `keys`, or nil when the sample is gone.
    static func read(_ keys: BrokerKeys, from connection: RedisConnection) throws(BrokerError) -> SampleSetup? {
        SampleSetup(fields: StreamEntry.dictionary(try connection.call(["HGETALL", keys.setup]).elements ?? []))
    }
}
