#!/usr/bin/env python3
"""bench's Pool probe: the seed's multiprocessing.Pool call styles measured
in CPython, for `bench experiment pool-calls`. Standard library only;
CPython 3.8 or newer.

    python3 -S seed_pool_calls.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [{...}, ...], "python": "3.11.7", "start_method": "fork"}`,
1 with `{"error": "what — how to fix"}`.

SPEC_JSON: {"style": "imap", "chunksize": 16, "tasks": 2000, "iterations": 2800,
"expected": "0x...", "workers": 2, "samples": 5, "delay_ms": 2,
"timeout_s": 120, "parent_pid": 1234}

- style: how the tasks are handed to a Pool(workers):
    apply           pool.apply(task, (t,)) in a loop (blocks for each)
    apply_async     pool.apply_async(task, (t,)) for every t, then each .get()
    map, imap, imap_unordered   at `chunksize`, over range(tasks)
    map-lazy, imap-lazy  map / imap at `chunksize` over a generator that
                    makes one item every `delay_ms` (an input still being
                    produced): first_result_s is the time to the first result
    calibrate       no Pool: the cost of one xor iteration here
                    (ns_per_iteration) and of a task of 0 iterations (task_ns)
    pool-queue      the seed's rule (004): a multiprocessing.Queue passed to
                    a Pool task raises (mp_queue_raises = 1), a
                    Manager().Queue() works (manager_queue_works = 1: 2 tasks
                    put 10 items each, every one received once)
- a task: t -> (t, xor(t)), the xor of bench's xor workload with `iterations`
  steps (bench_xor_chain); the checksum of every (t, result) must be
  `expected` (bench computes it in Swift), or the sample fails.

The Pool is created and warmed (every process has run a task) before the
span and closed after it. Per sample: wall_s (the span: from the first call
to the last result), us_per_task, tasks_per_s, and first_result_s for the
lazy styles. A pool process that dies (Pool would wait forever for its
task), or the timeout, fails the probe with one line.
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import os  # noqa: E402
import sys  # noqa: E402

from bench.checksum import hex64, mix, term  # noqa: E402
from bench.failure import Failure  # noqa: E402
from bench.fields import json_object  # noqa: E402
from bench.probe import Parties, Spec, child_setup, main_of, probe_choice, probe_common, probe_integer  # noqa: E402
from bench.reaping import stop_pool  # noqa: E402
from bench.workloads.xor import xor_chain  # noqa: E402

STYLES = ("apply", "apply_async", "map", "imap", "imap_unordered", "map-lazy", "imap-lazy", "calibrate", "pool-queue")
SPEC_KEYS = ("style", "chunksize", "tasks", "iterations", "expected", "workers", "samples", "delay_ms", "timeout_s", "parent_pid")

_ITERATIONS = [0]


def init(parent_pid, iterations):
    child_setup(parent_pid)
    _ITERATIONS[0] = iterations


def task(t):
    return t, xor_chain(mix(t), _ITERATIONS[0])


def noop(t):
    return t


def put_items(queue, first, count):
    for item in range(first, first + count):
        queue.put(item)
    return count


def checked(spec, pairs):
    total = 0
    for t, result in pairs:
        total += term(t, result)
    if len(pairs) != spec.tasks or hex64(total) != spec.expected:
        raise Failure("the Pool returned %d results with checksum %s, expected %d with %s: tasks were lost, repeated "
                             "or changed" % (len(pairs), hex64(total), spec.tasks, spec.expected),
                             "this is a bug in the probe or the Pool")


def lazy_input(count, delay):
    for t in range(count):
        time.sleep(delay)
        yield t


def call_styles(spec, pool):
    """One sample's span of `spec.style` on a warm pool: (pairs, first result's time, start, end)."""
    n, c = spec.tasks, spec.chunksize
    first = None
    start = time.perf_counter()
    if spec.style == "apply":
        pairs = [pool.apply(task, (t,)) for t in range(n)]
    elif spec.style == "apply_async":
        handles = [pool.apply_async(task, (t,)) for t in range(n)]
        pairs = [handle.get() for handle in handles]
    elif spec.style == "map":
        pairs = pool.map(task, range(n), c)
    elif spec.style == "imap":
        pairs = list(pool.imap(task, range(n), c))
    elif spec.style == "imap_unordered":
        pairs = list(pool.imap_unordered(task, range(n), c))
    elif spec.style == "map-lazy":
        pairs = pool.map(task, lazy_input(n, spec.delay_ms / 1000.0), c)
        first = time.perf_counter()
    else:  # imap-lazy
        pairs = []
        for pair in pool.imap(task, lazy_input(n, spec.delay_ms / 1000.0), c):
            if first is None:
                first = time.perf_counter()
            pairs.append(pair)
    end = time.perf_counter()
    return pairs, first, start, end


def pool_sample(spec, context, reporter, deadline):
    pool = context.Pool(spec.workers, initializer=init, initargs=(os.getpid(), spec.iterations))
    parties = Parties(reporter, deadline)
    try:
        # Warm: every process has started and run a task before the span.
        pool.map(noop, range(spec.workers * 4), 1)
        for index, process in enumerate(pool._pool):
            parties.add("pool process %d" % (index + 1), process)
        parties.start()
        pairs, first, start, end = call_styles(spec, pool)
        parties.stop()
        checked(spec, pairs)
        sample = {"wall_s": end - start, "us_per_task": (end - start) * 1e6 / spec.tasks, "tasks_per_s": spec.tasks / (end - start)}
        if first is not None:
            sample["first_result_s"] = first - start
        close(pool)
        pool = None
        return sample
    finally:
        parties.stop()
        if pool is not None:
            stop_pool(pool)


def close(pool):
    """A pool whose work is done: its processes leave on close's sentinel
    (terminate() would wait on processes that ignore SIGTERM)."""
    pool.close()
    pool.join()


def calibrate():
    """ns per xor iteration, and the cost of a task of no iterations (the call and the mix)."""
    def best(iterations, repeat):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            xor_chain(mix(1), iterations)
            times.append(time.perf_counter() - start)
        return min(times)
    empty = best(0, 2000)
    long = best(200000, 5)
    return {"ns_per_iteration": (long - empty) * 1e9 / 200000, "task_ns": empty * 1e9}


def pool_queue(context):
    """The seed's rule, as behaviour: a Queue passed to a Pool task raises, a Manager().Queue() works."""
    raises = 0
    pool = context.Pool(2, initializer=init, initargs=(os.getpid(), 0))
    try:
        try:
            pool.apply_async(put_items, (context.Queue(), 0, 1)).get(30)
        except RuntimeError:  # "Queue objects should only be shared between processes through inheritance"
            raises = 1
        from multiprocessing.managers import SyncManager
        manager = SyncManager(ctx=context)
        manager.start(child_setup, (os.getpid(),))
        try:
            queue = manager.Queue()
            handles = [pool.apply_async(put_items, (queue, first, 10)) for first in (0, 10)]
            put = sum(handle.get(30) for handle in handles)
            received = sorted(queue.get(timeout=30) for _ in range(put))
            works = 1 if received == list(range(20)) and queue.empty() else 0
        finally:
            manager.shutdown()
        close(pool)
        pool = None
    finally:
        if pool is not None:
            stop_pool(pool)
    return {"mp_queue_raises": raises, "manager_queue_works": works}


def measure(spec, reporter, deadline):
    import multiprocessing
    context = multiprocessing.get_context()
    samples = []
    for _ in range(spec.samples):
        if spec.style == "calibrate":
            samples.append(calibrate())
        elif spec.style == "pool-queue":
            samples.append(pool_queue(context))
        else:
            samples.append(pool_sample(spec, context, reporter, deadline))
    return {"samples": samples, "start_method": context.get_start_method()}


def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.style = probe_choice(raw, "style", STYLES)
    probe_common(spec, raw)
    if spec.style in ("calibrate", "pool-queue"):
        return spec
    spec.chunksize = probe_integer(raw, "chunksize", 1, 1)
    spec.tasks = probe_integer(raw, "tasks", 1)
    spec.iterations = probe_integer(raw, "iterations", 0)
    spec.workers = probe_integer(raw, "workers", 1, 2)
    spec.delay_ms = probe_integer(raw, "delay_ms", 0, 2)
    spec.expected = raw.get("expected")
    if not isinstance(spec.expected, str) or not spec.expected.startswith("0x"):
        raise Failure("expected must be the checksum as 0x and 16 hex digits", "fix the spec's expected")
    return spec


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
