"""python-thread: `threads` threading.Threads over one queue.Queue of all
tasks (get_nowait until queue.Empty, as in the tutorials)."""

import queue
import threading
import time

from bench.measurement import timeout_failure
from bench.models.model import Model
from bench.process import usage_delta, usage_now
from bench.tasks import collect, team_member


def run(spec, workload, timing, deadline, m):
    results = [None] * spec.tasks
    count = spec.threads
    finished = [None] * count
    tasks = queue.Queue()
    gate = threading.Event()
    m.span_start = start = time.perf_counter()
    before = usage_now()
    team = [threading.Thread(target=team_member, args=(workload, j, tasks, results, 0, timing, gate, finished))
            for j in range(count)]
    for thread in team:
        thread.daemon = True  # a hung task must not keep the process alive after a timeout
        thread.start()  # returns once the thread runs (it then waits at the gate)
    ready = time.perf_counter()
    for t in range(spec.tasks):
        tasks.put(t)
    gate.set()
    for thread in team:
        thread.join(max(0.0, deadline - time.perf_counter()))
        if thread.is_alive():
            raise timeout_failure(spec, results)
    after = usage_now()
    end = max(entry[2] for entry in finished)
    spans = collect(finished, timing, m.failures)
    m.wall, m.setup = end - start, ready - start
    m.usage = usage_delta(before, after)
    m.results, m.spans = results, spans


MODEL = Model(run, needs=("threads",))
