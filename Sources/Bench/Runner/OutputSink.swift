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
    private let writeEnd: Int32
    private let reader: DescriptorDrain?
    private let filePath: String?
    private var restored = false

    init(_ kind: SinkKind) throws {
        self.kind = kind
        // Lines the harness itself buffered must not end up in the sink.
        fflush(nil)
        savedStandardOutput = fcntl(1, F_DUPFD_CLOEXEC, 3)
        guard savedStandardOutput >= 0 else { throw OutputSink.failure("cannot save standard output") }
        let target: Target
        do {
            target = try OutputSink.open(kind)
        } catch {
            close(savedStandardOutput)
            throw error
        }
        writeEnd = target.writeEnd
        filePath = target.path
        reader = target.readEnd.map { DescriptorDrain(descriptor: $0) }
        // Fully initialised from here: if this fails, deinit puts everything back.
        guard dup2(writeEnd, 1) == 1 else { throw OutputSink.failure("cannot redirect standard output") }
    }

    /// The sink's descriptors: where lines are written, and where the harness reads them.
    private struct Target {
        let writeEnd: Int32
        let readEnd: Int32?
        let path: String?
    }

    /// Opens the sink itself, closing what it opened if a later step fails.
    private static func open(_ kind: SinkKind) throws -> Target {
        switch kind {
        case .pipe:
            // Close-on-exec from birth: only the dup2'd fd 1 may reach workers.
            let ends = try FileDescriptor.makePipe()
            return Target(writeEnd: ends.write, readEnd: ends.read, path: nil)
        case .file:
            var template = Array((NSTemporaryDirectory() + "/bench-sink-XXXXXX").utf8CString)
            let descriptor = mkstemp(&template)
            guard descriptor >= 0 else { throw failure("cannot create the file sink") }
            // Several processes append through one open file: O_APPEND keeps their lines whole.
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, O_APPEND)
            let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return Target(writeEnd: descriptor, readEnd: nil, path: path)
        case .devnull:
            let descriptor = Glibc.open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("cannot open /dev/null") }
            return Target(writeEnd: descriptor, readEnd: nil, path: nil)
        case .tty:
            // posix_openpt and friends are not in Swift's Glibc module; these are their ioctls.
            let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard master >= 0 else { throw failure("cannot open a pseudo-terminal") }
            var unlock: CInt = 0
            var number: CInt = -1
            guard ioctl(master, unlockTerminal, &unlock) == 0, ioctl(master, terminalNumber, &number) == 0 else {
                let error = failure("cannot set up a pseudo-terminal")
                close(master)
                throw error
            }
            let terminal = Glibc.open("/dev/pts/\(number)", O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard terminal >= 0 else {
                let error = failure("cannot open /dev/pts/\(number)")
                close(master)
                throw error
            }
            return Target(writeEnd: terminal, readEnd: master, path: nil)
        }
    }

    deinit {
        try? restore()
        if let filePath { unlink(filePath) }
    }

    /// Starts draining the sink. Called after the run's first rusage reading,
    /// so that the reader's cost, subtracted later, lies inside the measurement.
    func beginReading() {
        reader?.begin()
    }

    /// How long the sink may stay open after the run (a worker still holding it).
    static let closeGraceSeconds = 10.0

    /// What the reader took in, kept for `contents()`.
    private var drained: [UInt8]?

    /// Restores fd 1 and waits until the harness has read everything; returns
    /// the CPU time and context switches that reading cost, which belong to
    /// no model. Called before the run's last rusage reading.
    func finishWriting() throws -> ResourceUsage {
        try restore()
        guard let reader else { return .zero }
        let result = try reader.collect(within: Self.closeGraceSeconds)
        drained = result.bytes
        return result.readerUsage
    }

    /// Everything the sink received, once closed (nil for devnull). Reading a
    /// file sink back happens here, after the measurement.
    func contents() throws -> [UInt8]? {
        if let drained { return drained }
        if let filePath {
            return try Array(Data(contentsOf: URL(fileURLWithPath: filePath)))
        }
        return nil
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
