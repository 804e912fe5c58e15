#!/usr/bin/env python3
"""bench's GIL switch-interval probe: how long an IO-bound thread waits
for the GIL beside one CPU-bound thread, under sys.setswitchinterval, for
`bench experiment gil-switch`. Standard library only; CPython 3.8 or newer.

    python3 -S seed_gil_switch.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [{...}, ...], "python": "3.11.7", "switch_interval_default": 0.005}`,
1 with `{"error": "what — how to fix"}`.

SPEC_JSON: {"subject": "threads", "interval": 0.005, "io": "sleep",
"url": "", "io_threads": 4, "duration_ms": 1000, "samples": 5,
"timeout_s": 120, "parent_pid": 1234}

- subject: who computes beside the IO threads:
    alone       nobody: the IO threads by themselves (the floor)
    threads     one CPU-bound thread of this process (the xor loop of seed
                004's GIL example), which holds the GIL until the switch
                interval asks it to drop it
    processes   one CPU-bound process (the default start method): the
                same loop with a GIL of its own
- interval > 0: sys.setswitchinterval, seconds, before anything starts.
- io: sleep (time.sleep(0.001)) or http (GET /task/<n> from `url`, bench's
  own server answering after 1 ms, a new connection each, the answer checked:
  status 200 and 64 bytes).
- io_threads >= 1 threads each repeat their IO for `duration_ms` (at least
  once, however long the GIL keeps them from starting), timing
  each from just before the call to just after it returns (and, for a
  thread that waited for the GIL, after it got it back).

Per sample: io_p50_us, io_p99_us (type 7 quantiles of every IO of every
thread), io_per_s (IOs done per second by all of them), and
cpu_iterations_per_s (the CPU party's loop iterations per second; 0 alone).
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from bench.failure import Failure  # noqa: E402
from bench.fields import json_object  # noqa: E402
from bench.http_client import get, parse_http_url  # noqa: E402
from bench.measurement import quantile  # noqa: E402
from bench.probe import Parties, Spec, child_setup, main_of, probe_choice, probe_common, probe_integer  # noqa: E402

SUBJECTS = ("alone", "threads", "processes")
IO_KINDS = ("sleep", "http")
SPEC_KEYS = ("subject", "interval", "io", "url", "io_threads", "duration_ms", "samples", "timeout_s", "parent_pid")
HTTP_BYTES = 64  # the body bench's server sends for this probe
CHECK_EVERY = 10000  # CPU loop iterations between two looks at the stop flag


def spin(stop, done):
    """Seed 004's loop (x = x ^ 1) until `stop` is set; its iteration count into done[0]."""
    x = 0
    iterations = 0
    while not stop.is_set():
        for _ in range(CHECK_EVERY):
            x = x ^ 1
        iterations += CHECK_EVERY
    done[0] = iterations


def spin_process(parent_pid, stop, done):
    child_setup(parent_pid)
    box = [0]
    spin(stop, box)
    done.value = box[0]


def io_call(spec, host, port):
    """One IO, as a callable of the task number."""
    if spec.io == "sleep":
        return lambda _: time.sleep(0.001)

    def request(task):
        status, body = get(host, port, "/task/%d" % task, 10.0)
        if status != 200 or len(body) != HTTP_BYTES:
            raise Failure("GET /task/%d answered %d with %d bytes, expected 200 with %d" % (task, status, len(body), HTTP_BYTES),
                          "this is a bug in the probe or the server")
    return request


def sample(spec, reporter, deadline, context, host, port):
    call = io_call(spec, host, port)
    latencies = [[] for _ in range(spec.io_threads)]
    errors = []
    end_at = [0.0]
    go = threading.Event()

    def io_thread(index):
        mine = latencies[index]
        clock = time.perf_counter
        task = index * 1000000
        go.wait()
        try:
            while True:  # at least one IO each, however long the GIL keeps it from starting
                started = clock()
                call(task)
                mine.append(clock() - started)
                task += 1
                if clock() >= end_at[0]:
                    break
        except Failure as failure:
            errors.append(failure)
        except OSError as error:
            errors.append(Failure("an HTTP request failed: %s" % error, "check that bench's server is up"))

    stop = threading.Event() if spec.subject != "processes" else context.Event()
    done = [0] if spec.subject != "processes" else context.RawValue("q", 0)
    cpu = None
    watch = Parties(reporter, deadline)
    if spec.subject == "threads":
        cpu = threading.Thread(target=spin, args=(stop, done), daemon=True)
    elif spec.subject == "processes":
        cpu = context.Process(target=spin_process, args=(os.getpid(), stop, done), daemon=True)
        watch.add("the CPU-bound process", cpu)
    threads = [threading.Thread(target=io_thread, args=(index,), daemon=True) for index in range(spec.io_threads)]
    for thread in threads:
        thread.start()
    if cpu is not None:
        cpu.start()
    watch.start()
    try:
        time.sleep(0.02)  # the CPU party is running, holding the GIL or a core
        start = time.perf_counter()
        end_at[0] = start + spec.duration_ms / 1000.0
        go.set()
        for thread in threads:
            thread.join(max(0.0, deadline - time.perf_counter()))
            if thread.is_alive():
                raise Failure("an IO thread did not finish by timeout_s", "raise --timeout, or lower --duration-ms")
        stop.set()
        if cpu is not None:
            cpu.join(max(0.0, deadline - time.perf_counter()))
        elapsed = time.perf_counter() - start
    finally:
        stop.set()
        watch.stop()
    if errors:
        raise errors[0]
    every = sorted(value for mine in latencies for value in mine)
    if not every:
        raise Failure("no IO finished within duration_ms", "raise --duration-ms")
    iterations = done[0] if spec.subject == "threads" else (done.value if spec.subject == "processes" else 0)
    return {"io_p50_us": quantile(every, 0.5) * 1e6, "io_p99_us": quantile(every, 0.99) * 1e6, "io_per_s": len(every) / elapsed,
            "cpu_iterations_per_s": iterations / elapsed}


def measure(spec, reporter, deadline):
    import multiprocessing
    default = sys.getswitchinterval()
    sys.setswitchinterval(spec.interval)
    context = multiprocessing.get_context()
    host, port = parse_http_url(spec.url) if spec.io == "http" else (None, None)
    samples = [sample(spec, reporter, deadline, context, host, port) for _ in range(spec.samples)]
    return {"samples": samples, "switch_interval_default": default, "switch_interval": sys.getswitchinterval(),
            "start_method": context.get_start_method()}


def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.subject = probe_choice(raw, "subject", SUBJECTS)
    spec.io = probe_choice(raw, "io", IO_KINDS)
    interval = raw.get("interval", 0.005)
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not 0 < interval <= 10:
        raise Failure("interval must be a number of seconds above 0 and at most 10, got %r" % (interval,),
                      "fix the spec's interval")
    spec.interval = float(interval)
    spec.url = raw.get("url", "")
    if spec.io == "http" and not spec.url:
        raise Failure("io http needs a url", "pass bench's server, e.g. \"url\": \"http://127.0.0.1:8080/\"")
    spec.io_threads = probe_integer(raw, "io_threads", 1, 4)
    spec.duration_ms = probe_integer(raw, "duration_ms", 1, 1000)
    probe_common(spec, raw)
    return spec


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
