import Foundation
import Glibc

/// Where standard output leads while a printing workload runs (`--sink`).
enum SinkKind: String, CaseIterable, Sendable {
    /// A pipe read to its end by a drain process; every line is checked.
    case pipe
    /// A temporary file, read back and checked after the run.
    case file
    /// /dev/null: nothing to check but the checksums.
    case devnull
    /// A pseudo-terminal whose other side a drain process reads: the nearest
    /// thing to a console. Every line is checked.
    case tty
}

/// Points fd 1 at a sink for one run and restores it afterwards.
///
/// The run's worker processes are spawned while fd 1 is redirected, so they
/// inherit the same sink: every process's lines meet in one place, as they did
/// on the tutorial's console. The reader at the far end of a pipe or terminal
/// is a `bench sink-drain` process, as a terminal is a process of its own:
/// its work is not counted as the measured process's.
final class OutputSink {
    let kind: SinkKind
    private let savedStandardOutput: Int32
    /// The sink's write end, kept until the run ends (then closed, so the drain sees EOF).
    private let writeEnd: Int32
    /// Where the lines end up for the check: the drain's copy, or the file sink itself.
    private let copyPath: String?
    private let drain: ChildProcess?
    private var restored = false

    /// How long the drain may take to finish after the run (a worker still
    /// holding the sink open would keep it waiting).
    static let closeGraceSeconds = 10.0

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
        copyPath = target.copyPath
        drain = target.drain
        // Fully initialised from here: if this fails, deinit puts everything back.
        guard dup2(writeEnd, 1) == 1 else { throw OutputSink.failure("cannot redirect standard output") }
    }

    deinit {
        try? restore()
        if let drain { _ = drain.wait(until: MonotonicClock.now() &+ 1_000_000_000) }
        if let copyPath { unlink(copyPath) }
    }

    /// Restores fd 1 and waits until the drain has copied everything.
    func finishWriting() throws {
        try restore()
        guard let drain else { return }
        let deadline = MonotonicClock.now() &+ UInt64(Self.closeGraceSeconds * 1e9)
        guard let exit = drain.wait(until: deadline) else {
            throw BenchError.runFailed(
                "the \(kind.rawValue) sink stayed open \(Int(Self.closeGraceSeconds)) s after the run",
                fix: "a process started by the run may have outlived it")
        }
        guard exit.status.isSuccess else {
            throw BenchError.runFailed("the \(kind.rawValue) sink's reader \(exit.status)", fix: "try another --sink")
        }
    }

    /// Everything the sink received (nil for devnull), once `finishWriting` is done.
    func contents() throws -> [UInt8]? {
        guard let copyPath else { return nil }
        return try Array(Data(contentsOf: URL(fileURLWithPath: copyPath)))
    }

    /// The sink's descriptors: where lines are written, the drain reading the
    /// other side, and the file that ends up holding the lines.
    private struct Target {
        let writeEnd: Int32
        let drain: ChildProcess?
        let copyPath: String?
    }

    /// Opens the sink itself, closing what it opened if a later step fails.
    private static func open(_ kind: SinkKind) throws -> Target {
        switch kind {
        case .pipe:
            // Close-on-exec from birth: only the dup2'd fd 1 may reach workers.
            let ends = try FileDescriptor.makePipe()
            do {
                let (drain, path) = try startDrain(reading: ends.read)
                FileDescriptor.close(ends.read)
                return Target(writeEnd: ends.write, drain: drain, copyPath: path)
            } catch {
                FileDescriptor.close(ends.read)
                FileDescriptor.close(ends.write)
                throw error
            }
        case .file:
            let (descriptor, path) = try temporaryFile()
            return Target(writeEnd: descriptor, drain: nil, copyPath: path)
        case .devnull:
            let descriptor = Glibc.open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("cannot open /dev/null") }
            return Target(writeEnd: descriptor, drain: nil, copyPath: nil)
        case .tty:
            // posix_openpt and friends are not in Swift's Glibc module; these are their ioctls.
            let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard master >= 0 else { throw failure("cannot open a pseudo-terminal") }
            defer { FileDescriptor.close(master) }
            var unlock: CInt = 0
            var number: CInt = -1
            guard ioctl(master, unlockTerminal, &unlock) == 0, ioctl(master, terminalNumber, &number) == 0 else {
                throw failure("cannot set up a pseudo-terminal")
            }
            let terminal = Glibc.open("/dev/pts/\(number)", O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard terminal >= 0 else { throw failure("cannot open /dev/pts/\(number)") }
            do {
                let (drain, path) = try startDrain(reading: master)
                return Target(writeEnd: terminal, drain: drain, copyPath: path)
            } catch {
                FileDescriptor.close(terminal)
                throw error
            }
        }
    }

    /// `bench sink-drain` reading `descriptor` into a new temporary file.
    private static func startDrain(reading descriptor: Int32) throws -> (ChildProcess, String) {
        let (copy, path) = try temporaryFile()
        defer { FileDescriptor.close(copy) }
        do {
            let drain = try ChildProcess(
                executable: WorkerExecutable.path, arguments: [SinkDrainCommand.name],
                standardInput: descriptor, standardOutput: copy, captureStandardError: false)
            return (drain, path)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// A new, empty file for lines, close-on-exec from birth and opened for
    /// appending: several processes write through one open file, and
    /// O_APPEND keeps their lines whole.
    private static func temporaryFile() throws -> (Int32, String) {
        for attempt in 0..<100 {
            let path = NSTemporaryDirectory() + "/bench-sink-\(getpid())-\(MonotonicClock.now())-\(attempt)"
            let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, path) }
            guard errno == EEXIST else { break }
        }
        throw failure("cannot create a file for the sink")
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
