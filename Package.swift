// swift-tools-version:6.0
// Toolchain only: no `.package(...)` dependencies (DESIGN.md, hard constraints).
import PackageDescription

let package = Package(
    name: "bench",
    products: [
        .executable(name: "bench", targets: ["Bench"]),
    ],
    targets: [
        .target(name: "Workloads"),
        .executableTarget(name: "Bench", dependencies: ["Workloads"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Workloads"]),
    ],
    swiftLanguageModes: [.v6]
)
