import Engine
import Foundation
import Platform

/// The Universal Scalability Law (Gunther) fitted to one model's speedups
/// over its worker counts: speedup(N) = N / (1 + σ(N−1) + κN(N−1)), where σ
/// is contention (the serial share) and κ coherency (the cost of workers
/// keeping each other in step, which makes speedup fall past a peak).
///
/// Fitted by least squares on the USL's linear form, N/S − 1 = σ(N−1) +
/// κN(N−1), with σ, κ ≥ 0; intervals from refitting to bootstrap resamples
/// of every cell's samples (the baseline's included). A fit of fewer than
/// three worker counts, or one whose curve misses a point by more than 20%,
/// says so instead of a number.
///
/// What it predicts stays inside what can happen: the best worker count is
/// at most the group's task count (workers beyond it have nothing to do), a
/// predicted speedup at most min(tasks, workers), and a best count beyond
/// twice the largest one measured is flagged as an extrapolation. A measured
/// speedup above workers × 1.1 is flagged too: more than N times faster on N
/// workers usually means the baseline was slow (a cold cache, a busy moment).
public struct ScalingFit: Sendable {
    public let group: CellGroup
    public let model: String
    /// The measured points: worker count and median speedup.
    public let points: [(workers: Int, speedup: Double)]
    public let outcome: Outcome

    /// The fitted law, or why there is none.
    public enum Outcome: Sendable {
        case fitted(Parameters)
        /// Why there is no number (too few points, a poor fit).
        case unfit(String)
    }

    /// σ and κ with their intervals, and what they predict.
    public struct Parameters: Sendable {
        public let sigma: Estimate
        public let kappa: Estimate
        /// The worker count of the curve's peak, sqrt((1 − σ)/κ); nil when κ is 0
        /// (no peak). Unbounded: `ScalingFit.prediction` is what a report shows.
        public var bestWorkers: Double? {
            kappa.value > 0 ? ((1 - sigma.value) / kappa.value).squareRoot() : nil
        }
    }

    public static func speedup(_ workers: Double, sigma: Double, kappa: Double) -> Double {
        workers / (1 + sigma * (workers - 1) + kappa * workers * (workers - 1))
    }

    /// Largest relative miss of a point that still counts as a fit.
    static let tolerance = 0.2
    static let resamples = 400
    /// The fit's own resampling is seeded: the same samples always give the same intervals.
    static let bootstrapSeed: UInt64 = 0x5EED_B007
    /// A measured speedup above workers × this is flagged (`superlinear`).
    public static let superlinearFactor = 1.1
    /// A predicted best count beyond this × the largest measured one is flagged as an extrapolation.
    public static let extrapolationFactor = 2.0

    /// What the fit predicts, kept inside what the cell can do.
    public struct Prediction: Sendable {
        /// The best worker count: the curve's peak, at most the task count.
        public let workers: Double
        /// The curve's speedup there, at most min(tasks, workers).
        public let speedup: Double
        /// The curve's own peak, where it lies beyond the task count.
        public let uncappedPeak: Double?
        /// The best count lies beyond `extrapolationFactor` × the largest count measured.
        public let isExtrapolated: Bool
    }

    /// The best worker count and its speedup; nil without a fit or a peak.
    public var prediction: Prediction? {
        guard case let .fitted(parameters) = outcome, let peak = parameters.bestWorkers else { return nil }
        let tasks = Double(group.tasks)
        let workers = min(peak, tasks)
        let speedup = min(Self.speedup(workers, sigma: parameters.sigma.value, kappa: parameters.kappa.value), tasks, workers)
        let largest = Double(points.map(\.workers).max() ?? 1)
        return Prediction(
            workers: workers, speedup: speedup, uncappedPeak: peak > tasks ? peak : nil,
            isExtrapolated: workers > Self.extrapolationFactor * largest)
    }

    /// The measured points whose speedup exceeds workers × `superlinearFactor`.
    public var superlinearPoints: [(workers: Int, speedup: Double)] {
        points.filter { Self.isSuperlinear(speedup: $0.speedup, workers: $0.workers) }
    }

