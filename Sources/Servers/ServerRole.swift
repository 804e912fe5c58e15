import Glibc
import Platform

/// `bench-worker server MODEL [OPTIONS]`: a server model in a process of its
/// own, started by bench (`bench experiment servers`). It prints its URL as
/// the first line on standard output, serves until its standard input
/// reaches its end (bench closed it, or died, even by SIGKILL), then stops
/// the model, killing and reaping any worker processes, and exits. It
/// ignores Ctrl-C and SIGTERM sent to bench's group: bench decides.
public enum ServerRole {
    public static let role = "server"

    /// The options, as bench passes them: every one is always given.
    static let usage = "server MODEL [--port N] [--processes N] [--threads N] [--loops N] [--cpu-us N] [--wait-ms N] [--result-bytes N] [--iteration-ps N] [--shared-counter]"

    public static func run(_ arguments: [String]) -> Int32 {
        Signals.ignore(Signals.stopSignals)
        Signals.ignoreBrokenPipes()
        let setup: ServerSetup
        let model: any ServerModel
        do {
            (model, setup) = try parse(arguments)
        } catch {
            return fail(error)
        }
        let running: any RunningServer
        do {
            // The handler (and the shared counter's page) first: the prefork models fork after this.
            running = try model.start(setup, handler: try RequestHandler(setup))
        } catch {
            return fail(error)
        }
        guard FileDescriptor.writeAll(1, "http://127.0.0.1:\(running.port)/\n") == nil else {
            running.stop()
            return 1
        }
        ParentDeath.waitForEndOfInput()
        running.stop()
        return 0
    }

    static func parse(_ arguments: [String]) throws(ServerError) -> (any ServerModel, ServerSetup) {
        var words = arguments[...]
        guard let name = words.popFirst(), let model = ServerModelRegistry.swiftModel(named: name) else {
            throw ServerError(
                "unknown server model '\(arguments.first ?? "")'", fix: "choose from \(ServerModelRegistry.swift.map(\.name).joined(separator: ", "))",
                exitCode: .usage)
        }
        var setup = ServerSetup()
        while let flag = words.popFirst() {
            if flag == "--shared-counter" {
                setup.sharedCounter = true
                continue
            }
            guard let text = words.popFirst(), let value = Int(text), value >= 0 else {
                throw ServerError("\(flag) needs a whole number of 0 or more", fix: "usage: bench-worker \(usage)", exitCode: .usage)
            }
            switch flag {
            case "--port" where value <= 65_535: setup.port = UInt16(value)
            case "--processes" where value >= 1: setup.processes = value
            case "--threads" where value >= 1: setup.threads = value
            case "--loops" where value >= 1: setup.loops = value
            case "--cpu-us": setup.cpuMicroseconds = value
            case "--wait-ms": setup.waitMilliseconds = value
            case "--result-bytes": setup.resultBytes = value
            case "--iteration-ps": setup.iterationPicoseconds = value
            default: throw ServerError("\(flag) \(text) is not an option of bench-worker server", fix: "usage: bench-worker \(usage)", exitCode: .usage)
            }
        }
        return (model, setup)
    }

    private static func fail(_ error: ServerError) -> Int32 {
        FileDescriptor.writeAll(2, "error: \(error.what) — \(error.fix)\n")
        return error.exitCode.rawValue
    }
}
