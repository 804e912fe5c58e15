"""bench's CPython driver: runs ONE sample (one measured run of one cell) of a
`python-*` model and reports what it measured on a file descriptor.

    python3 -S bench_driver.py --report-fd FD SPEC_JSON
    python3 -S bench_driver.py --report-fd FD -          (the spec on stdin)

FD (3 or higher, opened by the parent) gets exactly one line of JSON, then
the driver exits: 0 with a report, 1 with {"error": "what — how to fix"}.
Standard output belongs to the workload; standard error gets nothing in
normal operation. SPEC_JSON holds every key below, every one required
(bench sends them all; a missing one is an error):

    {"model": "python-thread", "workload": "xor", "params": {"iterations": 2000000},
     "tasks": 64, "processes": 1, "threads": 4, "in_flight": 4, "chunksize": null,
     "start_method": null, "timeout_s": 120, "task_timing": true, "parent_pid": 1234}

params holds every parameter bench declares for the workload (`bench list`).
python/README.md describes the spec, the report, the models, the timing
and the checksums. Standard library only; CPython 3.8 or newer.
"""

import json
import os
import sys

from bench.checksum import hex64, term
from bench.failure import Failure, describe, one_line
from bench.measurement import Measurement, quantile
from bench.process import add_usage, become_subreaper, die_with_parent, ignore_stop_signals, memory_share_kb, peak_rss_kb, \
    reset_peak_rss
from bench.reaping import reap_children
from bench.report import MIN_VERSION, HelpRequested, open_reporter, parse_argv
from bench.spec import parse_spec

USAGE = "bench_driver.py"


def main(argv, started):
    """The driver's main: `started` is the interpreter's start on
    time.perf_counter (bench_driver.py takes it first), which the timeout
    counts from. Never returns: exits 0 with a report, 1 with an error."""
    try:
        fd_text, spec_text = parse_argv(argv, USAGE)
    except HelpRequested:
        sys.stderr.write(__doc__)
        return 0
    except Failure as failure:
        sys.stderr.write("error: %s\n" % failure.line())
        return 1
    reporter, error = open_reporter(
        fd_text, "(0-2 carry the workload's output) — usage: %s --report-fd FD SPEC_JSON|-" % USAGE)
    if reporter is None:
        sys.stderr.write(error)
        return 1
    flush = None
    try:
        spec = read_spec(spec_text, reporter.fd)
        flush = spec.workload_object.flush
        report = run(spec, started)
    except Failure as failure:
        _fail(reporter, failure.line(), failure.usage)
    except BaseException as error:  # noqa: B902 — a bug: still one error line
        _fail(reporter, one_line("internal error: %s — report a bug with the spec" % describe(error)))
    try:
        reporter.send(report)
    except OSError:
        _finish(1)  # the parent is gone or closed the report pipe
    _finish(0, flush)


def _fail(reporter, line, usage=False):
    reap_children()
    try:
        # "usage": the user's input is at fault (bench exits 64); absent otherwise.
        reporter.send(dict({"error": line}, **({"usage": True} if usage else {})))
    except OSError:
        pass
    _finish(1)


def _finish(status, flush=None):
    # os._exit: no atexit handler may block on a hung thread or pool, and
    # the interpreter's teardown is not worth waiting for. After a failure
    # the print stream is not flushed: a sink nobody reads (a cause of
    # timeouts) would block the exit.
    for stream in ((flush, sys.stdout.flush, sys.stderr.flush) if status == 0 else (sys.stderr.flush,)):
        try:
            if stream is not None:
                stream()
        except Exception:
            pass
    os._exit(status)


def read_spec(spec_text, report_fd):
    if sys.version_info < MIN_VERSION:
        raise Failure("Python %s is older than 3.8" % sys.version.split()[0],
                      "run the driver with python3.8 or newer")
    if spec_text is None:
        raise Failure("no spec", "pass SPEC_JSON, or - to read it from standard input")
    if spec_text == "-":
        spec_text = sys.stdin.read()
    spec = parse_spec(spec_text)
    spec.report_fd = report_fd
    return spec


