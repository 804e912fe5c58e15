import Platform

/// The print workload's fixture: before each sample, fd 1 is pointed at the
/// chosen `--sink`; after it, bench reads back what arrived and checks that
/// every task's line came exactly once (pipe, file and tty; devnull keeps nothing).
final class PrintSinkFixture: WorkloadFixture {
    let kind: SinkKind
    private var sink: OutputSink?

    init(kind: SinkKind) {
        self.kind = kind
    }

    func sampleWillStart() throws {
        sink = try OutputSink(kind)
    }

    func sampleDidEnd(tasks: Range<Int>) throws {
        guard let sink else { return }
        self.sink = nil
        try sink.finishWriting()
        guard let bytes = try sink.contents() else { return }
        let ledger = LineLedger(output: bytes, tasks: tasks) { PrintWorkload.item(inLine: $0) }
        guard ledger.isExact else {
            throw WorkloadError("\(kind.rawValue) sink: \(ledger.description)", fix: "the printed output is not what the tasks wrote")
        }
    }

    func sampleAbandoned() {
        // Its deinit restores fd 1 and stops the drain.
        sink = nil
    }

    static let declaration = FixtureDeclaration(
        keyParameters: ["sink"], thisMachineOnly: "its lines must reach this bench's sink, where they are checked"
    ) { values in
        PrintSinkFixture(kind: SinkKind(rawValue: values.text("sink")) ?? .pipe)
    }
}
