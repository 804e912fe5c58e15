"""What the tests of python/ share (standard library only).

    cd python && python3 -m unittest            # every test module under tests/
    cd python && python3 -m unittest -v tests.test_models

The driver runs as a child process, as bench runs it, with a pipe as its
report descriptor. A test module that runs it makes its process a child
subreaper (setUpModule here), so any process the driver leaves behind is
re-parented to the test and the tests can see (and reap) it: "no process
left behind" is checked after every run.

Environment:
- BENCH_BINARY: a bench executable for the cross-check against
  `bench serve` (default /tmp/oldbench/bench; skipped when absent).
- BENCH_OLD_PYTHON: a Python 3.7 or older for the version error (default: the
  newest pyenv 3.7/3.6 found; skipped when absent).
"""

import ctypes
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)

from bench.checksum import MASK, term  # noqa: E402
from bench.models import registry as model_registry  # noqa: E402

DRIVER = os.path.join(PYTHON_DIR, "bench_driver.py")
PYTHON = sys.executable  # the real interpreter, not a pyenv shim
MODELS = model_registry.names()

# Reference checksums from the Swift implementation, obtained with the
# frozen binary of commit 323bbe2 as
#   /tmp/oldbench/bench run --workload W [params] --model serial --tasks N \
#       --runs 1 --warmup 0 --no-plot --out /tmp/refruns
# and read from the `checksum` column of the run folder's raw.csv.
# (print: --sink devnull; http: bench starts its own server.)
SWIFT = {
    ("xor", "iterations=1000", 4): 0xFDBB1447E31EDC6C,
    ("xor", "iterations=1", 4): 0xB4868FF7165C598C,
    ("xor", "iterations=1000", 64): 0x8AC66FE0100AE093,
    ("xor", "iterations=100000", 16): 0x25258E8BAF806833,
    ("xor", "iterations=3", 100): 0x3AAC86CAF88D77CC,
    ("noop", "", 20000): 0xB89CFE7E8F6F5CA6,
    ("noop", "", 1): 0x48218226FF3CD4BF,
    ("sleep", "sleep-ms=0", 4): 0xAF57F6040F948F31,
    ("sleep", "sleep-ms=3", 4): 0x5E0E9AB892A16981,
    ("sleep", "sleep-ms=10", 64): 0xED5B5C96677E69B7,
    ("sleep", "sleep-ms=1", 16): 0x3B1E2B14C9FBAE50,
    ("print", "", 100): 0x37680A079BD87623,
    ("print", "", 20000): 0x06802DA71B431275,
    ("http", "http-bytes=1024", 16): 0xF44E18A4A97C68AA,
    ("http", "http-bytes=5", 16): 0x7471C603E5F01F21,
    ("http", "http-bytes=100;keep-alive", 100): 0x7F5E1EFF5D26513A,
    ("http", "http-bytes=0", 4): 0xD6D10A2B2C64FF0A,
}
# profile and exec, from this branch's build (`bench run --workload profile
# --model serial ...`, the same way; profile's result does not depend on the
# step time, exec's is the bytes printed).
SWIFT_PROFILE = {
    # (memory-kib, result-bytes, wait, tasks): checksum
    (0, 8, "sleep", 4): 0x39A129E7C292B68A,
    (5, 13, "sleep", 16): 0x3FA0E8D5A9770F6E,
    (64, 1024, "http", 16): 0x9795100A0A01B04B,
    (0, 0, "sleep", 3): 0x0B11621A4C06F9B3,
}
# profile with shared-mib 2 (memory-kib 0, result-bytes 8, wait-ms 0, 4 tasks).
SWIFT_PROFILE_SHARED_2 = 0xC34454AC71CA7A17
SWIFT_EXEC = {
    ("printf %s {task}", 10): 0x14D8D1E0FDC65DE6,
    ("printf 'x\\n'", 10): 0x30DE17C2F34E17ED,
}

REPORT_KEYS = ["wall_s", "setup_s", "user_s", "sys_s", "vcsw", "ivcsw", "max_rss_kb", "pss_kb", "uss_kb", "checksum", "tasks",
               "task_p50_s", "task_p99_s", "queue_p50_s", "queue_p99_s", "python", "implementation", "gil_enabled", "start_method",
               "switch_interval_s", "to_thread"]
SHAPE = {"processes": 2, "threads": 3, "in_flight": 4}
POOLS = ("python-process-pool", "python-hybrid", "python-process-async")
# Models whose tasks run in several processes (the pools, and the master/worker's workers).
MULTIPROCESS = POOLS + ("python-distributed",)
LINE = re.compile(r"^进程(\d+): 线程(\d+) 正在消耗:(\d+) 时间：(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?)$")


# bench's declared defaults (`bench list`): a spec from bench carries every
# parameter, so the tests' specs take these for what they do not set.
BENCH_PARAMS = {
    "xor": {"iterations": 2000000},
    "sleep": {"sleep-ms": 10},
    "noop": {},
    "print": {"sink": "pipe", "line-buffered": False},
    "http": {"http-url": "", "http-bytes": 1024, "http-latency-ms": 10, "keep-alive": False, "http-client": "native"},
    "profile": {"cpu-us": 1000, "wait-ms": 1, "wait": "sleep", "memory-kib": 256, "result-bytes": 1024,
                "iteration-ps": 0, "wait-url": "", "shared-mib": 0},
    "exec": {"command": ""},
    "crawl": {"http-url": "", "crawl-dir": "", "crawl-pages": 50, "crawl-links": 20, "crawl-image-bytes": 204800,
              "pipeline": "phased", "http-latency-ms": 10},
    "python-function": {"callable": "", "python-path": "."},
}


