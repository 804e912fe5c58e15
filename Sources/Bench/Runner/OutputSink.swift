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
    private let reader: SinkReader?
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
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw OutputSink.failure("cannot create the pipe sink") }
            readEnd = ends[0]
            writeEnd = ends[1]
            // Only the dup2'd fd 1 may reach workers; these originals stay in this process.
            _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
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
        reader = readEnd >= 0 ? SinkReader(descriptor: readEnd) : nil
        guard dup2(writeEnd, 1) == 1 else { throw OutputSink.failure("cannot redirect standard output") }
    }

    deinit {
        try? restore()
        if let filePath { unlink(filePath) }
    }

    /// Restores fd 1 and returns everything the sink received (nil for devnull).
    func finish() throws -> [UInt8]? {
        try restore()
        if let reader {
            return try reader.collect()
        }
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

/// Drains a pipe or pseudo-terminal on its own thread so writers never wait
/// on a full buffer longer than a real reader would make them.
private final class SinkReader: @unchecked Sendable {
    private let descriptor: Int32
    private var bytes: [UInt8] = []
    private var failure: Int32 = 0
    private let done = DispatchSemaphore(value: 0)

    /// How long `collect` waits for the last writer to close its end.
    static let closeGraceSeconds = 10.0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        Thread.detachNewThread { [self] in
            drain()
            done.signal()
        }
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                // 0 is EOF on a pipe; a pseudo-terminal whose last writer closed reports EIO instead.
                if count < 0 && errno != EIO { failure = errno }
                return
            }
        }
    }

    func collect() throws -> [UInt8] {
        defer { close(descriptor) }
        guard done.wait(timeout: .now() + SinkReader.closeGraceSeconds) == .success else {
            throw BenchError.runFailed(
                "the output sink stayed open \(Int(SinkReader.closeGraceSeconds)) s after the run", fix: "a worker process may have outlived its run")
        }
        if failure != 0 {
            throw BenchError.runFailed("reading the output sink failed: \(String(cString: strerror(failure)))", fix: "try another --sink")
        }
        return bytes
    }
}
