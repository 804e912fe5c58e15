import Foundation
import Testing
@testable import Engine
@testable import LocalHTTP
import Platform
import TestSupport
@testable import Workloads

/// The `http` workload under every model: each must produce serial's
/// checksum, which must equal the analytic reference, with and without
/// keep-alive and with both async clients.
@Suite("HTTP workload under the models")
struct HTTPModelTests {
    static func parameters(_ server: HTTPServer, keepAlive: Bool, client: String) throws -> ParameterValues {
        try TestRun.values("http", [
            "http-latency-ms": .number(server.configuration.latencyMilliseconds), "http-bytes": .number(server.configuration.bodyBytes),
            "keep-alive": .flag(keepAlive), "http-client": .text(client), "http-url": .text(server.url),
        ])
    }

    static func execute(_ model: String, shape: Shape, tasks: Int, parameters: ParameterValues) async throws -> Execution {
        try await TestRun.execute(model, workload: "http", values: parameters, tasks: tasks, shape: shape)
    }

    static let shapes: [(String, Shape)] = [
        ("thread", .threads(1)), ("thread", .threads(5)), ("thread", .threads(40)),
        ("async", .inFlight(1)), ("async", .inFlight(5)), ("async", .inFlight(40)),
        // Worker processes rebuild the workload from its parameters, server URL included.
        ("process-pool", .processes(3, threadsEach: 1)), ("hybrid", .processes(2, threadsEach: 5)),
        ("process-async", .processes(2, inFlightEach: 5)),
    ]

    @Test(arguments: [false, true])
    func everyModelMatchesSerialAndTheReference(keepAlive: Bool) async throws {
        useBuiltBenchForWorkers()
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 2, bodyBytes: 700))
        defer { server.stop() }
        let tasks = 37
        let serialParameters = try Self.parameters(server, keepAlive: keepAlive, client: "native")
        let serial = try await Self.execute("serial", shape: .serial, tasks: tasks, parameters: serialParameters)
        #expect(serial.checksum.taskCount == tasks)

        let workload = try #require(try WorkloadRegistry.declaration(named: "http")?.make(serialParameters))
        var reference = Checksum()
        for task in 0..<tasks { reference.add(task: task, result: try #require(workload.expectedResult(task: task))) }
        #expect(reference == serial.checksum)

        for client in ["native", "urlsession"] {
            let parameters = try Self.parameters(server, keepAlive: keepAlive, client: client)
            for (model, shape) in Self.shapes where client == "native" || model == "async" {
                let execution = try await Self.execute(model, shape: shape, tasks: tasks, parameters: parameters)
                #expect(execution.checksum == serial.checksum, "\(model) \(shape) \(client) keep-alive \(keepAlive)")
            }
        }
    }

    @Test func keepAliveUsesOneConnectionPerThread() async throws {
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 1, bodyBytes: 10))
        defer { server.stop() }
        // Each sample's fixture makes one request of its own first: the check that the server answers.
        _ = try await Self.execute("thread", shape: .threads(4), tasks: 40, parameters: try Self.parameters(server, keepAlive: true, client: "native"))
        #expect(server.connectionsAccepted == 1 + 4)
        _ = try await Self.execute("thread", shape: .threads(4), tasks: 40, parameters: try Self.parameters(server, keepAlive: false, client: "native"))
        #expect(server.connectionsAccepted == 1 + 4 + 1 + 40)
    }

    @Test func aThousandBlockingClientsOnAThousandThreadsAreAllServed() async throws {
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 200, bodyBytes: 128))
        defer { server.stop() }
        let parameters = try Self.parameters(server, keepAlive: false, client: "native")
        let threads = try await Self.execute("thread", shape: .threads(1_000), tasks: 1_000, parameters: parameters)
        let async = try await Self.execute("async", shape: .inFlight(1_000), tasks: 1_000, parameters: parameters)
        let workload = try #require(try WorkloadRegistry.declaration(named: "http")?.make(parameters))
        var expected = Checksum()
        for task in 0..<1_000 { expected.add(task: task, result: workload.expectedResult(task: task)!) }
        #expect(threads.checksum == expected)
        #expect(async.checksum == expected)
        #expect(server.responsesWritten == 2_000 + 2, "and one check request per sample's fixture")
        // The requests wait together: one at a time would take 1,000 x 200 ms = 200 s. The bound is
        // loose on purpose: alone this takes about 1 s, but beside the full suite on 2 cores async took
        // 20.4 s once (1,000 connections opened and closed), and speed is the benchmarks' business.
        #expect(threads.wallSeconds < 100)
        #expect(async.wallSeconds < 100)
    }

    @Test func aFailedRequestFailsTheModelWithTheReason() async throws {
        let url = "http://127.0.0.1:\(RawSocket.unusedPort())/"
        let parameters = try TestRun.values("http", ["http-url": .text(url)])
        let workload = try #require(try WorkloadRegistry.declaration(named: "http")?.make(parameters))
        for (model, shape) in [("serial", Shape.serial), ("thread", .threads(4)), ("async", .inFlight(4))] {
            let job = Job(workload: workload, workloadName: "http", parameters: parameters, tasks: 8, shape: shape, timeoutSeconds: 60)
            let concurrencyModel = try #require(ModelRegistry.model(named: model))
            await #expect("\(model)") {
                _ = try await offCooperativePool { try concurrencyModel.execute(job) }
            } throws: { error in
                (error as? WorkloadError)?.what.hasPrefix("8 of 8 requests failed; the first: cannot connect to \(url): Connection refused") == true
            }
        }
    }

    @Test func theFixturesServerChildStartsAnswersAndStops() throws {
        useBuiltBenchForWorkers()
        let declaration = try #require(WorkloadRegistry.declaration(named: "http"))
        let values = try TestRun.values("http", ["http-latency-ms": .number(0), "http-bytes": .number(33)])
        let fixture = try #require(try declaration.fixture?.start(values))
        let resolved = fixture.resolve(values)
        #expect(fixture.note?.hasPrefix("started by bench at http://127.0.0.1:") == true)
        let workload = try declaration.make(resolved)
        #expect(try workload.run(task: 4) == workload.expectedResult(task: 4))
        let port = try HTTPEndpoint(url: resolved.text("http-url")).port
        fixture.stop()
        #expect(throws: RawSocketError.self) { try RawSocket(port: port) }
    }
}
