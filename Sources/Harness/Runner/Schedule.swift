import Platform

/// One entry of the schedule: which cell, and whether it is measured.
public struct ScheduledSample: Sendable, Equatable {
    let cell: Cell
    /// 1-based run of this cell among its warmups or its measured runs.
    let repetition: Int
    let isWarmup: Bool
    /// 1-based position among measured runs (the CSV `order`); 0 for warmups.
    let order: Int
}

/// The order runs happen in: warmup rounds, then measured rounds, each round
/// visiting its cells once in a freshly shuffled order (seeded), so slow
/// drift of the machine (heat, other load) spreads over all models alike.
/// The runner asks for one round at a time, since under `--runs auto` which
/// cells a round holds depends on the samples before it.
struct Schedule {
    private var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// The next round's order of `cells`.
    mutating func round(_ cells: [Cell]) -> [Cell] {
        cells.shuffled(using: &generator)
    }

    /// Every round of a fixed count, as the runner takes them when no cell fails.
    static func make(cells: [Cell], runs: Int, warmup: Int, seed: UInt64) -> [ScheduledSample] {
        var generator = Schedule(seed: seed)
        var schedule: [ScheduledSample] = []
        var order = 0
        for round in 0..<(warmup + runs) {
            let isWarmup = round < warmup
            for cell in generator.round(cells) {
                if !isWarmup { order += 1 }
                schedule.append(ScheduledSample(
                    cell: cell, repetition: isWarmup ? round + 1 : round - warmup + 1,
                    isWarmup: isWarmup, order: isWarmup ? 0 : order))
            }
        }
        return schedule
    }
}
