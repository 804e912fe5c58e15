#!/usr/bin/env python3
"""bench's locks probe: what the seeds' Lock, Semaphore and Event cost in
CPython, measured for `bench experiment locks`. Standard library only;
CPython 3.8 or newer.

    python3 -S seed_locks.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [{...}, ...], "python": "3.11.7", "start_method": "fork"}`,
1 with `{"error": "what — how to fix"}`.

SPEC_JSON: {"kind": "lock", "subject": "mp-lock", "parties": 4, "millis": 100,
"samples": 5, "timeout_s": 120, "parent_pid": 1234}, and per kind:

- kind "lock": `parties` >= 1 parties each take the lock, add one to the
  global it guards and release it (lock.acquire() / lock.release(), as seed
  001 writes them), over and over for `millis` ms (a look at the clock every
  64 acquisitions):
    threading-lock    threading.Lock, threads
    threading-rlock   threading.RLock, threads
    mp-lock           multiprocessing.Lock, processes (the default start
                      method), the counter a multiprocessing.RawValue
    asyncio-lock      asyncio.Lock, tasks; the section does not await, so a
                      task never finds the lock taken: its fast path
    asyncio-lock-await  the same with one `await asyncio.sleep(0)` inside
                      the section, where an asyncio.Lock is contended
  Per sample: ns_per_acquire (the span / every acquisition made),
  cpu_ns_per_acquire (every party's CPU over the span, likewise),
  acquisitions, and lost_updates (acquisitions - the final count: 0 when
  the lock excluded).
- kind "hold": the seed's Semaphore program (001): `workers` parties (5)
  each take a semaphore of `limit` (2), hold it `hold_ms` (sleeping) and
  release it: threading-semaphore (threads), mp-semaphore
  (multiprocessing.Semaphore, processes), asyncio-semaphore (tasks). Per
  sample: wall_ms (from their common start to the last release),
  seed_ratio (wall / (ceil(workers / limit) x hold), the seed's arithmetic)
  and most_inside (the most parties inside the section at once).
- kind "event": `rounds` times, once the waiter is parked on the Event
  and `pause_us` more, the setter sets it; the time from set() to the
  waiter running again: threading-event (a thread), mp-event
  (multiprocessing.Event, a process), asyncio-event (a task). Per sample:
  wake_p50_us, wake_p99_us (type 7 quantiles of the rounds).

Parties start before the span and wait at a gate (bench/parties.py). A
party that dies, or the timeout, fails the probe with one line naming it.
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from bench.fields import json_object  # noqa: E402
from bench.measurement import quantile  # noqa: E402
from bench.parties import Span, acquire, run_loop, run_processes, run_threads  # noqa: E402
from bench.probe import Parties, Spec, child_setup, main_of, own_cpu, probe_common, probe_integer, probe_kind_subject  # noqa: E402

SUBJECTS = {
    "lock": ("threading-lock", "threading-rlock", "mp-lock", "asyncio-lock", "asyncio-lock-await"),
    "hold": ("threading-semaphore", "mp-semaphore", "asyncio-semaphore"),
    "event": ("threading-event", "mp-event", "asyncio-event"),
}
SPEC_KEYS = ("kind", "subject", "parties", "millis", "workers", "limit", "hold_ms", "rounds", "pause_us",
             "samples", "timeout_s", "parent_pid")

COUNTER = 0  # the global the threads' lock guards, as a seed program's
BATCH = 64  # acquisitions between two looks at the clock


# ---------------------------------------------------------------------------
# Locks
# ---------------------------------------------------------------------------

def thread_lock_sample(spec):
    global COUNTER
    COUNTER = 0
    lock = threading.Lock() if spec.subject == "threading-lock" else threading.RLock()
    made = [0] * spec.parties

    def party(index):
        global COUNTER
        acquire_lock, release_lock = lock.acquire, lock.release
        deadline = time.monotonic() + spec.millis / 1000.0
        batches = 0
        while True:
            for _ in range(BATCH):
                acquire_lock()
                COUNTER += 1
                release_lock()
            batches += 1
            if time.monotonic() >= deadline:
                break
        made[index] = batches * BATCH
    span = run_threads(spec.parties, party)
    return span, sum(made), COUNTER


def mp_lock_party(index, lock, counter, made, millis):
    acquire_lock, release_lock = lock.acquire, lock.release
    deadline = time.monotonic() + millis / 1000.0
    batches = 0
    while True:
        for _ in range(BATCH):
            acquire_lock()
            counter.value += 1
            release_lock()
        batches += 1
        if time.monotonic() >= deadline:
            break
    made[index] = batches * BATCH


def mp_lock_sample(spec, reporter, deadline, context):
    lock = context.Lock()
    counter = context.RawValue("q", 0)
    made = context.RawArray("q", spec.parties)
    span = run_processes(context, spec.parties, mp_lock_party, (lock, counter, made, spec.millis), reporter, deadline,
                         "the lock's process")
    return span, sum(made), counter.value


def asyncio_lock_sample(spec):
    import asyncio
    awaits = spec.subject == "asyncio-lock-await"

    async def main():
        lock = asyncio.Lock()
        box = [0]
        end = time.monotonic() + spec.millis / 1000.0

        async def party():
            batches = 0
            while True:
                for _ in range(BATCH):
                    async with lock:
                        value = box[0]
                        if awaits:
                            await asyncio.sleep(0)
                        box[0] = value + 1
                batches += 1
                if time.monotonic() >= end:
                    return batches * BATCH
        parties = [party() for _ in range(spec.parties)]
        before = own_cpu()
        start = time.monotonic()
        made = await asyncio.gather(*parties)
        return Span(time.monotonic() - start, own_cpu() - before), sum(made), box[0]
    return run_loop(main())


def lock_values(span, made, counted):
    return {"ns_per_acquire": span.seconds * 1e9 / made, "cpu_ns_per_acquire": span.cpu * 1e9 / made,
            "acquisitions": made, "lost_updates": made - counted}


# ---------------------------------------------------------------------------
# Semaphore(limit), held by `workers` parties
# ---------------------------------------------------------------------------

class Inside:
    """How many parties are inside the section now, and the most at once (threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def enter(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def leave(self):
        with self.lock:
            self.now -= 1


def thread_hold_sample(spec):
    semaphore = threading.Semaphore(spec.limit)
    inside = Inside()

    def party(_):
        semaphore.acquire()
        inside.enter()
        time.sleep(spec.hold_ms / 1000.0)
        inside.leave()
        semaphore.release()
    return run_threads(spec.workers, party), inside.most


def mp_hold_party(_, semaphore, inside, most, hold_ms):
    # The seed's worker (001), its prints left out: acquire, sleep, release.
    semaphore.acquire()
    with inside.get_lock():
        inside.value += 1
        most.value = max(most.value, inside.value)
    time.sleep(hold_ms / 1000.0)
    with inside.get_lock():
        inside.value -= 1
    semaphore.release()


def mp_hold_sample(spec, reporter, deadline, context):
    semaphore = context.Semaphore(spec.limit)
    inside = context.Value("i", 0)
    most = context.RawValue("i", 0)
    span = run_processes(context, spec.workers, mp_hold_party, (semaphore, inside, most, spec.hold_ms), reporter, deadline,
                         "the semaphore's process")
    return span, most.value


def asyncio_hold_sample(spec):
    import asyncio

    async def main():
        semaphore = asyncio.Semaphore(spec.limit)
        inside = Inside()

        async def party():
            async with semaphore:
                inside.enter()
                await asyncio.sleep(spec.hold_ms / 1000.0)
                inside.leave()
        parties = [party() for _ in range(spec.workers)]
        start = time.monotonic()
        await asyncio.gather(*parties)
        return Span(time.monotonic() - start, 0.0), inside.most
    return run_loop(main())


def hold_values(spec, span, most):
    batches = -(-spec.workers // spec.limit)
    return {"wall_ms": span.seconds * 1000.0, "seed_ratio": span.seconds * 1000.0 / (batches * spec.hold_ms),
            "most_inside": most}


# ---------------------------------------------------------------------------
# Event wake-ups
# ---------------------------------------------------------------------------

def thread_event_sample(spec):
    event = threading.Event()
    ready = threading.Semaphore(0)
    woken = threading.Semaphore(0)
    woke = [0.0]

    def waiter():
        for _ in range(spec.rounds):
            ready.release()
            event.wait()
            woke[0] = time.monotonic()
            event.clear()
            woken.release()
    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    latencies = []
    for _ in range(spec.rounds):
        ready.acquire()
        time.sleep(spec.pause_us / 1e6)
        set_at = time.monotonic()
        event.set()
        woken.acquire()
        latencies.append(woke[0] - set_at)
    thread.join()
    return latencies


def mp_event_waiter(parent_pid, event, ready, woken, woke, rounds):
    child_setup(parent_pid)
    for _ in range(rounds):
        ready.release()
        event.wait()
        woke.value = time.monotonic()
        event.clear()
        woken.release()


def mp_event_sample(spec, reporter, deadline, context):
    event = context.Event()
    ready = context.Semaphore(0)
    woken = context.Semaphore(0)
    woke = context.RawValue("d", 0.0)
    process = context.Process(target=mp_event_waiter, args=(os.getpid(), event, ready, woken, woke, spec.rounds), daemon=True)
    process.start()
    watch = Parties(reporter, deadline)
    watch.add("the event's waiting process", process)
    watch.start()
    latencies = []
    try:
        for _ in range(spec.rounds):
            acquire(ready, deadline, "the waiting process")
            time.sleep(spec.pause_us / 1e6)
            set_at = time.monotonic()
            event.set()
            acquire(woken, deadline, "the waiting process to wake")
            latencies.append(woke.value - set_at)
        process.join(max(0.0, deadline - time.perf_counter()))
    finally:
        watch.stop()
    return latencies


def asyncio_event_sample(spec):
    import asyncio

    async def main():
        event = asyncio.Event()
        woken = asyncio.Event()
        woke = [0.0]

        async def waiter():
            for _ in range(spec.rounds):
                await event.wait()
                woke[0] = time.monotonic()
                event.clear()
                woken.set()
        task = asyncio.ensure_future(waiter())
        latencies = []
        for _ in range(spec.rounds):
            # The waiter runs up to its wait, then the pause: it is parked on the event.
            await asyncio.sleep(spec.pause_us / 1e6)
            set_at = time.monotonic()
            event.set()
            await woken.wait()
            woken.clear()
            latencies.append(woke[0] - set_at)
        await task
        return latencies
    return run_loop(main())


def event_values(latencies):
    ordered = sorted(latencies)
    return {"wake_p50_us": quantile(ordered, 0.5) * 1e6, "wake_p99_us": quantile(ordered, 0.99) * 1e6}


# ---------------------------------------------------------------------------
# The probe
# ---------------------------------------------------------------------------

def measure(spec, reporter, deadline):
    import multiprocessing
    context = multiprocessing.get_context()
    samples = []
    for _ in range(spec.samples):
        subject = spec.subject
        if spec.kind == "lock":
            if subject == "mp-lock":
                span, made, counted = mp_lock_sample(spec, reporter, deadline, context)
            elif subject.startswith("asyncio"):
                span, made, counted = asyncio_lock_sample(spec)
            else:
                span, made, counted = thread_lock_sample(spec)
            samples.append(lock_values(span, made, counted))
        elif spec.kind == "hold":
            if subject == "mp-semaphore":
                span, most = mp_hold_sample(spec, reporter, deadline, context)
            elif subject == "asyncio-semaphore":
                span, most = asyncio_hold_sample(spec)
            else:
                span, most = thread_hold_sample(spec)
            samples.append(hold_values(spec, span, most))
        else:
            if subject == "mp-event":
                latencies = mp_event_sample(spec, reporter, deadline, context)
            elif subject == "asyncio-event":
                latencies = asyncio_event_sample(spec)
            else:
                latencies = thread_event_sample(spec)
            samples.append(event_values(latencies))
    return {"samples": samples, "start_method": context.get_start_method()}


def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.kind, spec.subject = probe_kind_subject(raw, SUBJECTS)
    spec.parties = probe_integer(raw, "parties", 1, 1)
    spec.millis = probe_integer(raw, "millis", 1, 100)
    spec.workers = probe_integer(raw, "workers", 1, 5)
    spec.limit = probe_integer(raw, "limit", 1, 2)
    spec.hold_ms = probe_integer(raw, "hold_ms", 1, 50)
    spec.rounds = probe_integer(raw, "rounds", 1, 100)
    spec.pause_us = probe_integer(raw, "pause_us", 0, 500)
    probe_common(spec, raw)
    return spec


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