def _preimport(spec, workload):
    """Everything the span will touch, imported now (the span must not pay
    for an import)."""
    model = spec.model_declaration
    for module in list(workload.modules(model.asynchronous)) + model.modules(spec.start_method):
        try:
            __import__(module)
        except ImportError:
            pass  # e.g. resource_tracker before 3.8: the version check reports it


def run(spec, started):
    """The sample: set-up, the model's span, then the report."""
    die_with_parent(spec.parent_pid)
    become_subreaper()
    ignore_stop_signals()
    workload = spec.workload_object
    timing = spec.task_timing and workload.timed
    _preimport(spec, workload)
    workload.prepare(spec.tasks)
    model = spec.model_declaration
    if model.runs_tasks_in_driver:
        workload.setup_process()  # pool processes and remote workers set up their own
    debug = os.environ.get("BENCH_DRIVER_DEBUG") == "1"
    modules_before = set(sys.modules) if debug else None
    deadline = started + spec.timeout_s - min(1.0, spec.timeout_s / 10.0)

    m = Measurement()
    reset_peak_rss()
    model.run(spec, workload, timing, deadline, m)
    own_peak = peak_rss_kb()
    own_share = m.own_share if m.own_share is not None else memory_share_kb()
    share = add_usage(own_share, m.worker_share) if own_share and m.worker_share else (None, None)

    if debug:
        sys.stderr.write(json.dumps({
            "span_start_monotonic_s": m.span_start,
            "driver_start_monotonic_s": started,
            "imported_in_span": sorted(set(sys.modules) - modules_before),
        }) + "\n")
    if model.runs_tasks_in_driver:
        workload.finish_process()  # after the span and its readings
    return report(spec, workload, timing, m, own_peak, share)


def report(spec, workload, timing, m, own_peak, share):
    """The report's one line from the measurement (keys in README's order);
    raises Failure for failed, missing or mistimed tasks."""
    if m.failures:
        outside = [f for f in m.failures if f[0] < 0]
        if outside:
            raise Failure("a worker failed outside any task: %s" % outside[0][1], "report a bug with the spec")
        raise workload.describe_failures(len(m.failures), spec.tasks, min(m.failures))
    missing = sum(1 for r in m.results if r is None)
    if missing:
        raise Failure("%d of %d tasks returned no result" % (missing, spec.tasks), "report a bug with the spec")
    total = 0
    result = workload.result
    for task, raw in enumerate(m.results):
        total += term(task, result(raw, task))
    p50 = p99 = queue_p50 = queue_p99 = None
    if timing and m.spans:
        if len(m.spans) != 2 * spec.tasks:
            raise Failure("%d task spans for %d tasks" % (len(m.spans) // 2, spec.tasks), "report a bug")
        begins, ends = m.spans[0::2], m.spans[1::2]
        ordered = sorted(e - b for b, e in zip(begins, ends))
        p50, p99 = quantile(ordered, 0.5), quantile(ordered, 0.99)
        # perf_counter is CLOCK_MONOTONIC, one clock for every process here.
        waits = sorted(max(0.0, b - m.span_start) for b in begins)
        queue_p50, queue_p99 = quantile(waits, 0.5), quantile(waits, 0.99)
    gil = getattr(sys, "_is_gil_enabled", None)
    return {
        "wall_s": m.wall,
        "setup_s": m.setup,
        "user_s": m.usage[0],
        "sys_s": m.usage[1],
        "vcsw": int(m.usage[2]),
        "ivcsw": int(m.usage[3]),
        "max_rss_kb": own_peak + m.peak_kb,
        "pss_kb": share[0],
        "uss_kb": share[1],
        "checksum": hex64(total),
        "tasks": spec.tasks,
        "task_p50_s": p50,
        "task_p99_s": p99,
        "queue_p50_s": queue_p50,
        "queue_p99_s": queue_p99,
        "python": sys.version.split()[0],
        "implementation": sys.implementation.name,
        "gil_enabled": bool(gil()) if gil is not None else True,
        "start_method": spec.start_method,
        "switch_interval_s": sys.getswitchinterval(),
        "to_thread": workload.runs_through_thread(spec.model_declaration.asynchronous),
    }
