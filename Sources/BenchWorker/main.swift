import Engine
import Glibc

// bench-worker: a pool worker, or one of the helper processes bench starts
// (see WorkerMain). Foundation-free and statically linked, so it starts in
// about the time /bin/true does.
exit(WorkerMain.run(Array(CommandLine.arguments.dropFirst())))