    public static func isSuperlinear(speedup: Double, workers: Int) -> Bool {
        speedup > Double(workers) * superlinearFactor
    }

    /// A fit per group and model that has speedups (not its baseline).
    public static func fits(
        _ samples: [Sample], excluding failed: Set<Cell> = [], languages: ModelLanguages = .catalog
    ) -> [ScalingFit] {
        let good = samples.filter { $0.ok && !failed.contains($0.cell) }
        let byCell = Dictionary(grouping: good, by: \.cell)
        var fits: [ScalingFit] = []
        for group in CellGroup.of(Array(byCell.keys)) {
            let cells = byCell.keys.filter { CellGroup($0) == group }
            var models: [String] = []
            for cell in cells.sorted() where !models.contains(cell.model) { models.append(cell.model) }
            for model in models {
                guard let baseline = cells.first(where: { $0.model == languages.baseline(of: model) }), baseline.model != model else { continue }
                let baselineWalls = byCell[baseline]!.map(\.wallSeconds)
                // One point per worker count: the shape with the best median where several share it (hybrid 4x1, 2x2).
                var best: [Int: [Double]] = [:]
                for cell in cells where cell.model == model {
                    let walls = byCell[cell]!.map(\.wallSeconds)
                    if let current = best[cell.shape.workers], let a = Statistics.median(current), let b = Statistics.median(walls), a <= b { continue }
                    best[cell.shape.workers] = walls
                }
                fits.append(fit(group: group, model: model, baseline: baselineWalls, cells: best))
            }
        }
        return fits
    }

    static func fit(group: CellGroup, model: String, baseline: [Double], cells: [Int: [Double]]) -> ScalingFit {
        let workers = cells.keys.sorted()
        let points = workers.compactMap { count -> (Int, Double)? in
            guard let base = Statistics.median(baseline), let wall = Statistics.median(cells[count]!), wall > 0 else { return nil }
            return (count, base / wall)
        }
        guard points.count >= 3 else {
            return ScalingFit(group: group, model: model, points: points, outcome: .unfit("\(points.count) worker count\(points.count == 1 ? "" : "s"): a fit needs 3 or more"))
        }
        guard let (sigma, kappa) = solve(points) else {
            return ScalingFit(group: group, model: model, points: points, outcome: .unfit("the points admit no fit"))
        }
        // σ is a fraction of the work that serialises: above 1 the "curve" describes a model
        // slower than one worker at every count (noop through processes), not contention.
        guard sigma <= 1 else {
            return ScalingFit(
                group: group, model: model, points: points,
                outcome: .unfit(String(format: "σ %.1f is above 1: slower than one worker at every count, which the law does not describe", sigma)))
        }
        let misses = points.map { abs(speedup(Double($0.0), sigma: sigma, kappa: kappa) - $0.1) / $0.1 }
        if let worst = misses.max(), worst > tolerance {
            return ScalingFit(
                group: group, model: model, points: points,
                outcome: .unfit(String(format: "poor fit: the curve misses a point by %.0f%%", worst * 100)))
        }
        // Bootstrap: resample every cell's samples, recompute the medians, refit.
        var generator = SeededGenerator(seed: bootstrapSeed)
        var sigmas: [Double] = []
        var kappas: [Double] = []
        for _ in 0..<resamples {
            let base = median(resample(baseline, &generator))
            let resampled = workers.map { (Double($0), base / median(resample(cells[$0]!, &generator))) }
            if let (s, k) = solve(resampled.map { (Int($0.0), $0.1) }) {
                sigmas.append(s)
                kappas.append(k)
            }
        }
        func interval(_ values: [Double]) -> ClosedRange<Double>? {
            guard values.count >= 10 else { return nil }
            let sorted = values.sorted()
            return Statistics.quantile(sorted, 0.025)...Statistics.quantile(sorted, 0.975)
        }
        return ScalingFit(
            group: group, model: model, points: points,
            outcome: .fitted(Parameters(
                sigma: Estimate(value: sigma, interval: interval(sigmas)), kappa: Estimate(value: kappa, interval: interval(kappas)))))
    }