def serial_checksum(results):
    """The checksum of a list of per-task results, as Swift's Checksum."""
    return sum(term(t, r) for t, r in enumerate(results)) & MASK


# --------------------------------------------------------------------------
# Processes: the test is a subreaper, so orphans come here.
# --------------------------------------------------------------------------

def setUpModule():
    """Import it into a test module that runs the driver (unittest calls it there)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER

def process_table():
    """pid -> (ppid, state, cmdline) of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, IndexError):
            continue
        table[int(entry)] = (int(fields[1]), fields[0].decode(), cmdline)
    return table


def descendants(pid, table=None):
    table = process_table() if table is None else table
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _, _) in table.items():
            if ppid == parent:
                found.append(child)
                frontier.append(child)
    return found


KEEP = set()  # long-lived children of the test itself (bench serve)


def wait_until_stop_signals_ignored(pid, timeout=20):
    """Waits until `pid` ignores SIGTERM and SIGINT (the driver's set-up is then
    past die_with_parent too), rather than sleeping a guess of how long that takes."""
    wanted = (1 << (signal.SIGTERM - 1)) | (1 << (signal.SIGINT - 1))
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open("/proc/%d/status" % pid) as status:
                ignored = next(int(line.split()[1], 16) for line in status if line.startswith("SigIgn:"))
            if ignored & wanted == wanted:
                return
        except (OSError, StopIteration):
            pass
        time.sleep(0.01)
    raise AssertionError("pid %d never ignored SIGTERM and SIGINT" % pid)


def leftover_children():
    """Children of this test process other than KEEP, reaped; [] when clean."""
    me = os.getpid()
    left = [(pid, state, cmd[:80]) for pid, (ppid, state, cmd) in process_table().items()
            if ppid == me and pid not in KEEP]
    for pid, _, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
    return left


def run_driver(spec, timeout=60, stdout=subprocess.DEVNULL, python=PYTHON, env=None, argv=None):
    """Runs the driver; returns (exit status, report lines, stdout bytes, stderr text)."""
    read, write = os.pipe()
    try:
        args = [python, DRIVER, "--report-fd", str(write), json.dumps(spec) if argv is None else argv]
        proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, pass_fds=(write,),
                                env=env)
    finally:
        os.close(write)
    out, err = proc.communicate(timeout=timeout)
    with os.fdopen(read, "rb") as report:
        lines = report.read().decode("utf-8").splitlines(True)
    return proc.returncode, lines, out, err.decode("utf-8", "replace")



def spec_for(model, workload, params, tasks, **extra):
    """A spec as bench sends it: every key, every parameter (bench's defaults for those not in `params`)."""
    spec = {"model": model, "workload": workload, "params": dict(BENCH_PARAMS[workload], **params), "tasks": tasks,
            "processes": SHAPE["processes"], "threads": SHAPE["threads"], "in_flight": SHAPE["in_flight"],
            "chunksize": None, "start_method": None, "timeout_s": 60, "task_timing": True}
    spec.update(extra)
    return spec


class DriverCase(unittest.TestCase):
    def tearDown(self):
        self.assertEqual(leftover_children(), [], "the driver left processes behind")

    def sample(self, spec, stdout=subprocess.DEVNULL, **kwargs):
        """Runs a sample that must succeed; returns (report dict, stdout, stderr)."""
        status, lines, out, err = run_driver(spec, stdout=stdout, **kwargs)
        self.assertEqual(len(lines), 1, "exactly one report line, got %r (stderr %s)" % (lines, err))
        self.assertTrue(lines[0].endswith("\n"))
        report = json.loads(lines[0])
        self.assertEqual(status, 0, "%s: %s %s" % (spec["model"], report, err))
        self.assertEqual(list(report), REPORT_KEYS)
        self.assertEqual(err, "", "nothing on stderr")
        return report, out, err

    def failing(self, spec, contains=(), **kwargs):
        """Runs a sample that must fail; returns its error text."""
        status, lines, _, err = run_driver(spec, **kwargs)
        self.assertEqual(status, 1, "exit status (stderr %s)" % err)
        self.assertEqual(len(lines), 1, "exactly one report line, got %r" % lines)
        report = json.loads(lines[0])
        self.assertEqual(list(report), ["error"])
        self.assertIn(" — ", report["error"], "what — how to fix")
        for text in contains:
            self.assertIn(text, report["error"])
        return report["error"]



# --------------------------------------------------------------------------
# Drivers started and finished apart (faults)
# --------------------------------------------------------------------------

def start_driver(spec):
    read, write = os.pipe()
    proc = subprocess.Popen([PYTHON, DRIVER, "--report-fd", str(write), json.dumps(spec)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write,))
    os.close(write)
    return proc, read


def finish_driver(proc, read, timeout):
    _, err = proc.communicate(timeout=timeout)
    with os.fdopen(read, "rb") as report:
        lines = report.read().decode().splitlines()
    return proc.returncode, lines, err.decode("utf-8", "replace")


def pool_workers(driver_pid, count, timeout=10.0):
    """The driver's pool processes (the leaves of its process tree that are not
    multiprocessing's resource tracker), once `count` of them exist."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        table = process_table()
        tree = descendants(driver_pid, table)
        leaves = [pid for pid in tree if not any(table[c][0] == pid for c in tree)
                  and "resource_tracker" not in table[pid][2]]
        if len(leaves) >= count:
            return sorted(leaves)
        time.sleep(0.02)
    raise AssertionError("the driver did not start %d pool processes" % count)


def old_python():
    path = os.environ.get("BENCH_OLD_PYTHON")
    if path:
        return path
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.[67].*/bin/python3")))
    return found[-1] if found else None


