"""The parties of one sample of the shared-state probes (python/seed_locks.py,
python/seed_sharing.py): threads or processes, started first, each parked at
a gate until all are, then released at once. The span runs from the gate's
opening to the last party's end (time.monotonic, CLOCK_MONOTONIC, the same
clock in every process), so it holds their work and none of their starting;
the CPU is this process's over it plus each process party's own."""

import os
import threading
import time

from bench.failure import Failure
from bench.probe import Parties, child_setup, own_cpu


class Span:
    """A sample's span in seconds, and the CPU seconds of every party over it."""

    def __init__(self, seconds, cpu):
        self.seconds = seconds
        self.cpu = cpu


def run_threads(count, body):
    """body(index) on `count` threads at once; their Span."""
    ready = threading.Semaphore(0)
    gate = threading.Event()
    ends = [0.0] * count

    def party(index):
        ready.release()
        gate.wait()
        body(index)
        ends[index] = time.monotonic()

    threads = [threading.Thread(target=party, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for _ in range(count):
        ready.acquire()
    before = own_cpu()
    start = time.monotonic()
    gate.set()
    for thread in threads:
        thread.join()
    return Span(max(ends) - start, own_cpu() - before)


def process_party(parent_pid, index, ready, gate, ends, cpus, target, args):
    """What each process party runs (module level, for every start method):
    ready, the gate, target(index, *args), then its end time and CPU."""
    child_setup(parent_pid)
    ready.release()
    gate.wait()
    before = own_cpu()
    target(index, *args)
    cpus[index] = own_cpu() - before
    ends[index] = time.monotonic()


def run_processes(context, count, target, args, reporter, deadline, role):
    """target(index, *args) in `count` processes of `context` at once (a
    module-level function, for spawn); their Span. A party that dies, or
    the deadline, fails the probe with one line naming `role`."""
    ready = context.Semaphore(0)
    gate = context.Event()
    ends = context.RawArray("d", count)
    cpus = context.RawArray("d", count)
    processes = [context.Process(target=process_party, args=(os.getpid(), index, ready, gate, ends, cpus, target, args),
                                 daemon=True) for index in range(count)]
    watch = Parties(reporter, deadline)
    for index, process in enumerate(processes):
        process.start()
        watch.add("%s %d" % (role, index + 1), process)
    watch.start()
    try:
        for _ in range(count):
            acquire(ready, deadline, "the parties (%s) to start" % role)
        before = own_cpu()
        start = time.monotonic()
        gate.set()
        for process in processes:
            process.join(max(0.0, deadline - time.perf_counter()))
            # The watcher thread polls every party too, and Popen.poll is not
            # thread-safe: when the watcher's waitpid reaps a party first, this
            # join's waitpid fails with ECHILD and the exit code stays unknown
            # until the watcher records it (seen at 64 mp-lock processes).
            while process.exitcode is None and time.perf_counter() < deadline:
                time.sleep(0.001)
            if process.exitcode is None:
                raise Failure("a party (%s) did not finish by timeout_s" % role, "raise --timeout, or lower the counts")
        return Span(max(ends) - start, own_cpu() - before + sum(cpus))
    finally:
        watch.stop()


def acquire(semaphore, deadline, what):
    """semaphore.acquire() by `deadline` (perf_counter), else a Failure."""
    if not semaphore.acquire(timeout=max(0.001, deadline - time.perf_counter())):
        raise Failure("timed out waiting for %s" % what, "raise --timeout, or lower the counts")


def run_loop(coroutine):
    """Runs `coroutine` on a new event loop, closed afterwards."""
    import asyncio
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()
