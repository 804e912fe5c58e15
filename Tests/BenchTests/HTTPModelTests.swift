import Foundation
import Testing
@testable import Bench
@testable import Workloads

/// The `http` workload under every model: each must produce serial's
/// checksum, which must equal the analytic reference, with and without
/// keep-alive and with both async clients.
@Suite("HTTP workload under the models")
struct HTTPModelTests {
    static func parameters(_ server: HTTPServer, keepAlive: Bool, client: String) -> WorkloadParameters {
        var parameters = WorkloadParameters()
        parameters.httpLatencyMilliseconds = server.configuration.latencyMilliseconds
        parameters.httpBytes = server.configuration.bodyBytes
        parameters.keepAlive = keepAlive
        parameters.httpClient = client
        parameters.httpURL = server.url
        return parameters
    }

    static func execute(_ model: ModelName, shape: Shape, tasks: Int, parameters: WorkloadParameters) async throws -> Execution {
        let workload = try WorkloadRegistry.make("http", parameters: parameters)
        let job = Job(
            workload: workload, workloadName: "http", parameters: parameters, tasks: tasks, shape: shape,
            pool: PoolOptions(), timeoutSeconds: 60)
        let concurrencyModel = try #require(ModelRegistry.model(model))
        return try await offCooperativePool { try concurrencyModel.execute(job) }
    }

    static let shapes: [(ModelName, Shape)] = [
        (.thread, .threads(1)), (.thread, .threads(5)), (.thread, .threads(40)),
        (.async, .inFlight(1)), (.async, .inFlight(5)), (.async, .inFlight(40)),
        // Worker processes rebuild the workload from its parameters, server URL included.
        (.processPool, .processes(3, threadsEach: 1)), (.hybrid, .processes(2, threadsEach: 5)),
    ]

    @Test(arguments: [false, true])
    func everyModelMatchesSerialAndTheReference(keepAlive: Bool) async throws {
        useBuiltBenchForWorkers()
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 2, bodyBytes: 700))
        defer { server.stop() }
        let tasks = 37
        let serialParameters = Self.parameters(server, keepAlive: keepAlive, client: "native")
        let serial = try await Self.execute(.serial, shape: .serial, tasks: tasks, parameters: serialParameters)
        #expect(serial.checksum.taskCount == tasks)

        let workload = try HTTPWorkload(parameters: serialParameters)
        let cell = Cell(
            index: 0, workload: "http", kind: .io, work: workload.work, parameters: serialParameters, model: .serial,
            shape: .serial, tasks: tasks)
        #expect(try ReferenceChecksums().checksum(for: cell, workload: workload) == serial.checksum)

        for client in ["native", "urlsession"] {
            let parameters = Self.parameters(server, keepAlive: keepAlive, client: client)
            for (model, shape) in Self.shapes where client == "native" || model == .async {
                let execution = try await Self.execute(model, shape: shape, tasks: tasks, parameters: parameters)
                #expect(execution.checksum == serial.checksum, "\(model) \(shape) \(client) keep-alive \(keepAlive)")
            }
        }
    }

    @Test func keepAliveUsesOneConnectionPerThread() async throws {
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 1, bodyBytes: 10))
        defer { server.stop() }
        _ = try await Self.execute(.thread, shape: .threads(4), tasks: 40, parameters: Self.parameters(server, keepAlive: true, client: "native"))
        #expect(server.connectionsAccepted == 4)
        _ = try await Self.execute(.thread, shape: .threads(4), tasks: 40, parameters: Self.parameters(server, keepAlive: false, client: "native"))
        #expect(server.connectionsAccepted == 4 + 40)
    }

    @Test func aThousandBlockingClientsOnAThousandThreadsAreAllServed() async throws {
        let server = try HTTPServer(HTTPServer.Configuration(latencyMilliseconds: 200, bodyBytes: 128))
        defer { server.stop() }
        let parameters = Self.parameters(server, keepAlive: false, client: "native")
        let threads = try await Self.execute(.thread, shape: .threads(1_000), tasks: 1_000, parameters: parameters)
        let async = try await Self.execute(.async, shape: .inFlight(1_000), tasks: 1_000, parameters: parameters)
        let workload = try HTTPWorkload(parameters: parameters)
        var expected = Checksum()
        for task in 0..<1_000 { expected.add(task: task, result: workload.expectedResult(task: task)!) }
        #expect(threads.checksum == expected)
        #expect(async.checksum == expected)
        #expect(server.responsesWritten == 2_000)
        // All requests wait together: far below 1,000 x 200 ms (no tight bound on a shared machine).
        #expect(threads.wallSeconds < 20)
        #expect(async.wallSeconds < 20)
    }

    @Test func aFailedRequestFailsTheModelWithTheReason() async throws {
        var parameters = WorkloadParameters()
        let url = "http://127.0.0.1:\(RawSocket.unusedPort())/"
        parameters.httpURL = url
        for (model, shape) in [(ModelName.serial, Shape.serial), (.thread, .threads(4)), (.async, .inFlight(4))] {
            await #expect("\(model)") {
                _ = try await Self.execute(model, shape: shape, tasks: 8, parameters: parameters)
            } throws: { error in
                "\(error)".hasPrefix("8 of 8 requests failed; the first: cannot connect to \(url): Connection refused — ")
            }
        }
    }

    @Test func theRunnersServerChildStartsAnswersAndStops() throws {
        // The test process is the test bundle: the child must be the bench binary built beside it.
        WorkerExecutable.override = BenchBinary.url.path
        let server = try LocalServer(latencyMilliseconds: 0, bodyBytes: 33)
        var parameters = WorkloadParameters()
        parameters.httpBytes = 33
        parameters.httpURL = server.url
        let workload = try HTTPWorkload(parameters: parameters)
        #expect(try workload.run(task: 4) == workload.expectedResult(task: 4))
        let port = try HTTPEndpoint(url: server.url).port
        server.stop()
        #expect(throws: RawSocketError.self) { try RawSocket(port: port) }
    }
}
