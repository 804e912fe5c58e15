import Foundation
import Platform

/// `bench calibrate`'s output: a folder of its own, a table and calibration.csv.
public enum Calibration {
    public static let csvHeader = ["measurement", "unit", "samples", "median", "min", "max", "ci_lo", "ci_hi"]

    /// Creates `root/<stamp>-calibrate` (or `-2`, `-3`... when two calibrations
    /// share a second: mkdir is atomic, so neither loses its result).
    public static func makeFolder(root: String) throws -> String {
        try FileWriter.makeFolders(root)
        return try RunFolder.makeUniqueFolder(in: root, named: RunFolder.stamp(Date()) + "-calibrate").path
    }

    public static func table(_ measurements: [FloorMeasurement]) -> String {
        let header = ["measurement", "median", "min", "max", "runs"]
        let body = measurements.compactMap { measurement -> [String]? in
            guard let statistics = measurement.statistics else { return nil }
            return [
                measurement.name, measurement.display(statistics.median), measurement.display(statistics.minimum),
                measurement.display(statistics.maximum), String(statistics.count),
            ]
        }
        return TextTable(header: header, rows: body).render()
    }

    public static func write(_ measurements: [FloorMeasurement], to folder: String) throws {
        var lines = [CSVFormat.line(csvHeader)]
        for measurement in measurements {
            guard let statistics = measurement.statistics else { continue }
            let interval = OrderStatistics.medianInterval(measurement.samples)
            let places = measurement.unit == .seconds ? 9 : 4
            lines.append(CSVFormat.line([
                measurement.name, measurement.unit.rawValue, String(statistics.count),
                CSVFormat.decimal(statistics.median, places: places), CSVFormat.decimal(statistics.minimum, places: places),
                CSVFormat.decimal(statistics.maximum, places: places), CSVFormat.decimal(interval?.lowerBound, places: places),
                CSVFormat.decimal(interval?.upperBound, places: places),
            ]))
        }
        try FileWriter.replace(folder + "/calibration.csv", with: lines.joined(separator: "\n") + "\n")
    }
}
