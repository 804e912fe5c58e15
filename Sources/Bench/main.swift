import Bench

// The bench executable: the command line in Sources/Bench/CLI (the Bench
// library, which programs with workloads of their own call the same way).
BenchMain.run()
