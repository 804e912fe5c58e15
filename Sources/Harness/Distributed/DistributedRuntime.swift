import Broker
import Engine
import Foundation
import Platform
import Synchronization

/// The broker of the distributed model for one invocation, and what its
/// samples saw: resolved once, before anything is measured (bench's own
/// redis-server started, or `--broker` checked, and `--remote-workers`
/// waited for), shared by every distributed cell, and stopped when the
/// invocation's models are released (the embedded server stops; remote
/// workers are told the invocation ended).
public final class DistributedRuntime: Sendable {
    public let options: DistributedOptions
    private let state = Mutex(State())

    private struct State: Sendable {
        var embedded: EmbeddedBroker?
        var external: BrokerAddress?
        var version: String?
        var restarts = 0
        var records: [DistributedSampleRecord] = []
    }

    public init(options: DistributedOptions) {
        self.options = options
    }

    deinit {
        let (embedded, external) = state.withLock { ($0.embedded, $0.external) }
        embedded?.stop()
        if let external, options.remoteWorkers != nil {
            // The seeds' workers exit when the master is done: so do remote workers, on this word.
            _ = try? RedisConnection(external).call(["XADD", BrokerKeys.announcements, "MAXLEN", "~", "1000", "*", "bye", "1"])
        }
    }

    /// The broker to use now and whether bench started it. An embedded
    /// server that died (killed during a sample) is replaced, so one lost
    /// broker fails the cells that were using it, not every cell after.
    func broker() throws -> (address: BrokerAddress, embedded: Bool) {
        try state.withLock { state in
            if let external = state.external { return (external, false) }
            if let running = state.embedded, running.isRunning { return (running.address, true) }
            if let dead = state.embedded {
                dead.stop()
                state.restarts += 1
            }
            let started = try EmbeddedBroker.start()
            state.embedded = started
            state.version = started.version
            return (started.address, true)
        }
    }

    /// Starts or checks the broker, waits for remote workers; returns the meta.json note.
    public func prepare() throws -> JSONValue {
        if let url = options.broker {
            let address = try BrokerAddress(url: url)
            try address.checkSecure()
            let connection = try RedisConnection(address)
            let version = EmbeddedBroker.version(fromInfo: try connection.call(["INFO", "server"]).text ?? "") ?? "unknown"
            // XAUTOCLAIM came with 6.2; streams' consumer groups are older.
            let parts = version.split(separator: ".").compactMap { Int($0) }
            if let major = parts.first, major < 6 || (major == 6 && (parts.count < 2 || parts[1] < 2)) {
                throw BenchError.usage("the Redis broker at \(address.endpoint) is version \(version); bench needs 6.2 or later (XAUTOCLAIM)", fix: "upgrade it, or leave out --broker to let bench start its own")
            }
            state.withLock {
                $0.external = address
                $0.version = version
            }
            if let count = options.remoteWorkers {
                try RemoteWorkers.waitForRegistration(count, at: address, connection: connection, seconds: options.registrationSeconds)
            }
        } else {
            _ = try broker()
        }
        return metadata
    }

    func record(_ sample: DistributedSampleRecord) {
        state.withLock { $0.records.append(sample) }
    }

    /// Every sample so far, warmups included, in the order they ran.
    public var records: [DistributedSampleRecord] {
        state.withLock { $0.records }
    }

    /// What meta.json records: the broker (never its password), its version,
    /// how bench got it, and what each sample saw.
    public var metadata: JSONValue {
        state.withLock { state in
            var fields: [String: JSONValue] = [
                "redelivery_timeout_s": .number(options.redeliverySeconds),
                "remote_workers": options.remoteWorkers.map { .integer($0) } ?? .null,
                "redis_version": state.version.map { .string($0) } ?? .null,
                "samples": .array(state.records.map(\.json)),
            ]
            if let embedded = state.embedded {
                fields["broker"] = .string(embedded.address.url)
                fields["embedded"] = .object([
                    "pid": .integer(Int(embedded.serverPID)), "start_s": .number(embedded.startSeconds),
                    "restarts": .integer(state.restarts),
                    "note": "redis-server started by bench on 127.0.0.1 with a random password and no persistence, once before the first sample (outside every sample's setup_s); its CPU time is in no sample",
                ])
            } else if let external = state.external {
                fields["broker"] = .string(external.url)
                fields["embedded"] = .null
            }
            return .object(fields)
        }
    }
}
