// swift-tools-version:6.0
// Toolchain only: no SwiftPM package dependencies (DESIGN.md, hard constraints).
import PackageDescription

let package = Package(
    name: "bench",
    products: [
        .executable(name: "bench", targets: ["Bench"]),
        // URLSession for `--http-client urlsession`, loaded with dlopen only when asked for:
        // linked into bench, FoundationNetworking and libcurl would slow every process start
        // (worker processes included) by ~6 ms. `swift build` builds it beside bench.
        .library(name: "BenchURLSession", type: .dynamic, targets: ["URLSessionPlugin"]),
    ],
    targets: [
        // epoll, eventfd and timerfd from the C library (Glibc's module omits them): no package involved.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "Workloads", dependencies: ["CEpoll"]),
        .target(name: "URLSessionPlugin"),
        .executableTarget(name: "Bench", dependencies: ["Workloads"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Workloads"]),
    ],
    swiftLanguageModes: [.v6]
)
