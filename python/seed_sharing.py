#!/usr/bin/env python3
"""bench's sharing probe: a counter shared (or not) by threads, tasks and
processes, and seed 002's threading.local, measured in CPython for `bench
experiment sharing`. Standard library only; CPython 3.8 or newer.

    python3 -S seed_sharing.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [{...}, ...], "python": "3.11.7", "start_method": "fork"}`,
1 with `{"error": "what — how to fix"}`.

SPEC_JSON: {"kind": "counter", "subject": "threads-lock", "workers": 4,
"count": 50000, "samples": 5, "timeout_s": 120, "parent_pid": 1234}

- kind "counter": `workers` parties each add one to a counter `count`
  times; the final count against workers x count:
    threads-plus-equals     threads, `COUNTER += 1` on a global, no lock
    threads-read-call-write threads, `COUNTER = bump(COUNTER)`, no lock: a
                            call between the read and the write
    threads-lock            threads, the += under a threading.Lock
    itertools-count         threads, next() on one itertools.count (atomic under the GIL)
    asyncio-no-lock         tasks, `COUNTER += 1` (a yield every 100, outside it)
    asyncio-await-no-lock   tasks, read, `await asyncio.sleep(0)`, write
    processes-own-copy      processes (the default start method), each its
                            own COUNTER: the parent's is still 0 afterwards
    mp-value-no-lock        processes, `value.value += 1` on a multiprocessing.Value
                            without get_lock(): its lock guards the get and
                            the set apart, not the two together
    mp-value-lock           the same under value.get_lock()
    manager-value           processes, a Manager().Value under a Manager().Lock()
    shared-memory           processes, 8 bytes of shared_memory.SharedMemory
                            under a multiprocessing.Lock
  Per sample: wall_ms, ns_per_increment (the span / (workers x count)),
  final_count, expected_count, and lost_updates and lost_fraction, or for
  processes-own-copy parent_count and copies_exact (1 when every process
  counted `count` in its own copy).
- kind "local": seed 002's threading.local: `workers` threads each set
  their own value (the seed's url) once, then call worker() `count` times,
  which gets the value: argument (passed down), threading-local
  (local_variable.url), locked-dict (a global dict keyed by thread under a
  threading.Lock). Per sample: ns_per_access and foreign_reads (values of
  another thread seen: 0 when each sees only its own).

Parties start before the span and wait at a gate (bench/parties.py). A
party that dies, or the timeout, fails the probe with one line naming it.
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import itertools  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from bench.fields import json_object  # noqa: E402
from bench.parties import Span, run_loop, run_processes, run_threads  # noqa: E402
from bench.probe import Spec, main_of, probe_common, probe_integer, probe_kind_subject  # noqa: E402

SUBJECTS = {
    "counter": ("threads-plus-equals", "threads-read-call-write", "threads-lock", "itertools-count", "asyncio-no-lock",
                "asyncio-await-no-lock", "processes-own-copy", "mp-value-no-lock", "mp-value-lock", "manager-value",
                "shared-memory"),
    "local": ("argument", "threading-local", "locked-dict"),
}
SPEC_KEYS = ("kind", "subject", "workers", "count", "samples", "timeout_s", "parent_pid")

COUNTER = 0  # the seed's global variable


# ---------------------------------------------------------------------------
# Threads and tasks
# ---------------------------------------------------------------------------

def bump(value):
    return value + 1


def thread_counter_sample(spec):
    global COUNTER
    COUNTER = 0
    count = spec.count
    subject = spec.subject
    lock = threading.Lock()
    counter = itertools.count()

    def plus_equals(_):
        global COUNTER
        for _ in range(count):
            COUNTER += 1

    def read_call_write(_):
        global COUNTER
        for _ in range(count):
            COUNTER = bump(COUNTER)

    def locked(_):
        global COUNTER
        for _ in range(count):
            with lock:
                COUNTER += 1

    def atomic(_):
        take = counter.__next__
        for _ in range(count):
            take()
    body = {"threads-plus-equals": plus_equals, "threads-read-call-write": read_call_write, "threads-lock": locked,
            "itertools-count": atomic}[subject]
    span = run_threads(spec.workers, body)
    return span, next(counter) if subject == "itertools-count" else COUNTER


def asyncio_counter_sample(spec):
    import asyncio
    awaits = spec.subject == "asyncio-await-no-lock"

    async def main():
        global COUNTER
        COUNTER = 0

        async def party():
            global COUNTER
            for index in range(spec.count):
                if awaits:
                    value = COUNTER
                    await asyncio.sleep(0)
                    COUNTER = value + 1
                else:
                    COUNTER += 1
                    if index % 100 == 99:
                        await asyncio.sleep(0)
        parties = [party() for _ in range(spec.workers)]
        start = time.monotonic()
        await asyncio.gather(*parties)
        return Span(time.monotonic() - start, 0.0), COUNTER
    return run_loop(main())


# ---------------------------------------------------------------------------
# Processes (module-level parties, for every start method)
# ---------------------------------------------------------------------------

def own_copy_party(index, counts, count):
    global COUNTER
    for _ in range(count):
        COUNTER += 1
    counts[index] = COUNTER


def value_party(_, value, count, locked):
    if locked:
        for _ in range(count):
            with value.get_lock():
                value.value += 1
    else:
        for _ in range(count):
            value.value += 1


def manager_party(_, value, lock, count):
    for _ in range(count):
        with lock:
            value.value += 1


def shared_memory_party(_, name, lock, count):
    from multiprocessing import shared_memory
    memory = shared_memory.SharedMemory(name=name)
    words = memory.buf.cast("q")
    try:
        for _ in range(count):
            with lock:
                words[0] += 1
    finally:
        words.release()
        memory.close()


def process_counter_sample(spec, reporter, deadline, context):
    role = "the counting process"
    subject = spec.subject
    if subject == "processes-own-copy":
        counts = context.RawArray("q", spec.workers)
        span = run_processes(context, spec.workers, own_copy_party, (counts, spec.count), reporter, deadline, role)
        return span, COUNTER, list(counts)
    if subject in ("mp-value-no-lock", "mp-value-lock"):
        value = context.Value("q", 0)
        span = run_processes(context, spec.workers, value_party, (value, spec.count, subject == "mp-value-lock"), reporter,
                             deadline, role)
        return span, value.value, None
    if subject == "manager-value":
        manager = context.Manager()
        try:
            value = manager.Value("q", 0)
            span = run_processes(context, spec.workers, manager_party, (value, manager.Lock(), spec.count), reporter,
                                 deadline, role)
            return span, value.value, None
        finally:
            manager.shutdown()
    from multiprocessing import shared_memory
    memory = shared_memory.SharedMemory(create=True, size=8)
    try:
        words = memory.buf.cast("q")
        words[0] = 0
        span = run_processes(context, spec.workers, shared_memory_party, (memory.name, context.Lock(), spec.count), reporter,
                             deadline, role)
        final = words[0]
        words.release()
        return span, final, None
    finally:
        memory.close()
        memory.unlink()


def counter_values(spec, span, final, copies):
    expected = spec.workers * spec.count
    values = {"wall_ms": span.seconds * 1e3, "ns_per_increment": span.seconds * 1e9 / expected, "final_count": final,
              "expected_count": expected}
    if copies is not None:
        values["parent_count"] = final
        values["copies_exact"] = 1 if len(copies) == spec.workers and all(c == spec.count for c in copies) else 0
    else:
        values["lost_updates"] = expected - final
        values["lost_fraction"] = (expected - final) / float(expected)
    return values


# ---------------------------------------------------------------------------
# threading.local (seed 002)
# ---------------------------------------------------------------------------

local_variable = threading.local()


def worker_taking_argument(url):
    return url


def worker_reading_local():
    return local_variable.url


def local_sample(spec):
    count = spec.count
    table = {}
    table_lock = threading.Lock()
    foreign = [0] * spec.workers

    def worker_reading_table():
        with table_lock:
            return table[threading.get_ident()]

    def party(index):
        url = 1000 + index
        wrong = 0
        if spec.subject == "argument":
            for _ in range(count):
                if worker_taking_argument(url) != url:
                    wrong += 1
        elif spec.subject == "threading-local":
            local_variable.url = url
            for _ in range(count):
                if worker_reading_local() != url:
                    wrong += 1
        else:
            with table_lock:
                table[threading.get_ident()] = url
            for _ in range(count):
                if worker_reading_table() != url:
                    wrong += 1
        foreign[index] = wrong
    span = run_threads(spec.workers, party)
    return {"ns_per_access": span.seconds * 1e9 / (spec.workers * count), "foreign_reads": sum(foreign)}


# ---------------------------------------------------------------------------
# The probe
# ---------------------------------------------------------------------------

def measure(spec, reporter, deadline):
    import multiprocessing
    context = multiprocessing.get_context()
    samples = []
    for _ in range(spec.samples):
        if spec.kind == "local":
            samples.append(local_sample(spec))
            continue
        copies = None
        if spec.subject.startswith("asyncio"):
            span, final = asyncio_counter_sample(spec)
        elif spec.subject.startswith("threads") or spec.subject == "itertools-count":
            span, final = thread_counter_sample(spec)
        else:
            span, final, copies = process_counter_sample(spec, reporter, deadline, context)
        samples.append(counter_values(spec, span, final, copies))
    return {"samples": samples, "start_method": context.get_start_method()}


def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.kind, spec.subject = probe_kind_subject(raw, SUBJECTS)
    spec.workers = probe_integer(raw, "workers", 1, 4)
    spec.count = probe_integer(raw, "count", 1, 10000)
    probe_common(spec, raw)
    return spec


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