    /// Least squares of y = σ x1 + κ x2 over the points, σ, κ ≥ 0.
    static func solve(_ points: [(Int, Double)]) -> (Double, Double)? {
        let rows = points.filter { $0.1 > 0 }.map { point -> (x1: Double, x2: Double, y: Double) in
            let n = Double(point.0)
            return (n - 1, n * (n - 1), n / point.1 - 1)
        }
        guard rows.count >= 2 else { return nil }
        let s11 = rows.reduce(0) { $0 + $1.x1 * $1.x1 }
        let s12 = rows.reduce(0) { $0 + $1.x1 * $1.x2 }
        let s22 = rows.reduce(0) { $0 + $1.x2 * $1.x2 }
        let s1y = rows.reduce(0) { $0 + $1.x1 * $1.y }
        let s2y = rows.reduce(0) { $0 + $1.x2 * $1.y }
        let determinant = s11 * s22 - s12 * s12
        if determinant > 1e-12 {
            let sigma = (s1y * s22 - s2y * s12) / determinant
            let kappa = (s2y * s11 - s1y * s12) / determinant
            if sigma >= 0 && kappa >= 0 { return (sigma, kappa) }
        }
        // On the boundary: one parameter at 0, the other fitted alone (never below 0).
        let sigmaOnly = s11 > 0 ? max(0, s1y / s11) : 0
        let kappaOnly = s22 > 0 ? max(0, s2y / s22) : 0
        func residual(_ sigma: Double, _ kappa: Double) -> Double {
            rows.reduce(0) { $0 + pow($1.y - sigma * $1.x1 - kappa * $1.x2, 2) }
        }
        return residual(sigmaOnly, 0) <= residual(0, kappaOnly) ? (sigmaOnly, 0) : (0, kappaOnly)
    }

    private static func resample(_ values: [Double], _ generator: inout SeededGenerator) -> [Double] {
        (0..<values.count).map { _ in values[Int(generator.next() % UInt64(values.count))] }
    }

    private static func median(_ values: [Double]) -> Double {
        Statistics.median(values) ?? .nan
    }

    /// One line: `thread: σ 0.012 [0.008, 0.020], κ 0.0003 [...], best ≈ 57 workers (speedup 26)`,
    /// with what bounds or flags the prediction, and any superlinear point.
    public var sentence: String {
        var text: String
        switch outcome {
        case let .unfit(reason):
            text = "\(model): no fit (\(reason))"
        case let .fitted(parameters):
            text = "\(model): σ \(parameters.sigma.description(places: 3)), κ \(parameters.kappa.description(places: 4))"
            if let prediction {
                text += String(format: ", best ≈ %.0f workers (speedup %.2f)", prediction.workers, prediction.speedup)
                if let peak = prediction.uncappedPeak {
                    text += String(format: ", capped at the %d tasks (the curve peaks at %.0f)", group.tasks, peak)
                }
                if prediction.isExtrapolated {
                    text += ", beyond 2x the largest count measured (\(points.map(\.workers).max() ?? 1)): an extrapolation"
                }
            } else {
                text += ", no peak (speedup still rising)"
            }
        }
        let superlinear = superlinearPoints
        if !superlinear.isEmpty {
            let list = superlinear.map { String(format: "%.2f at %d", $0.speedup, $0.workers) }.joined(separator: ", ")
            text += "; superlinear: check the baseline (speedup \(list) worker\(superlinear.count == 1 && superlinear[0].workers == 1 ? "" : "s"))"
        }
        return text
    }

    public static func render(_ fits: [ScalingFit], for group: CellGroup) -> String {
        let lines = fits.filter { $0.group == group }.map { "  " + $0.sentence }
        return lines.isEmpty ? "" : "scaling fit (Universal Scalability Law, 95% intervals):\n" + lines.joined(separator: "\n") + "\n"
    }
}
