import Glibc
import Platform
import Synchronization

/// One printed line per task, in the seed tutorial's format
/// (`进程<pid>: 线程<thread> 正在消耗:<item> 时间：<local time>`: process, thread,
/// item, timestamp), written through the process's shared, locked stdout
/// stream. Where fd 1 leads (a pipe the harness reads, a file, /dev/null, a
/// terminal) is the harness's choice: the `--sink`.
public struct PrintWorkload: Workload {
    /// Numbers the sessions (threads) of this process, as the tutorial numbers its threads.
    private let threadNumbers = ThreadNumbers()
    /// Where the harness sends the lines; only named in `work`, so that
    /// cells printing to different sinks stay apart in the CSV.
    public let sink: String
    /// One write per line whatever the sink (as a console gets them), rather
    /// than whole-line blocks when the sink is not a terminal.
    public let lineBuffered: Bool

    public init(sink: String, lineBuffered: Bool = false) {
        self.sink = sink
        self.lineBuffered = lineBuffered
    }

    public var name: String { "print" }
    public var kind: WorkloadKind { .io }
    public var work: WorkSize { WorkSize(amount: 1, unit: (lineBuffered ? "line-flushed-to-" : "line-to-") + sink) }

    public func run(task: Int) throws -> UInt64 {
        try printLine(item: task, thread: 0)
    }

    public func expectedResult(task: Int) -> UInt64? {
        PrintWorkload.result(item: task)
    }

    public func makeSession() throws -> any WorkloadSession {
        PrintSession(workload: self, thread: threadNumbers.next())
    }

    public func finish() throws {
        threadNumbers.reset()
        try ProcessOutput.close()
    }

    func printLine(item: Int, thread: Int) throws -> UInt64 {
        try ProcessOutput.write(
            PrintWorkload.line(process: getpid(), thread: thread, item: item, time: LocalTime.now()), lineBuffered: lineBuffered)
        return PrintWorkload.result(item: item)
    }

    /// The line for one item, newline included.
    public static func line(process: Int32, thread: Int, item: Int, time: String) -> String {
        "进程\(process): 线程\(thread) 正在消耗:\(item) 时间：\(time)\n"
    }

    /// The item a printed line carries, or nil when the line is not one of ours.
    public static func item(inLine line: Substring) -> Int? {
        guard let start = line.firstRange(of: "正在消耗:")?.upperBound else { return nil }
        let end = line[start...].firstIndex { !($0.isASCII && $0.isNumber) } ?? line.endIndex
        return Int(line[start..<end])
    }

    static func result(item: Int) -> UInt64 {
        mix(UInt64(truncatingIfNeeded: item) ^ 0x7072_696E_74)
    }

    public static let declaration = WorkloadDeclaration(
        name: "print", kind: .io,
        summary: "prints one line per task (process, thread, item, time) through the shared stdout stream to --sink",
        parameters: [
            .choice(
                "sink", SinkKind.allCases.map(\.rawValue), default: SinkKind.pipe.rawValue,
                help: "print: where lines go: pipe (read and checked), file (checked), devnull, tty (a pseudo-terminal, checked)"),
            .flag("line-buffered", help: "print: one write per line, as on a terminal, whatever the sink (default: whole-line blocks unless the sink is a tty)"),
        ],
        defaultTasks: 20_000, quickTasks: 5_000, tasksFlag: "items", fixture: PrintSinkFixture.declaration,
        // A line takes about a microsecond: two clock reads would be 4% of it.
        timesTasks: false
    ) { values in
        PrintWorkload(sink: values.text("sink"), lineBuffered: values.isOn("line-buffered"))
    }
}

/// A thread's handle: remembers its thread number for the lines it prints.
private struct PrintSession: WorkloadSession {
    let workload: PrintWorkload
    let thread: Int

    func run(task: Int) throws -> UInt64 {
        try workload.printLine(item: task, thread: thread)
    }
}

/// Hands out 0, 1, 2, ... to the sessions of one run.
private final class ThreadNumbers: Sendable {
    private let counter = Atomic<Int>(0)

    func next() -> Int {
        counter.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    func reset() {
        counter.store(0, ordering: .relaxed)
    }
}
