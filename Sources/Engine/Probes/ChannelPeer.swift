import Glibc
import Platform
import Workloads

/// `bench-worker channel-peer`: the far party of the channels and hand-off
/// experiments' process probes, on a pipe pair (messages in on fd 3, out on
/// fd 4) or on one end of a Unix socket pair (fd 3, `--socket`).
///
///     --mode echo     sends every message back as it came (round trips)
///     --mode sink     takes messages (one-way), `--count` of them or until end of file
///     --mode source   waits for a byte on fd 3, then writes `--count` messages
///                     numbered from `--first` on fd 4 (several writers, one pipe)
///
/// echo and sink write one byte when they are ready (a sink another once
/// its `--warmup` messages are in) and, when done, a `PeerReport` (checksum
/// of the messages after the first `--warmup`, and the CPU time since then).
/// A malformed message ends it with status 2 and a line on standard error.
/// It ignores SIGINT and SIGTERM and ends when its input ends, which happens
/// however bench ends.
public enum ChannelPeer {
    public static let role = "channel-peer"

    /// What the peer does with messages: sends each back, reads them, or writes them.
    public enum Mode: String, Sendable {
        case echo, sink, source
    }

    /// The command line that starts one (after the executable).
    public static func arguments(mode: Mode, size: Int, count: Int = 0, warmup: Int = 0, first: Int = 0, socket: Bool = false) -> [String] {
        [role, "--mode", mode.rawValue, "--size", String(size), "--count", String(count), "--warmup", String(warmup), "--first", String(first)]
            + (socket ? ["--socket"] : [])
    }

    public static func run(_ arguments: [String]) -> Int32 {
        Signals.ignore(Signals.stopSignals)
        Signals.ignoreBrokenPipes()
        ParentDeath.killWithParent()
        let parsed: PeerArguments
        switch PeerArguments.parse(arguments, numbers: ["size": 0, "count": 0, "warmup": 0, "first": 0], switches: ["socket"]) {
        case let .success(arguments): parsed = arguments
        case let .failure(error): return usage(error.message)
        }
        guard let mode = parsed.mode.flatMap(Mode.init(rawValue:)), parsed["size"] >= ProbeMessage.minimumSize else {
            return usage("needs --mode echo|sink|source and --size of at least \(ProbeMessage.minimumSize)")
        }
        let numbers = parsed.numbers
        let socket = parsed.switches.contains("socket")
        let input: Int32 = 3
        let output: Int32 = socket ? 3 : 4
        switch mode {
        case .source:
            return source(size: numbers["size"]!, count: numbers["count"]!, first: numbers["first"]!)
        case .echo, .sink:
            return serve(
                echo: mode == .echo, input: input, output: output, size: numbers["size"]!, count: numbers["count"]!,
                warmup: numbers["warmup"]!)
        }
    }

    private static func serve(echo: Bool, input: Int32, output: Int32, size: Int, count: Int, warmup: Int) -> Int32 {
        guard FileDescriptor.writeAll(output, [1]) == nil else { return ParentDeath.parentGoneStatus }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var checksum = Checksum()
        var received = 0
        var start = ResourceUsage.currentProcess()
        while count == 0 || received < warmup + count {
            guard ProbeMessage.readExactly(input, into: buffer) else { break }
            guard let sequence = ProbeMessage.sequence(of: UnsafeRawBufferPointer(buffer), size: size) else {
                FileDescriptor.writeAll(2, "bench-worker channel-peer: message \(received + 1) is not a well-formed \(size)-byte message\n")
                return 2
            }
            if echo, FileDescriptor.writeAll(output, UnsafeRawBufferPointer(buffer)) != nil {
                return ParentDeath.parentGoneStatus
            }
            received += 1
            if received == warmup {
                start = ResourceUsage.currentProcess()
                // A sink says when the warmup is through, so that the timed messages start on a warm peer.
                if !echo, FileDescriptor.writeAll(output, [2]) != nil { return ParentDeath.parentGoneStatus }
            } else if received > warmup {
                checksum.add(task: Int(sequence), result: UInt64(size))
            }
        }
        let report = PeerReport(checksum: checksum, usage: ResourceUsage.currentProcess() - start)
        return FileDescriptor.writeAll(output, report.bytes) == nil ? 0 : ParentDeath.parentGoneStatus
    }

    private static func source(size: Int, count: Int, first: Int) -> Int32 {
        var go: UInt8 = 0
        guard read(3, &go, 1) == 1 else { return ParentDeath.parentGoneStatus }
        for sequence in first..<(first + count) {
            guard FileDescriptor.writeAll(4, ProbeMessage.make(UInt64(sequence), size: size)) == nil else {
                return ParentDeath.parentGoneStatus
            }
        }
        return 0
    }

    private static func usage(_ message: String) -> Int32 {
        FileDescriptor.writeAll(2, "bench-worker channel-peer: \(message) — it is started by bench experiment channels, not by hand\n")
        return ExitCode.usage.rawValue
    }
}
