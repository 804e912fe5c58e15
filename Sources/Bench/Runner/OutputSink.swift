import Foundation
import Glibc

/// Where standard output leads while a printing workload runs (`--sink`).
enum SinkKind: String, CaseIterable, Sendable {
    /// A pipe the harness reads to its end, checking every line.
    case pipe
    /// A temporary file, read back and checked after the run.
    case file
    /// /dev/null: nothing to check but the checksums.
    case devnull
    /// A pseudo-terminal the harness drains: the nearest thing to a console.
    case tty
}

/// Points fd 1 at a sink for one run and restores it afterwards.
///
/// The run's worker processes are spawned while fd 1 is redirected, so they
/// inherit the same sink: every process's lines meet in one place, as they did
/// on the tutorial's console.
final class OutputSink {
    let kind: SinkKind
    private let savedStandardOutput: Int32
    /// The sink's write end, kept until the run ends (then closed so the reader sees EOF).
    private var writeEnd: Int32
    private let reader: DescriptorDrain?
    private let filePath: String?
    private var restored = false

    init(_ kind: SinkKind) throws {
        self.kind = kind
        // Lines the harness itself buffered must not end up in the sink.
        fflush(nil)
        savedStandardOutput = fcntl(1, F_DUPFD_CLOEXEC, 3)
        guard savedStandardOutput >= 0 else { throw OutputSink.failure("cannot save standard output") }
        var readEnd: Int32 = -1
        var path: String?
        switch kind {
        case .pipe:
            // Close-on-exec from birth: only the dup2'd fd 1 may reach workers.
            let ends = try FileDescriptor.makePipe()
            readEnd = ends.read
            writeEnd = ends.write
        case .file:
            var template = Array((NSTemporaryDirectory() + "/bench-sink-XXXXXX").utf8CString)
            writeEnd = mkstemp(&template)
            guard writeEnd >= 0 else { throw OutputSink.failure("cannot create the file sink") }
            // Several processes append through one open file: O_APPEND keeps their lines whole.
            _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(writeEnd, F_SETFL, O_APPEND)
            path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        case .devnull:
            writeEnd = open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard writeEnd >= 0 else { throw OutputSink.failure("cannot open /dev/null") }
        case .tty:
            // posix_openpt and friends are not in Swift's Glibc module; these are their ioctls.
            readEnd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            var unlock: CInt = 0
            var number: CInt = -1
            guard readEnd >= 0, ioctl(readEnd, OutputSink.unlockTerminal, &unlock) == 0,
                  ioctl(readEnd, OutputSink.terminalNumber, &number) == 0 else {
                throw OutputSink.failure("cannot open a pseudo-terminal")
            }
            writeEnd = open("/dev/pts/\(number)", O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard writeEnd >= 0 else { throw OutputSink.failure("cannot open /dev/pts/\(number)") }
        }
        filePath = path
        reader = readEnd >= 0 ? DescriptorDrain(descriptor: readEnd) : nil
        guard dup2(writeEnd, 1) == 1 else { throw OutputSink.failure("cannot redirect standard output") }
    }

    deinit {
        try? restore()
        if let filePath { unlink(filePath) }
    }

    /// What the sink received (nil for devnull), and the CPU time and context
    /// switches the harness spent reading it, which belong to no model.
    struct Received {
        let bytes: [UInt8]?
        let readerUsage: ResourceUsage
    }

    /// How long the sink may stay open after the run (a worker still holding it).
    static let closeGraceSeconds = 10.0

    /// Restores fd 1 and returns everything the sink received.
    func finish() throws -> Received {
        try restore()
        if let reader {
            let result = try reader.collect(within: Self.closeGraceSeconds)
            return Received(bytes: result.bytes, readerUsage: result.readerUsage)
        }
        if let filePath {
            return Received(bytes: try Array(Data(contentsOf: URL(fileURLWithPath: filePath))), readerUsage: .zero)
        }
        return Received(bytes: nil, readerUsage: .zero)
    }

    private func restore() throws {
        guard !restored else { return }
        restored = true
        let status = dup2(savedStandardOutput, 1)
        close(savedStandardOutput)
        close(writeEnd)
        guard status == 1 else { throw OutputSink.failure("cannot restore standard output") }
    }

    /// TIOCSPTLCK and TIOCGPTN (asm-generic ioctl numbers, as on x86-64 and arm64).
    private static let unlockTerminal = UInt(0x4004_5431)
    private static let terminalNumber = UInt(0x8004_5430)

    private static func failure(_ what: String) -> BenchError {
        .runFailed("\(what): \(String(cString: strerror(errno)))", fix: "try another --sink")
    }
}
