import Glibc

/// `bench sink-drain`: the hidden reader at the far end of a print sink (a
/// pipe, or a pseudo-terminal's master side). It copies standard input to
/// standard output (a file the harness reads back afterwards) until every
/// writer has closed its end.
///
/// A process of its own, as a terminal is: its CPU time and context switches
/// are not the measured process's, so nothing has to be taken back out of them.
enum SinkDrainCommand: BenchCommand {
    static let name = "sink-drain"
    static let summary = "internal: copies a print sink to a file for the line check"
    static let isHidden = true

    static var help: String {
        Usage.command(
            "bench sink-drain", summary: summary, groups: [("Options", [Usage.helpOption])],
            notes: ["Started by bench itself for the pipe and tty sinks; reads standard input to its end."])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        // The runner decides when the sink ends (it closes the writing side);
        // a Ctrl-C meant for the run must not cut the copy short.
        signal(SIGINT, SIG_IGN)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                guard buffer.withUnsafeBytes({ FileDescriptor.writeAll(1, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) else {
                    throw BenchError.runFailed("sink-drain cannot write its copy", fix: "check the free space of the temporary folder")
                }
            } else if count < 0 && errno == EINTR {
                continue
            } else if count == 0 || errno == EIO {
                // EOF on a pipe; a pseudo-terminal whose last writer closed reports EIO.
                return .success
            } else {
                throw BenchError.runFailed("sink-drain cannot read: \(String(cString: strerror(errno)))", fix: "try another --sink")
            }
        }
    }
}
