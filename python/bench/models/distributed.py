"""python-distributed: the tutorials' distributed master/worker (seeds 000,
002, 004), measured.

The seeds' program: a master registers a task_queue and a result_queue with
a multiprocessing.managers.BaseManager, listens with an authkey, puts tasks;
workers on other hosts connect with the same authkey, take tasks, put
results. This is that program, with bench's workloads and checksums instead
of squaring random numbers, so that it can stand beside bench's
`distributed` model:

    master  run() here, in the driver: starts the manager (its server
            process holds both queues), spawns the workers, puts one task
            per chunk, takes the results
    worker  python3 -S distributed_worker.py HOST PORT WORKLOAD PARAMS_JSON TASKS TIMING TIMEOUT_S
            the seeds' worker (worker_main here); the authkey comes from the
            environment (BENCH_DISTRIBUTED_AUTHKEY, hex), never from the
            command line

A task is (chunk, first, last): the chunk's task indices first..last-1; a
result is ("done", chunk, first, results, spans, failures, pid, usage,
VmHWM). A worker says ("ready", pid) once connected and its workload built,
and ends at a None task. `processes` workers take chunks of `chunksize`
tasks (null: the pool's default).

Timing, as the pools': the manager starts BEFORE the span, as bench's own
broker does (it is the queue's server, not the model's work); the span
starts before the first worker process is spawned; setup_s ends when every
worker said ready; the span ends when the last chunk's result is in. CPU
and peak memory: the master's own over the span, plus each worker's
cumulative getrusage and VmHWM at its last result (workers start inside the
span). The manager's server process is not counted, as bench's
redis-server is not.

Exactly once: a chunk's result is kept the first time it arrives; a
repeated one (none is expected: BaseManager's queue delivers each task once
and never again, so there is no redelivery either) would be dropped. A
worker that dies with tasks outstanding fails the sample, naming its pid.
"""

import os
import queue
import subprocess
import sys
import time
from multiprocessing.managers import BaseManager

from bench.failure import Failure
from bench.measurement import timeout_failure
from bench.models.model import Model
from bench.process import die_with_driver, die_with_parent, exit_description, ignore_stop_signals, peak_rss_kb, \
    usage_now
from bench.tasks import drain_range

AUTHKEY_VARIABLE = "BENCH_DISTRIBUTED_AUTHKEY"
# The worker program: python/distributed_worker.py, beside the package.
WORKER_PROGRAM = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "distributed_worker.py")

# The queues live in the manager's server process, as in the seeds.
_TASKS = queue.Queue()
_RESULTS = queue.Queue()


def get_task_queue():
    return _TASKS


def get_result_queue():
    return _RESULTS


class QueueManager(BaseManager):
    pass


# Module-level functions, not the seeds' lambdas: the spawn and forkserver
# start methods (Python 3.14's default) pickle them by name.
QueueManager.register("get_task_queue", callable=get_task_queue)
QueueManager.register("get_result_queue", callable=get_result_queue)


def _server_init(master_pid):
    die_with_driver(master_pid)
    ignore_stop_signals()


# ---------------------------------------------------------------------------
# The worker (the seeds' client)
# ---------------------------------------------------------------------------

def worker(host, port, workload_name, params_json, tasks, timing, timeout_s):
    import json
    from bench.workloads.registry import make_workload
    ignore_stop_signals()
    master = os.getppid()
    die_with_parent(master)
    key = bytes.fromhex(os.environ.get(AUTHKEY_VARIABLE, ""))
    manager = QueueManager(address=(host, int(port)), authkey=key)
    manager.connect()
    task = manager.get_task_queue()
    result = manager.get_result_queue()
    workload = make_workload(workload_name, json.loads(params_json), float(timeout_s))
    workload.prepare(int(tasks))
    workload.setup_process()
    run_task, close = workload.session(0)
    timed = timing == "1" and workload.timed
    pid = os.getpid()
    result.put(("ready", pid))
    while True:
        item = task.get()
        if item is None:
            break
        chunk, first, last = item
        results = [None] * (last - first)
        spans = [] if timed else None
        failures = []
        drain_range(run_task, first, last, results, first, spans, failures)
        workload.flush()
        result.put(("done", chunk, first, results, spans, failures, pid, usage_now(), peak_rss_kb()))
    close()
    workload.finish_process()
    return 0


def worker_main(argv):
    """distributed_worker.py's main: the worker, or usage and 64."""
    if len(argv) == 7:
        return worker(*argv)
    sys.stderr.write("usage: distributed_worker.py HOST PORT WORKLOAD PARAMS_JSON TASKS TIMING TIMEOUT_S "
                     "(with %s set; the master is bench_driver.py's python-distributed)\n" % AUTHKEY_VARIABLE)
    return 64


# ---------------------------------------------------------------------------
# The master, in the driver
# ---------------------------------------------------------------------------

def run(spec, workload, timing, deadline, m):
    import json
    workers_count = spec.processes
    n = spec.tasks
    size = spec.chunksize or -(-n // (4 * workers_count))  # Pool's default: ceil
    chunks = [(c, s, min(s + size, n)) for c, s in enumerate(range(0, n, size))]
    key = os.urandom(16)
    manager = QueueManager(address=("127.0.0.1", 0), authkey=key)
    manager.start(initializer=_server_init, initargs=(os.getpid(),))
    host, port = manager.address
    task = manager.get_task_queue()
    result = manager.get_result_queue()
    environment = dict(os.environ)
    environment[AUTHKEY_VARIABLE] = key.hex()
    command = [sys.executable, "-S", WORKER_PROGRAM, host, str(port), spec.workload,
               json.dumps(spec.params), str(n), "1" if timing else "0", repr(float(spec.timeout_s))]
    results = [None] * n
    spans = [] if timing else None
    seen = [False] * len(chunks)
    usages = {}  # pid -> (usage, VmHWM) at its latest result
    processes = []
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        for _ in range(workers_count):
            processes.append(subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, close_fds=True))
        ready = 0
        done = 0

        def receive():
            while True:
                try:
                    return result.get(timeout=0.05)
                except queue.Empty:
                    for process in processes:
                        code = process.poll()
                        if code is not None:
                            raise Failure(
                                "worker process %d %s with %d of %d tasks done"
                                % (process.pid, exit_description(code), done, n),
                                "a worker must not exit or be killed during a sample; see its standard error")
                    if time.perf_counter() >= deadline:
                        raise timeout_failure(spec, results)

        while ready < workers_count:
            if receive()[0] == "ready":
                ready += 1
        set_up = time.perf_counter()
        for item in chunks:
            task.put(item)
        while done < len(chunks):
            _, chunk, first, part, part_spans, part_failures, pid, usage, peak = receive()
            usages[pid] = (usage, peak)
            if seen[chunk]:
                continue  # a repeated result: dropped, never counted twice
            seen[chunk] = True
            done += 1
            results[first:first + len(part)] = part
            if spans is not None and part_spans is not None:
                spans.extend(part_spans)
            m.failures.extend(part_failures)
        end = time.perf_counter()
        after = usage_now()
    except BaseException:
        for process in processes:
            process.kill()
        for process in processes:
            process.wait()
        manager.shutdown()
        raise
    m.wall, m.setup = end - start, set_up - start
    m.count_usage(before, after, usages.values())
    m.results, m.spans = results, spans
    # After the span: a None per worker ends it (the seeds' workers end on an empty queue).
    for _ in processes:
        task.put(None)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    manager.shutdown()


MODEL = Model(run, needs=("processes",), remote=True,
              imports=("subprocess", "multiprocessing.managers", "multiprocessing.connection", "pickle"))
