"""Running tasks: one loop per task source, shared by the models. A failing
task is recorded as (task, description) and the others still run."""

import queue
import threading
import time

from bench.failure import describe


def drain_range(run, start, stop, results, base, spans, failures):
    if spans is None:
        for t in range(start, stop):
            try:
                results[t - base] = run(t)
            except Exception as error:
                failures.append((t, describe(error)))
    else:
        clock = time.perf_counter
        record = spans.extend
        for t in range(start, stop):
            try:
                begin = clock()
                results[t - base] = run(t)
                record((begin, clock()))
            except Exception as error:
                failures.append((t, describe(error)))


def drain_queue(run, tasks, results, base, spans, failures):
    get = tasks.get_nowait
    empty = queue.Empty
    clock = time.perf_counter
    while True:
        try:
            t = get()
        except empty:
            return
        try:
            if spans is None:
                results[t - base] = run(t)
            else:
                begin = clock()
                results[t - base] = run(t)
                spans.extend((begin, clock()))
        except Exception as error:
            failures.append((t, describe(error)))


def team_member(workload, number, tasks, results, base, timing, gate, finished):
    """Thread `number` of a team: takes tasks until the queue is empty.
    finished[number] = (spans, failures, time its last task was done)."""
    spans = [] if timing else None
    failures = []
    try:
        run, close = workload.session(number)
        if gate is not None:
            gate.wait()
        drain_queue(run, tasks, results, base, spans, failures)
        close()
        workload.flush()
    except Exception as error:  # outside any task: a bug, reported as a failure
        failures.append((-1, describe(error)))
    finished[number] = (spans, failures, time.perf_counter())


def run_team(workload, start, stop, threads, timing):
    """The tutorial's process body: fill a queue.Queue with the block, then
    start `threads` threads over it and join them (used by python-hybrid)."""
    tasks = queue.Queue()
    for t in range(start, stop):
        tasks.put(t)
    results = [None] * (stop - start)
    finished = [None] * threads
    team = [threading.Thread(target=team_member, args=(workload, j, tasks, results, start, timing, None, finished))
            for j in range(threads)]
    for thread in team:
        thread.start()
    for thread in team:
        thread.join()
    return results, finished


def collect(finished, timing, failures):
    """A team's task spans (None without timing), its failures appended to `failures`."""
    spans = [] if timing else None
    for part_spans, part_failures, _ in finished:
        if spans is not None:
            spans.extend(part_spans)
        failures.extend(part_failures)
    return spans


async def async_slot(arun, numbers, results, base, spans, failures):
    clock = time.perf_counter
    for t in numbers:  # one shared iterator: each slot takes the next index
        try:
            if spans is None:
                results[t - base] = await arun(t)
            else:
                begin = clock()
                results[t - base] = await arun(t)
                spans.extend((begin, clock()))  # no await between: the pair stays whole
        except Exception as error:
            failures.append((t, describe(error)))


async def run_window(workload, start, stop, in_flight, timing, results):
    """At most in_flight tasks of [start, stop) in flight on this event loop,
    results[t - start] filled in. Returns (spans, failures, time the
    last task was done)."""
    import asyncio
    spans = [] if timing else None
    failures = []
    numbers = iter(range(start, stop))
    sessions = [workload.async_session() for _ in range(max(1, min(in_flight, stop - start)))]
    await asyncio.gather(*[async_slot(arun, numbers, results, start, spans, failures)
                           for arun, _ in sessions])
    for _, aclose in sessions:
        try:
            await aclose()
        except Exception:
            pass
    workload.flush()
    return spans, failures, time.perf_counter()
