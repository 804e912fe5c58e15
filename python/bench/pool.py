"""The multiprocessing.Pool plumbing of the pool models (python-process-pool,
python-hybrid, python-process-async): each passes its Pool task function
and items to run_pool(). A Pool task replies
(start, results, spans or None, failures, pid, usage, VmHWM kB)."""

import gc
import os
import time

from bench.failure import Failure, describe
from bench.measurement import timeout_failure
from bench.process import die_with_driver, exit_description, ignore_stop_signals, memory_share_kb, peak_rss_kb, usage_now
from bench.reaping import reap_children, run_bounded, stop_helpers, stop_pool

# This process's state in a pool process: the workload, and whether to time tasks.
WORKER = {}

_START_METHOD_MODULES = {
    "fork": ["multiprocessing.popen_fork"],
    "spawn": ["multiprocessing.popen_spawn_posix", "multiprocessing.spawn", "multiprocessing.resource_tracker"],
    "forkserver": ["multiprocessing.popen_forkserver", "multiprocessing.forkserver",
                   "multiprocessing.resource_tracker"],
}


def modules(start_method):
    """What a Pool under `start_method` imports lazily: imported before the span."""
    return ["multiprocessing.pool", "multiprocessing.synchronize", "multiprocessing.queues",
            "multiprocessing.connection", "multiprocessing.util", "pickle"] + \
        _START_METHOD_MODULES.get(start_method, [])


def blocks(tasks, processes, width):
    """One even contiguous block per process, (start, stop, width): block i =
    [tasks*i//P, tasks*(i+1)//P), as the tutorial's producer(i) meant."""
    return [(tasks * i // processes, tasks * (i + 1) // processes, width) for i in range(processes)]


def pool_initializer(workload, timing, driver_pid, start_method, report_fd, uses_asyncio, started):
    # Counted first: Pool replaces a process that dies, and one that died
    # before the driver listed the pool's members would go unnoticed but
    # for the count passing the pool's size (see run_pool).
    with started.get_lock():  # [count, pid, pid, ...]
        count = started[0]
        if count + 1 < len(started):
            started[count + 1] = os.getpid()
        started[0] = count + 1
    die_with_driver(driver_pid)
    ignore_stop_signals()
    if start_method == "fork":
        try:
            os.close(report_fd)  # only the driver writes the report
        except OSError:
            pass
    if uses_asyncio:
        import asyncio  # noqa: F401
    for module in workload.modules(uses_asyncio):
        __import__(module)
    workload.setup_process()
    WORKER["workload"] = workload
    WORKER["timing"] = timing and workload.timed


def reply(start, results, spans, failures):
    """A Pool task's answer: its results and what this process has used so far
    (CPU, VmHWM kB, and (PSS, USS) kB or None)."""
    return (start, results, spans, failures, os.getpid(), usage_now(), peak_rss_kb(), memory_share_kb())


def run_pool(spec, workload, timing, deadline, m, function, items, uses_asyncio):
    """The driver's side of a pool model: Pool(spec.processes) inside the
    span, `function` over `items` (imap_unordered), every reply folded into
    `m`; a pool process that dies, or the deadline, fails the sample."""
    import multiprocessing
    context = multiprocessing.get_context(spec.start_method)
    processes = spec.processes
    n = spec.tasks
    # Pool processes that have run the initializer, and their pids (room for a few replacements).
    started = context.Array("i", 1 + 4 * processes)
    initargs = (workload, timing, os.getpid(), spec.start_method, spec.report_fd, uses_asyncio, started)
    results = [None] * n
    spans = [] if timing else None
    workers = {}  # pid -> (usage, VmHWM, (PSS, USS)) of its latest reply
    pool = None
    members = []
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        pool = context.Pool(processes, initializer=pool_initializer, initargs=initargs)
        ready = time.perf_counter()
        members = list(pool._pool)  # the Process objects: their exitcode tells a death
        replies = pool.imap_unordered(function, items)
        received = 0
        while received < len(items):
            try:
                answer = replies.next(0.05)
            except multiprocessing.TimeoutError:
                for member in members:
                    code = member.exitcode
                    if code is not None:
                        done = sum(1 for r in results if r is not None)
                        raise Failure(
                            "pool process %d %s with %d of %d tasks done"
                            % (member.pid, exit_description(code), done, n),
                            "a pool process must not exit or be killed during a sample; see its standard error")
                if started[0] > processes:
                    # Died before the driver listed the members, so Pool's replacement is listed instead.
                    done = sum(1 for r in results if r is not None)
                    alive = {p.pid for p in pool._pool}
                    gone = [pid for pid in started[1:started[0] + 1] if pid and pid not in alive]
                    raise Failure(
                        "pool process %s died and Pool started a replacement, with %d of %d tasks done"
                        % (", ".join(str(pid) for pid in gone) or "?", done, n),
                        "a pool process must not exit or be killed during a sample; see its standard error")
                if time.perf_counter() >= deadline:
                    raise timeout_failure(spec, results)
                continue
            if time.perf_counter() >= deadline:  # replies may keep coming past it
                raise timeout_failure(spec, results)
            received += 1
            if received == len(items):
                end = time.perf_counter()
                after = usage_now()
                # While the pool processes live: their PSS and the driver's divide the pages they share.
                m.own_share = memory_share_kb()
            first, part, part_spans, part_failures, pid, usage, peak, share = answer
            results[first:first + len(part)] = part
            if spans is not None and part_spans is not None:
                spans.extend(part_spans)
            m.failures.extend(part_failures)
            workers[pid] = (usage, peak, share)
    except Failure:
        stop_pool(pool)
        raise
    except Exception as error:  # e.g. a Pool task that raised outside any workload task
        stop_pool(pool)
        raise Failure("the pool failed: %s" % describe(error), "report a bug with the spec")
    m.wall, m.setup = end - start, ready - start
    m.count_usage(before, after, workers.values())
    m.results, m.spans = results, spans
    # After the span: close and join, then terminate() (on a joined pool it
    # only runs the Pool's finalizer, which holds its queues' semaphores);
    # dropping the last references lets spawn/forkserver semaphores be
    # unlinked before the resource tracker is stopped, so it has nothing
    # to warn about.
    pool.close()
    if run_bounded(pool.join, 10.0) and run_bounded(pool.terminate, 5.0):
        pool = replies = members = started = initargs = None
        gc.collect()
        stop_helpers()
        reap_children()
    else:
        stop_pool(pool)
