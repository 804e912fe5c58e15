import Foundation
import Testing
import Workloads
@testable import LocalHTTP
import Platform
import TestSupport

@Suite("print workload and sinks")
struct PrintTests {
    static func output(items: [Int]) -> [UInt8] {
        Array(items.map { PrintWorkload.line(process: 42, thread: 3, item: $0, time: "2019-01-09 12:50:48.701523") }.joined().utf8)
    }

    static let parse: @Sendable (Substring) -> Int? = { PrintWorkload.item(inLine: $0) }

    @Test func lineHasTheTutorialsFormatAndReadsBack() {
        let line = PrintWorkload.line(process: 17020, thread: 1, item: 2, time: "2019-01-09 12:50:48.703521")
        #expect(line == "进程17020: 线程1 正在消耗:2 时间：2019-01-09 12:50:48.703521\n")
        #expect(PrintWorkload.item(inLine: Substring(line.dropLast())) == 2)
        #expect(PrintWorkload.item(inLine: "something else") == nil)
    }

    @Test func exactOutputPasses() {
        let ledger = LineLedger(output: Self.output(items: Array(0..<100).shuffled()), tasks: 0..<100, task: Self.parse)
        #expect(ledger.isExact)
    }

    @Test func catchesALostLine() {
        let ledger = LineLedger(output: Self.output(items: Array(0..<100).filter { $0 != 37 }), tasks: 0..<100, task: Self.parse)
        #expect(ledger == LineLedger.counts(lost: 1, duplicated: 0, foreign: 0))
        #expect(!ledger.isExact)
    }

    @Test func catchesADuplicatedLine() {
        let ledger = LineLedger(output: Self.output(items: Array(0..<100) + [5]), tasks: 0..<100, task: Self.parse)
        #expect(ledger == LineLedger.counts(lost: 0, duplicated: 1, foreign: 0))
    }

    /// A model that prints part of the items by design (the seed tutorial's
    /// split) is checked against exactly those: a line of another item is foreign.
    @Test func aRangeOfTasksExpectsExactlyItsItems() {
        #expect(LineLedger(output: Self.output(items: Array(75..<100).shuffled()), tasks: 75..<100, task: Self.parse).isExact)
        #expect(LineLedger(output: Self.output(items: Array(74..<99)), tasks: 75..<100, task: Self.parse)
            == LineLedger.counts(lost: 1, duplicated: 0, foreign: 1))
    }

    @Test func catchesForeignAndOutOfRangeLinesAndToleratesTerminalLineEnds() {
        var bytes = Self.output(items: [0, 1])
        bytes += Array("hello\n".utf8) + Self.output(items: [7])
        #expect(LineLedger(output: bytes, tasks: 0..<2, task: Self.parse) == LineLedger.counts(lost: 0, duplicated: 0, foreign: 2))
        let terminal = Array(String(decoding: Self.output(items: [0, 1, 2]), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        #expect(LineLedger(output: terminal, tasks: 0..<3, task: Self.parse).isExact)
    }
}

extension LineLedger {
    static func counts(lost: Int, duplicated: Int, foreign: Int) -> LineLedger {
        var ledger = LineLedger(output: [], tasks: 0..<0) { _ in nil }
        ledger.lost = lost
        ledger.duplicated = duplicated
        ledger.foreign = foreign
        return ledger
    }
}
