import Bench

// bench's command line with one more workload. This program is also its own
// pool worker: the process models start it again, and this same call makes
// it the worker then.
BenchMain.run(workloads: [SHA256Workload.declaration])
