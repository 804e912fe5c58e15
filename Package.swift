// swift-tools-version:6.0
// Toolchain only: no `.package(...)` dependencies (DESIGN.md, hard constraints).
import PackageDescription

let package = Package(
    name: "bench",
    products: [
        .executable(name: "bench", targets: ["Bench"]),
    ],
    targets: [
        // epoll, eventfd and timerfd from the C library (Glibc's module omits them): no package involved.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "Workloads", dependencies: ["CEpoll"]),
        .executableTarget(name: "Bench", dependencies: ["Workloads"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Workloads"]),
    ],
    swiftLanguageModes: [.v6]
)
