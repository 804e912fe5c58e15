// swift-tools-version:6.0
// Toolchain only: no SwiftPM package dependencies (DESIGN.md, hard constraints).
//
// Layers, top to bottom. A target imports only targets below it (each layer is
// its own target, so the compiler enforces that) and declares every one it imports:
//   Bench        the command line: parser, help, commands (BenchExecutable is its main.swift)
//   Experiments  the seed tutorials' claims, reproduced (bench experiment NAME)
//   Harness      invocations: plan, runner, run folder and CSV, statistics, exports, charts;
//                the Python and distributed models' parent side; option declarations
//   ---- Foundation above this line, none below: bench-worker starts like a C program ----
//   Engine       execution primitives, the pool, the Swift models, bench-worker's roles
//   Broker       the distributed model's worker side and its Redis protocol
//   Servers      the servers experiment's server models and load generator
//   Workloads    what is measured: workloads, parameters, fixtures (the crawl site)
//   LocalHTTP    the HTTP server (with a route hook) and clients
//   Platform     system primitives: clock, descriptors, sockets, processes, signals
// BenchWorker (bench-worker) is a few lines over Engine.
import PackageDescription

let package = Package(
    name: "bench",
    products: [
        .executable(name: "bench", targets: ["BenchExecutable"]),
        .executable(name: "bench-worker", targets: ["BenchWorker"]),
        // URLSession for `--http-client urlsession`, loaded with dlopen only when asked for:
        // linked into bench, FoundationNetworking and libcurl would slow every process start
        // by ~6 ms. `swift build` builds it beside bench.
        .library(name: "BenchURLSession", type: .dynamic, targets: ["URLSessionPlugin"]),
        // bench as a library (module Bench), for a package that benchmarks workloads of its
        // own (Examples/): its executable calls BenchMain.run(workloads:) and is its own pool
        // worker. bench-worker stays out: its linker flags are unsafe flags, which SwiftPM
        // refuses in products other packages use (except by path), and workers running a
        // custom workload must know it anyway.
        .library(name: "BenchKit", targets: ["Bench"]),
    ],
    targets: [
        // epoll, eventfd, timerfd, pipe2, prctl, SCM_RIGHTS, gettid and perf_event_open from the C library
        // (Glibc's Swift module omits them): a module map over system headers, no package.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "Platform", dependencies: ["CEpoll"]),
        .target(name: "LocalHTTP", dependencies: ["Platform", "CEpoll"]),
        .target(name: "Workloads", dependencies: ["Platform", "LocalHTTP"]),
        // The server models of `bench experiment servers` and their load generator: a target of
        // their own because they are neither workloads (tasks with checksums) nor the pool's
        // models; Foundation-free, since bench-worker runs them and the prefork ones fork.
        .target(name: "Servers", dependencies: ["Platform", "CEpoll", "LocalHTTP", "Workloads"]),
        // The distributed model's worker side and its Redis broker protocol: bench-worker's
        // `--broker` and `broker-guard` roles, and the client the parent side (Harness) uses.
        // Not named Distributed: the toolchain has a module of that name (distributed actors).
        .target(name: "Broker", dependencies: ["Platform", "Workloads"]),
        // Servers and Broker for bench-worker's `server`, `--broker` and `broker-guard` roles (WorkerMain).
        .target(name: "Engine", dependencies: ["Platform", "CEpoll", "Workloads", "Servers", "Broker"]),
        .target(name: "Harness", dependencies: ["Platform", "Workloads", "Engine", "Broker"]),
        // The named reproductions of the seeds' claims (`bench experiment NAME`), each
        // in its folder, over the same invocations, run folders and claims as `bench run`.
        .target(name: "Experiments", dependencies: ["Platform", "LocalHTTP", "Workloads", "Engine", "Servers", "Harness"]),
        .target(name: "URLSessionPlugin"),
        .executableTarget(
            name: "BenchWorker", dependencies: ["Engine"],
            // A fully static executable: no dynamic loader, no relocations of libswiftCore,
            // libstdc++ and libdispatch at start. Measured here: 0.5 ms to spawn and exit,
            // as /bin/true, against 1.2 ms with -static-stdlib and 4.7 ms dynamic. lld
            // links it without the GNU linkers' warning about dlopen in static programs
            // (bench-worker never calls dlopen: the URLSession plugin is bench's alone).
            linkerSettings: [.unsafeFlags(["-static-executable", "-use-ld=lld"])]),
        // The command line, Sources/Bench/CLI, with BenchMain, the entry point of bench and of
        // programs built on it; main.swift, beside it, is the bench executable's own target.
        .target(name: "Bench", dependencies: ["Platform", "LocalHTTP", "Workloads", "Engine", "Harness", "Experiments"], path: "Sources/Bench/CLI"),
        // Depends on BenchWorker so that `swift run bench` builds the worker beside it.
        .executableTarget(name: "BenchExecutable", dependencies: ["Bench", "BenchWorker"], path: "Sources/Bench", exclude: ["CLI"]),
        .target(name: "TestSupport", dependencies: ["Platform", "LocalHTTP", "Harness"], path: "Tests/TestSupport"),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "CEpoll"]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "LocalHTTP", "Platform", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Broker", "Workloads", "LocalHTTP", "Platform", "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Experiments", "Broker", "Engine", "Workloads", "Platform", "TestSupport"]),
        // Runs the built bench and bench-worker binaries as a user would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["BenchExecutable", "Bench", "Experiments", "Harness", "Engine", "Broker", "Servers", "Workloads", "LocalHTTP", "Platform", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
