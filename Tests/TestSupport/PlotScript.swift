import Foundation
import Testing
import Platform
import Harness

/// `plot.sh` at the package root, run with bash as a user would.
public enum PlotScript {
    /// The package root: this file is Tests/TestSupport/PlotScript.swift.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let url = packageRoot.appendingPathComponent("plot.sh")

    /// The package's chart files.
    public static let chartFiles = packageRoot.appendingPathComponent("plot")

    /// Writes `folder`'s chart plan as bench does after a run (plot.sh draws only what a plan lists).
    public static func writePlan(_ folder: URL) throws {
        try ChartPlan(folder: folder.path, chartFiles: chartFiles).write()
    }

    /// bash by absolute path, so a test can hand the script a PATH without it.
    public static let bash = PackageFile.onPath("bash") ?? URL(fileURLWithPath: "/bin/bash")

    /// Runs `bash plot.sh arguments...`; `path` replaces PATH when given.
    public static func run(_ arguments: [String], path: String? = nil) throws -> BenchBinary.Result {
        try BenchBinary.runProgram(bash, arguments: [url.path] + arguments, environment: path.map { ["PATH": $0] } ?? [:])
    }

    /// Chart tests must run, not skip, in CI (.ci/run installs gnuplot); a
    /// machine without gnuplot fails them with the command that fixes it.
    public static func requireGnuplot() throws {
        try #require(
            PackageFile.onPath("gnuplot") != nil,
            "gnuplot is not installed, and the chart tests need it: apt-get install -y --no-install-recommends gnuplot-nox")
    }

    /// A folder of links to the tools plot.sh uses, without gnuplot: a PATH
    /// on which gnuplot is missing even where it is installed.
    public static func pathWithoutGnuplot(in folder: URL) throws -> String {
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let tools = ["bash", "env", "awk", "sed", "tr", "sort", "head", "tail", "cat", "mktemp", "rm", "mkdir", "basename", "dirname", "printf"]
        for tool in tools {
            if let target = PackageFile.onPath(tool) {
                try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path, withDestinationPath: target.path)
            }
        }
        return bin.path
    }

    public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Why `url` is not a plausible chart, or nil when it is: a PNG signature
    /// and more than 2 KB (an empty gnuplot canvas is smaller).
    public static func problemWithPNG(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return "\(url.lastPathComponent) is missing" }
        guard Array(data.prefix(8)) == pngSignature else { return "\(url.lastPathComponent) has no PNG signature" }
        guard data.count > 2_048 else { return "\(url.lastPathComponent) is only \(data.count) bytes" }
        return nil
    }

    /// Why `url` is not an SVG chart, or nil when it is.
    public static func problemWithSVG(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return "\(url.lastPathComponent) is missing" }
        guard String(decoding: data.prefix(4_096), as: UTF8.self).contains("<svg") else { return "\(url.lastPathComponent) is not SVG" }
        return nil
    }

    /// The file names in `folder`/plots with `suffix`, sorted.
    public static func charts(in folder: URL, suffix: String = ".png") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("plots").path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }
}
