"""python-async: one asyncio event loop, at most `in_flight` tasks in
flight: min(in_flight, tasks) coroutines ("slots") each take the next task
index."""

import time

from bench.failure import SampleTimeout
from bench.measurement import arm_alarm, disarm_alarm, timeout_failure
from bench.models.model import Model
from bench.process import usage_delta, usage_now
from bench.tasks import run_window


def run(spec, workload, timing, deadline, m):
    import asyncio
    loop = None
    results = [None] * spec.tasks
    arm_alarm(deadline)
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        loop = asyncio.new_event_loop()
        ready = time.perf_counter()
        spans, failures, end = loop.run_until_complete(
            run_window(workload, 0, spec.tasks, spec.in_flight, timing, results))
        after = usage_now()
    except SampleTimeout:
        raise timeout_failure(spec, results)
    finally:
        disarm_alarm()
    loop.close()
    m.wall, m.setup = end - start, ready - start
    m.usage = usage_delta(before, after)
    m.results, m.spans, m.failures = results, spans, failures


MODEL = Model(run, needs=("in_flight",), asynchronous=True)
