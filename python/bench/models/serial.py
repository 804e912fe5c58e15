"""python-serial: the tasks in order on the main thread (the baseline of
every Python speedup)."""

import time

from bench.measurement import arm_alarm, disarm_alarm, timeout_failure
from bench.failure import SampleTimeout
from bench.models.model import Model
from bench.process import usage_delta, usage_now
from bench.tasks import drain_range


def run(spec, workload, timing, deadline, m):
    results = [None] * spec.tasks
    spans = [] if timing else None
    arm_alarm(deadline)
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        run_task, close = workload.session(0)
        drain_range(run_task, 0, spec.tasks, results, 0, spans, m.failures)
        close()
        workload.flush()
        end = time.perf_counter()
        after = usage_now()
    except SampleTimeout:
        raise timeout_failure(spec, results)
    finally:
        disarm_alarm()
    m.wall, m.setup = end - start, 0.0
    m.usage = usage_delta(before, after)
    m.results, m.spans = results, spans


MODEL = Model(run)
