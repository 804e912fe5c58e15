import Foundation
import Harness
import Testing

/// The layers of Package.swift as the sources use them: every module a
/// target's files import is one it declares (SwiftPM lets a file import a
/// module its target only reaches through another, which would hide an
/// upward or sideways dependency), and the targets below Harness import no
/// Foundation, so that bench-worker starts like a C program (DESIGN, layers).
@Suite("Package layers")
struct PackageLayersTests {
    /// A target of Package.swift: its name, declared dependencies and source folder.
    struct Target {
        let name: String
        let dependencies: Set<String>
        let folder: String
        let excluded: [String]
    }

    /// Modules of the toolchain, which no target declares.
    static let toolchainModules: Set<String> = [
        "Foundation", "FoundationNetworking", "FoundationEssentials", "Glibc", "Synchronization", "Dispatch", "Testing", "XCTest",
        "PackageDescription",
    ]
    /// The layers, bottom first (Package.swift's picture): a target may depend only on
    /// targets of the layers below its own. Servers and Broker sit side by side.
    static let layers: [[String]] = [
        ["CEpoll"], ["Platform"], ["LocalHTTP"], ["Workloads"], ["Servers", "Broker"], ["Engine"],
        ["Harness", "BenchWorker", "URLSessionPlugin"], ["Experiments"], ["Bench"], ["BenchExecutable"],
    ]
    /// The targets below Harness: bench-worker's, which link no Foundation.
    static let foundationFree: Set<String> = ["Platform", "LocalHTTP", "Workloads", "Servers", "Broker", "Engine", "BenchWorker"]

    static func packageRoot() throws -> URL {
        try #require(PackageFile.locate("Package.swift", executable: CommandLine.arguments[0]), "the tests run from the package's .build")
            .deletingLastPathComponent()
    }

    /// Whether Package.swift declares `target` as a test target or the tests' support.
    static func isTestCode(_ target: Target) -> Bool {
        target.folder.hasPrefix("Tests/")
    }

    /// The targets, read from Package.swift's text: each `.target(`,
    /// `.executableTarget(`, `.testTarget(` and `.systemLibrary(` up to the next.
    static func targets(root: URL) throws -> [Target] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declaration = try Regex(#"\.(target|executableTarget|testTarget|systemLibrary)\("#)
        let starts = text.ranges(of: declaration).map(\.lowerBound)
        return try zip(starts, starts.dropFirst() + [text.endIndex]).map { start, end in
            let chunk = String(text[start..<end])
            let name = try #require(strings(in: chunk, after: "name:").first, "a target without a name in Package.swift")
            let isTest = chunk.hasPrefix(".testTarget")
            let folder = strings(in: chunk, after: "path:").first ?? (isTest ? "Tests/\(name)" : "Sources/\(name)")
            return Target(
                name: name, dependencies: Set(list(in: chunk, after: "dependencies:")), folder: folder,
                excluded: list(in: chunk, after: "exclude:").map { folder + "/" + $0 })
        }
    }

    /// The quoted strings of the `[...]` after `label`, or none.
    static func list(in text: String, after label: String) -> [String] {
        guard let labelRange = text.range(of: label), let open = text[labelRange.upperBound...].firstIndex(of: "["),
              let close = text[open...].firstIndex(of: "]")
        else { return [] }
        return strings(in: String(text[open...close]), after: "")
    }

    /// Every quoted string after `label` (the first is the label's value).
    static func strings(in text: String, after label: String) -> [String] {
        guard let labelRange = label.isEmpty ? text.startIndex..<text.startIndex : text.range(of: label) else { return [] }
        return text[labelRange.upperBound...].split(separator: "\"", omittingEmptySubsequences: false)
            .enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The modules `file` imports (`import X`, `@testable import X`, `public import X`...):
    /// the import lines at its top, before its first declaration (after it, a
    /// line such as `import sys` is inside a string: a Python program).
    static func imports(of file: URL) throws -> Set<String> {
        let pattern = try Regex(#"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#)
        var found: Set<String> = []
        var inBlockComment = false
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inBlockComment || trimmed.hasPrefix("/*") {
                inBlockComment = !trimmed.contains("*/")
                continue
            }
            if trimmed.isEmpty || trimmed.hasPrefix("//") || trimmed.hasPrefix("#if") || trimmed.hasPrefix("#else") || trimmed.hasPrefix("#endif") {
                continue
            }
            guard let match = try pattern.firstMatch(in: trimmed), let module = match.output[1].substring else { break }
            found.insert(String(module))
        }
        return found
    }

    /// Every .swift file of `target`, its excluded folders left out.
    static func sources(of target: Target, root: URL) -> [URL] {
        let folder = root.appendingPathComponent(target.folder)
        let excluded = target.excluded.map { root.appendingPathComponent($0).standardizedFileURL.path + "/" }
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { file in
            file.pathExtension == "swift" && !excluded.contains { file.standardizedFileURL.path.hasPrefix($0) }
        }
    }

    @Test func everyTargetDeclaresEachModuleItsFilesImport() throws {
        let root = try Self.packageRoot()
        let targets = try Self.targets(root: root)
        let names = Set(targets.map(\.name))
        #expect(names.isSuperset(of: ["Platform", "LocalHTTP", "Workloads", "Engine", "Harness", "Experiments", "Bench", "BenchWorker"]), "\(names)")
        var checkedFiles = 0
        for target in targets where target.name != "CEpoll" {
            let files = Self.sources(of: target, root: root)
            #expect(!files.isEmpty, "no Swift file found for target \(target.name) in \(target.folder): is Package.swift read right?")
            for file in files {
                checkedFiles += 1
                for module in try Self.imports(of: file) where module != target.name {
                    let place = "\(target.folder)/\(file.lastPathComponent) (target \(target.name))"
                    if names.contains(module) {
                        #expect(target.dependencies.contains(module), "\(place) imports \(module), which its target does not declare")
                    } else {
                        #expect(Self.toolchainModules.contains(module), "\(place) imports \(module), neither a target nor a toolchain module")
                    }
                }
            }
        }
        #expect(checkedFiles > 300, "only \(checkedFiles) Swift files found: is Package.swift read right?")
    }

    @Test func everyTargetDependsOnlyOnTheLayersBelowIt() throws {
        let layerOf = Dictionary(uniqueKeysWithValues: Self.layers.enumerated().flatMap { index, names in names.map { ($0, index) } })
        for target in try Self.targets(root: Self.packageRoot()) where !Self.isTestCode(target) {
            let layer = try #require(layerOf[target.name], "\(target.name) is in no layer of this test: add it where Package.swift's picture puts it")
            for dependency in target.dependencies {
                #expect((layerOf[dependency] ?? Int.max) < layer, "\(target.name) depends on \(dependency), which is not in a layer below it")
            }
        }
    }

    @Test func theTargetsBelowHarnessImportNoFoundation() throws {
        let root = try Self.packageRoot()
        let below = try Self.targets(root: root).filter { Self.foundationFree.contains($0.name) }
        #expect(below.count == Self.foundationFree.count)
        for target in below {
            #expect(!target.dependencies.contains { $0.hasPrefix("Harness") || $0 == "Experiments" || $0 == "Bench" })
            for file in Self.sources(of: target, root: root) {
                let foundation = try Self.imports(of: file).filter { $0.hasPrefix("Foundation") }
                #expect(foundation.isEmpty, "\(target.folder)/\(file.lastPathComponent) imports \(foundation.sorted()) below Harness")
            }
        }
    }
}
