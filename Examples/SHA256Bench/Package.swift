// swift-tools-version:6.0
// Benchmarking your own code with bench: this package declares one workload
// of its own (SHA-256 over a buffer, written by hand in SHA256.swift) and
// runs the whole of bench on it, every Swift model included:
//
//     swift run -c release sha256-bench run --workload sha256 --model serial,thread,process-pool
//
// See "Benchmark your own code" in bench's README.
import PackageDescription

let package = Package(
    name: "SHA256Bench",
    products: [
        .executable(name: "sha256-bench", targets: ["SHA256Bench"]),
    ],
    dependencies: [
        // bench itself, by path. Named, so that the product below is found whatever
        // the folder of the checkout is called.
        .package(name: "bench", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "SHA256Bench", dependencies: [.product(name: "BenchKit", package: "bench")]),
    ],
    swiftLanguageModes: [.v6]
)
