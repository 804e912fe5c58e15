import Glibc
import Platform

/// Points fd 1 at a sink for one sample and restores it afterwards.
///
/// The sample's worker processes are started while fd 1 is redirected (or
/// are handed fd 1 by the fork server), so they write to the same sink: every
/// process's lines meet in one place, as they did on the tutorial's console.
/// The reader at the far end of a pipe or terminal is a `bench-worker
/// sink-drain` process, as a terminal is a process of its own: its work is
/// not counted as the measured process's. What it read, or what the file
/// sink received, is kept in an unlinked scratch file for the line check.
final class OutputSink {
    let kind: SinkKind
    private let savedStandardOutput: Int32
    /// The sink's write end, kept until the sample ends (then closed, so the drain sees EOF).
    private let writeEnd: Int32
    /// Where the lines end up for the check (unlinked): the drain's copy, or the file sink itself.
    private let copy: Int32
    private let drain: ChildProcess?
    private var restored = false

    /// How long the drain may take to finish after the sample (a worker still
    /// holding the sink open would keep it waiting).
    static let closeGraceSeconds = 10.0

    init(_ kind: SinkKind) throws {
        self.kind = kind
        // Lines the harness itself buffered must not end up in the sink.
        fflush(nil)
        savedStandardOutput = fcntl(1, F_DUPFD_CLOEXEC, 3)
        guard savedStandardOutput >= 0 else { throw OutputSink.failure("cannot save standard output", errno) }
        let target: Target
        do {
            target = try OutputSink.open(kind)
        } catch {
            close(savedStandardOutput)
            throw error
        }
        writeEnd = target.writeEnd
        copy = target.copy
        drain = target.drain
        // Fully initialised from here: if this fails, deinit puts everything back.
        guard dup2(writeEnd, 1) == 1 else { throw OutputSink.failure("cannot redirect standard output", errno) }
    }

    deinit {
        try? restore()
        if let drain { _ = drain.wait(until: MonotonicClock.deadline(afterSeconds: 1)) }
        FileDescriptor.close(copy)
    }

    /// Restores fd 1 and waits until the drain has copied everything.
    func finishWriting() throws {
        try restore()
        guard let drain else { return }
        guard let exit = drain.wait(until: MonotonicClock.deadline(afterSeconds: Self.closeGraceSeconds)) else {
            throw WorkloadError(
                "the \(kind.rawValue) sink stayed open \(Int(Self.closeGraceSeconds)) s after the sample",
                fix: "a process started by the sample may have outlived it")
        }
        guard exit.status.isSuccess else {
            throw WorkloadError("the \(kind.rawValue) sink's reader \(exit.status): \(drain.standardError())", fix: "try another --sink")
        }
    }

    /// Everything the sink received (nil for devnull), once `finishWriting` is done.
    func contents() throws -> [UInt8]? {
        guard copy >= 0 else { return nil }
        return try FileDescriptor.readFile(copy)
    }

    /// The sink's descriptors: where lines are written, the drain reading the
    /// other side, and the scratch file that ends up holding the lines (-1: none).
    private struct Target {
        let writeEnd: Int32
        let drain: ChildProcess?
        let copy: Int32
    }

    /// Opens the sink itself, closing what it opened if a later step fails.
    private static func open(_ kind: SinkKind) throws -> Target {
        switch kind {
        case .pipe:
            // Close-on-exec from birth: only the dup2'd fd 1 may reach workers.
            let ends = try FileDescriptor.makePipe()
            defer { FileDescriptor.close(ends.read) }
            do {
                let (drain, copy) = try startDrain(reading: ends.read)
                return Target(writeEnd: ends.write, drain: drain, copy: copy)
            } catch {
                FileDescriptor.close(ends.write)
                throw error
            }
        case .file:
            let file = try ScratchFile.create()
            // A second descriptor on the same open file: writes go through fd 1, the check reads `copy`.
            let writer = fcntl(file, F_DUPFD_CLOEXEC, 3)
            guard writer >= 0 else {
                let code = errno
                close(file)
                throw failure("cannot open the file sink", code)
            }
            return Target(writeEnd: writer, drain: nil, copy: file)
        case .devnull:
            let descriptor = Glibc.open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("cannot open /dev/null", errno) }
            return Target(writeEnd: descriptor, drain: nil, copy: -1)
        case .tty:
            // posix_openpt and friends are not in Swift's Glibc module; these are their ioctls.
            let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard master >= 0 else { throw failure("cannot open a pseudo-terminal", errno) }
            defer { FileDescriptor.close(master) }
            var unlock: CInt = 0
            var number: CInt = -1
            guard ioctl(master, unlockTerminal, &unlock) == 0, ioctl(master, terminalNumber, &number) == 0 else {
                throw failure("cannot set up a pseudo-terminal", errno)
            }
            let terminal = Glibc.open("/dev/pts/\(number)", O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard terminal >= 0 else { throw failure("cannot open /dev/pts/\(number)", errno) }
            do {
                let (drain, copy) = try startDrain(reading: master)
                return Target(writeEnd: terminal, drain: drain, copy: copy)
            } catch {
                FileDescriptor.close(terminal)
                throw error
            }
        }
    }

    /// `bench-worker sink-drain` reading `descriptor` into a new scratch file.
    private static func startDrain(reading descriptor: Int32) throws -> (ChildProcess, Int32) {
        let copy = try ScratchFile.create()
        do {
            let drain = try ChildProcess(
                executable: try HelperExecutable.resolve(), arguments: HelperExecutable.arguments([SinkDrain.role]),
                standardInput: descriptor, standardOutput: copy)
            return (drain, copy)
        } catch {
            close(copy)
            throw error
        }
    }

    private func restore() throws {
        guard !restored else { return }
        restored = true
        let status = dup2(savedStandardOutput, 1)
        let code = errno
        close(savedStandardOutput)
        close(writeEnd)
        guard status == 1 else { throw OutputSink.failure("cannot restore standard output", code) }
    }

    /// TIOCSPTLCK and TIOCGPTN (asm-generic ioctl numbers, as on x86-64 and arm64).
    private static let unlockTerminal = UInt(0x4004_5431)
    private static let terminalNumber = UInt(0x8004_5430)

    private static func failure(_ what: String, _ code: Int32) -> SystemCallError {
        SystemCallError(what, errno: code, fix: "try another --sink")
    }
}
