"""Tests of bench_driver.py (standard library only).

    cd python && python3 -m unittest -v test_bench_driver

The driver runs as a child process, as bench runs it, with a pipe as its
report descriptor. This test process makes itself a child subreaper, so any
process the driver leaves behind is re-parented here and the tests can see
(and reap) it: "no process left behind" is checked after every run.

Environment:
- BENCH_BINARY: a bench executable for the cross-check against
  `bench serve` (default /tmp/oldbench/bench; skipped when absent).
- BENCH_OLD_PYTHON: a Python 3.7 or older for the version error (default: the
  newest pyenv 3.7/3.6 found; skipped when absent).
"""

import ctypes
import glob
import http.server
import json
import os
import random
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_driver as bd  # noqa: E402

DRIVER = os.path.join(HERE, "bench_driver.py")
PYTHON = sys.executable  # the real interpreter, not a pyenv shim

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
               "switch_interval_s"]
SHAPE = {"processes": 2, "threads": 3, "in_flight": 4}
POOLS = ("python-process-pool", "python-hybrid", "python-process-async")
# Models whose tasks run in several processes (the pools, and the master/worker's workers).
MULTIPROCESS = POOLS + ("python-distributed",)
LINE = re.compile(r"^进程(\d+): 线程(\d+) 正在消耗:(\d+) 时间：(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?)$")


def serial_checksum(results):
    """The checksum of a list of per-task results, as Swift's Checksum."""
    return sum(bd.term(t, r) for t, r in enumerate(results)) & bd.MASK


# --------------------------------------------------------------------------
# Processes: the test is a subreaper, so orphans come here.
# --------------------------------------------------------------------------

def setUpModule():
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
    spec = {"model": model, "workload": workload, "params": params, "tasks": tasks,
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
# Checksum arithmetic, in process
# --------------------------------------------------------------------------

CHILD_OF_DRIVER = r"""
import json, multiprocessing, os, subprocess, sys
sys.path.insert(0, sys.argv[1])
import bench_driver as bd
codes = {}
for method in multiprocessing.get_all_start_methods():
    child = multiprocessing.get_context(method).Process(target=bd.die_with_driver, args=(os.getpid(),))
    child.start()
    child.join(30)
    codes[method] = child.exitcode
dead = subprocess.Popen([sys.executable, "-c", "pass"])
dead.wait()
child = multiprocessing.get_context("forkserver").Process(target=bd.die_with_driver, args=(dead.pid,))
child.start()
child.join(30)
codes["driver gone"] = child.exitcode
print(json.dumps(codes))
"""


class ChildSetupTests(unittest.TestCase):
    def test_a_child_of_a_live_driver_runs_under_every_start_method(self):
        # Under forkserver (Python 3.14's default) a child's parent is the forkserver, not
        # the driver. Run apart: a forkserver would be this test process's leftover child.
        import multiprocessing
        done = subprocess.run([PYTHON, "-c", CHILD_OF_DRIVER, HERE], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        codes = json.loads(done.stdout)
        for method in multiprocessing.get_all_start_methods():
            self.assertEqual(codes[method], 0, method)
        self.assertEqual(codes["driver gone"], 1, "a child whose driver is gone exits at once")


class ChecksumTests(unittest.TestCase):
    def test_xor_matches_swift(self):
        for (workload, params, tasks), expected in SWIFT.items():
            if workload == "xor":
                n = int(params.split("=")[1])
                got = serial_checksum([bd.xor_chain(bd.mix(t), n) for t in range(tasks)])
                self.assertEqual(got, expected, (params, tasks))

    def test_analytic_workloads_match_swift(self):
        for (workload, params, tasks), expected in SWIFT.items():
            if workload == "noop":
                results = list(range(tasks))
            elif workload == "sleep":
                ms = int(params.split("=")[1])
                results = [t * 31 + ms for t in range(tasks)]
            elif workload == "print":
                results = [bd.mix(t ^ bd.PRINT_SALT) for t in range(tasks)]
            elif workload == "http":
                nbytes = int(params.split(";")[0].split("=")[1])
                results = [bd.body_digest(bd.http_body(t, nbytes)) for t in range(tasks)]
            else:
                continue
            self.assertEqual(serial_checksum(results), expected, (workload, params, tasks))
            self.assertEqual(bd.checksum(results), expected)

    def test_masking_once_equals_masking_every_step(self):
        # The driver's xor loop masks only at the end; modulo 2**64 that is
        # the same as Swift's wrapping arithmetic at every step.
        rng = random.Random(7)
        seeds = [0, 1, bd.MASK, bd.MASK - 1, bd.MASK - 5, 1 << 63] + [rng.getrandbits(64) for _ in range(40)]
        for seed in seeds:
            for n in (0, 1, 2, 7, 100, 1000):
                x = seed
                for i in range(n):
                    x = ((x ^ i) + 1) & bd.MASK
                self.assertEqual(bd.xor_chain(seed, n), x, (seed, n))

    def test_profile_matches_swift(self):
        for (memory, size, wait, tasks), expected in SWIFT_PROFILE.items():
            workload = bd.ProfileWorkload(0, 0, wait, memory, size, "http://127.0.0.1:1/", 5.0)  # never contacted
            results = [bd.repeated_digest(workload._word(t, bd.mix(t ^ bd.PROFILE_SALT)), size) for t in range(tasks)]
            self.assertEqual(serial_checksum(results), expected, (memory, size, wait, tasks))

    def test_profile_round_trip_and_digests(self):
        for seed in (0, 1, bd.MASK, 0x123456789):
            for n in (0, 1, 2, 3, 1000, 1001):
                self.assertEqual(bd.xor_round_trip(seed, n), seed, (seed, n))
        for count in (0, 1, 7, 8, 9, 1000, 65537):
            data = bd.repeated_bytes(0x0123456789ABCDEF, count)
            self.assertEqual(len(data), count)
            self.assertEqual(bd.result_digest(data), bd.repeated_digest(0x0123456789ABCDEF, count), count)
        data = bd.repeated_bytes(42, 1001)
        changed = bytearray(data)
        changed[999] ^= 1
        self.assertNotEqual(bd.result_digest(bytes(changed)), bd.result_digest(data))
        self.assertNotEqual(bd.result_digest(data + b"\0"), bd.result_digest(data))
        self.assertGreater(bd.round_trip_picoseconds(steps=2000, rounds=2), 0)

    def test_exec_matches_swift(self):
        for (command, tasks), expected in SWIFT_EXEC.items():
            run, _ = bd.ExecWorkload(command).session(0)
            self.assertEqual(serial_checksum([run(t) for t in range(tasks)]), expected, command)

    def test_mix_is_the_splitmix64_finaliser(self):
        # A known SplitMix64 output: state 0 -> first output 0xE220A8397B1DCDAF
        self.assertEqual(bd.mix(0x9E3779B97F4A7C15), 0xE220A8397B1DCDAF)
        self.assertEqual(bd.mix(0), 0)

    def test_http_body_layout(self):
        self.assertEqual(bd.http_body(7, 20), b"task 7\n789abcdefghij")
        self.assertEqual(bd.http_body(12345, 4), b"task")
        self.assertEqual(bd.http_body(3, 0), b"")
        body = bd.http_body(1, 200)
        self.assertEqual(body[64:128], bd.HTTP_PATTERN_LINE)

    def test_parse_response_head(self):
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n"
        self.assertEqual(bd.parse_response_head(head), (200, 12, False))
        head = b"HTTP/1.0 404 Not Found\r\n\r\n"
        self.assertEqual(bd.parse_response_head(head), (404, None, True))

    def test_quantile_is_type_7(self):
        self.assertEqual(bd.quantile([1.0, 2.0, 3.0, 4.0], 0.5), 2.5)
        self.assertAlmostEqual(bd.quantile([float(i) for i in range(101)], 0.99), 99.0)
        self.assertEqual(bd.quantile([5.0], 0.99), 5.0)


# --------------------------------------------------------------------------
# Every model, every workload that needs no server
# --------------------------------------------------------------------------

class ModelTests(DriverCase):
    CASES = (
        ("xor", {"iterations": 1000}, 64, SWIFT[("xor", "iterations=1000", 64)]),
        ("sleep", {"sleep-ms": 1}, 16, SWIFT[("sleep", "sleep-ms=1", 16)]),
        ("noop", {}, 20000, SWIFT[("noop", "", 20000)]),
    )

    def test_every_model_gives_serials_checksum(self):
        for workload, params, tasks, expected in self.CASES:
            for model in bd.MODELS:
                with self.subTest(model=model, workload=workload):
                    report, _, _ = self.sample(spec_for(model, workload, params, tasks))
                    self.assertEqual(report["checksum"], bd.hex64(expected))
                    self.assertEqual(report["tasks"], tasks)
                    self.assertGreater(report["wall_s"], 0)
                    self.assertTrue(0 <= report["setup_s"] <= report["wall_s"])
                    self.assertGreater(report["max_rss_kb"], 1000)
                    if model == "python-distributed":
                        self.assertIsNone(report["pss_kb"])  # its workers do not report theirs
                    else:
                        self.assertTrue(0 < report["uss_kb"] <= report["pss_kb"] <= report["max_rss_kb"], report)
                    self.assertEqual(report["implementation"], "cpython")
                    self.assertEqual(report["python"], sys.version.split()[0])
                    self.assertEqual(report["start_method"] is not None, model in POOLS)
                    if workload == "noop":
                        self.assertIsNone(report["task_p50_s"])
                        self.assertIsNone(report["queue_p50_s"])
                    else:
                        self.assertTrue(0 < report["task_p50_s"] <= report["task_p99_s"] <= report["wall_s"])
                        self.assertTrue(0 <= report["queue_p50_s"] <= report["queue_p99_s"] <= report["wall_s"])
                    if workload == "sleep":
                        self.assertGreaterEqual(report["task_p50_s"], 0.001)

    def test_profile_and_exec_on_every_model(self):
        cases = [("profile", {"cpu-us": 100, "wait-ms": 0, "memory-kib": 5, "result-bytes": 13}, 16,
                  SWIFT_PROFILE[(5, 13, "sleep", 16)]),
                 # results far above PIPE_BUF, pickled back from the pool processes
                 ("profile", {"cpu-us": 0, "wait-ms": 1, "memory-kib": 0, "result-bytes": 0}, 3,
                  SWIFT_PROFILE[(0, 0, "sleep", 3)]),
                 ("exec", {"command": "printf %s {task}"}, 10, SWIFT_EXEC[("printf %s {task}", 10)])]
        for workload, params, tasks, expected in cases:
            for model in bd.MODELS:
                with self.subTest(model=model, workload=workload, params=params):
                    report, _, _ = self.sample(spec_for(model, workload, params, tasks))
                    self.assertEqual(report["checksum"], bd.hex64(expected))
        big = {"cpu-us": 10, "wait-ms": 0, "memory-kib": 0, "result-bytes": 300001}
        serial, _, _ = self.sample(spec_for("python-serial", "profile", big, 7))
        for model in POOLS:
            with self.subTest(model=model, result_bytes=300001):
                report, _, _ = self.sample(spec_for(model, "profile", big, 7))
                self.assertEqual(report["checksum"], serial["checksum"])

    def test_the_shared_block_keeps_swifts_checksum_and_forked_processes_share_it(self):
        params = {"cpu-us": 0, "wait-ms": 0, "memory-kib": 0, "result-bytes": 8, "shared-mib": 2}
        for model in bd.MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(spec_for(model, "profile", params, 4))
                self.assertEqual(report["checksum"], bd.hex64(SWIFT_PROFILE_SHARED_2))
        big = dict(params, **{"shared-mib": 32})
        report, _, _ = self.sample(spec_for("python-process-pool", "profile", big, 4, start_method="fork"))
        # The driver's block, mapped by both pool processes too: RSS counts it thrice, PSS once.
        self.assertGreater(report["max_rss_kb"] - report["pss_kb"], 32 * 1024, report)

    def test_exec_failures_name_the_status_and_first_error_line(self):
        params = {"command": "sh -c 'echo bad input >&2; echo more >&2; exit 3'"}
        for model in ("python-serial", "python-async", "python-process-pool"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "exec", params, 2),
                             contains=("2 of 2 tasks failed", "exited with status 3: bad input"))
        self.failing(spec_for("python-serial", "exec", {"command": "no-such-program-here x"}, 1),
                     contains=("no program 'no-such-program-here' on PATH",))
        self.failing(spec_for("python-serial", "exec", {"command": "echo 'unclosed"}, 1), contains=("cannot split",))

    def test_start_methods(self):
        import multiprocessing
        for method in multiprocessing.get_all_start_methods():
            for model in POOLS:
                with self.subTest(model=model, method=method):
                    report, _, _ = self.sample(spec_for(model, "xor", {"iterations": 1000}, 64, start_method=method))
                    self.assertEqual(report["checksum"], bd.hex64(SWIFT[("xor", "iterations=1000", 64)]))
                    self.assertEqual(report["start_method"], method)

    def test_default_start_method_is_the_interpreters(self):
        import multiprocessing
        report, _, _ = self.sample(spec_for("python-process-pool", "noop", {}, 1))
        self.assertEqual(report["start_method"], multiprocessing.get_start_method())
        self.assertEqual(report["checksum"], bd.hex64(SWIFT[("noop", "", 1)]))

    def test_chunksize_and_uneven_shapes(self):
        expected = bd.hex64(SWIFT[("xor", "iterations=3", 100)])
        for extra in ({"chunksize": 7}, {"chunksize": 1000}, {"processes": 3, "threads": 7, "in_flight": 9},
                      {"processes": 1, "threads": 1, "in_flight": 1}):
            for model in bd.MODELS:
                with self.subTest(model=model, extra=extra):
                    report, _, _ = self.sample(spec_for(model, "xor", {"iterations": 3}, 100, **extra))
                    self.assertEqual(report["checksum"], expected)

    def test_more_workers_than_tasks(self):
        for model in bd.MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(spec_for(model, "xor", {"iterations": 1000}, 4, processes=3, threads=8,
                                                    in_flight=8))
                self.assertEqual(report["checksum"], bd.hex64(SWIFT[("xor", "iterations=1000", 4)]))

    def test_queue_delay_is_the_wait_before_a_task_begins(self):
        # One worker runs 16 tasks of 2 ms back to back: task k waits for the
        # k before it, so the median wait is near 7.5 tasks (15 ms), far above
        # one task; 16 threads take all 16 at once, so every wait is below one
        # task (of 200 ms: thread starts under load stay far below it).
        one = self.sample(spec_for("python-serial", "sleep", {"sleep-ms": 2}, 16))[0]
        self.assertGreater(one["queue_p50_s"], 5 * one["task_p50_s"])
        self.assertGreater(one["queue_p99_s"], 12 * 0.002)
        wide = self.sample(spec_for("python-thread", "sleep", {"sleep-ms": 200}, 16, threads=16))[0]
        self.assertLess(wide["queue_p99_s"], wide["task_p50_s"])

    def test_task_timing_off(self):
        report, _, _ = self.sample(spec_for("python-thread", "xor", {"iterations": 1}, 4, task_timing=False))
        self.assertIsNone(report["task_p50_s"])
        self.assertIsNone(report["task_p99_s"])
        self.assertIsNone(report["queue_p50_s"])
        self.assertIsNone(report["queue_p99_s"])
        self.assertEqual(report["checksum"], bd.hex64(SWIFT[("xor", "iterations=1", 4)]))

    def test_defaults_and_spec_on_stdin(self):
        read, write = os.pipe()
        spec = {"model": "python-serial", "workload": "sleep", "params": {"sleep-ms": 0}, "tasks": 4}
        proc = subprocess.Popen([PYTHON, DRIVER, "--report-fd", str(write), "-"], stdin=subprocess.PIPE,
                                pass_fds=(write,))
        os.close(write)
        proc.communicate(json.dumps(spec).encode(), timeout=30)
        with os.fdopen(read) as report:
            lines = report.readlines()
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(json.loads(lines[0])["checksum"], bd.hex64(SWIFT[("sleep", "sleep-ms=0", 4)]))

    def test_thread_model_accounts_setup_and_cpu(self):
        report, _, _ = self.sample(spec_for("python-thread", "xor", {"iterations": 100000}, 16, threads=4))
        self.assertEqual(report["checksum"], bd.hex64(SWIFT[("xor", "iterations=100000", 16)]))
        self.assertLess(report["setup_s"], report["wall_s"])
        self.assertGreater(report["user_s"] + report["sys_s"], 0.5 * report["wall_s"])

    def test_pool_counts_its_processes_usage(self):
        report, _, _ = self.sample(spec_for("python-process-pool", "xor", {"iterations": 100000}, 16))
        self.assertEqual(report["checksum"], bd.hex64(SWIFT[("xor", "iterations=100000", 16)]))
        # the CPU work happens in the pool processes; the driver only waits
        self.assertGreater(report["user_s"] + report["sys_s"], 0.5 * report["wall_s"])
        self.assertGreater(report["max_rss_kb"], 3 * 5000)  # driver + 2 processes


# --------------------------------------------------------------------------
# print: lines parsed back
# --------------------------------------------------------------------------

class PrintTests(DriverCase):
    def check_lines(self, out, tasks, model, processes, threads):
        lines = out.decode("utf-8").split("\n")
        self.assertEqual(lines[-1], "", "output ends with a newline")
        items = []
        pids = set()
        for line in lines[:-1]:
            match = LINE.match(line)
            self.assertIsNotNone(match, "malformed line %r" % line)
            pids.add(int(match.group(1)))
            self.assertLess(int(match.group(2)), threads if model in ("python-thread", "python-hybrid") else 1)
            items.append(int(match.group(3)))
        self.assertEqual(sorted(items), list(range(tasks)), "every item printed exactly once")
        self.assertLessEqual(len(pids), processes if model in MULTIPROCESS else 1)

    def test_every_model_prints_every_item_once(self):
        for model in bd.MODELS:
            with self.subTest(model=model):
                report, out, _ = self.sample(spec_for(model, "print", {"sink": "pipe"}, 100),
                                             stdout=subprocess.PIPE)
                self.assertEqual(report["checksum"], bd.hex64(SWIFT[("print", "", 100)]))
                self.check_lines(out, 100, model, SHAPE["processes"], SHAPE["threads"])

    def test_many_threads_and_processes_never_cut_a_line(self):
        env = dict(os.environ, PYTHONUNBUFFERED="1")  # what cuts sys.stdout's lines
        report, out, _ = self.sample(spec_for("python-hybrid", "print", {}, 20000, processes=4, threads=16),
                                     stdout=subprocess.PIPE, env=env)
        self.assertEqual(report["checksum"], bd.hex64(SWIFT[("print", "", 20000)]))
        self.check_lines(out, 20000, "python-hybrid", 4, 16)


# --------------------------------------------------------------------------
# http: a stdlib server with the same bodies, and bench serve when present
# --------------------------------------------------------------------------

class BodyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says close

    def do_GET(self):
        match = re.match(r"^/task/(\d+)$", self.path)
        if not match:
            self.send_error(404)
            return
        body = bd.http_body(int(match.group(1)), self.server.nbytes)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class BodyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256  # http.server's 5 makes 64 concurrent connects retry for seconds
    connections = 0

    def verify_request(self, request, client_address):
        self.connections += 1  # one call per accepted connection
        return True


def start_stdlib_server(nbytes):
    server = BodyServer(("127.0.0.1", 0), BodyHandler)
    server.nbytes = nbytes
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


class HTTPTests(DriverCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.url = start_stdlib_server(1024)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_every_model_with_and_without_keep_alive(self):
        tasks = 24
        expected = bd.hex64(serial_checksum([bd.body_digest(bd.http_body(t, 1024)) for t in range(tasks)]))
        for keep_alive in (False, True):
            for model in bd.MODELS:
                with self.subTest(model=model, keep_alive=keep_alive):
                    params = {"http-url": self.url, "http-bytes": 1024, "http-latency-ms": 0,
                              "keep-alive": keep_alive, "http-client": "native"}
                    self.server.connections = 0
                    report, _, _ = self.sample(spec_for(model, "http", params, tasks))
                    self.assertEqual(report["checksum"], expected)
                    # one per request, or one per thread / in-flight slot
                    # (process-pool: one thread per process; hybrid: per thread per block)
                    if not keep_alive:
                        most = tasks
                    else:
                        most = {"python-serial": 1, "python-thread": SHAPE["threads"], "python-async": SHAPE["in_flight"],
                                "python-process-pool": SHAPE["processes"],
                                "python-hybrid": SHAPE["processes"] * SHAPE["threads"],
                                "python-process-async": SHAPE["processes"] * SHAPE["in_flight"],
                                "python-distributed": SHAPE["processes"]}[model]
                    self.assertLessEqual(self.server.connections, most)
                    self.assertGreaterEqual(self.server.connections, 1 if keep_alive else tasks)

    def test_profile_waits_on_the_server(self):
        server, url = start_stdlib_server(bd.PROFILE_HTTP_BYTES)
        try:
            params = {"cpu-us": 100, "wait-ms": 1, "wait": "http", "wait-url": url, "memory-kib": 64,
                      "result-bytes": 1024}
            for model in bd.MODELS:
                with self.subTest(model=model):
                    server.connections = 0
                    report, _, _ = self.sample(spec_for(model, "profile", params, 16))
                    self.assertEqual(report["checksum"], bd.hex64(SWIFT_PROFILE[(64, 1024, "http", 16)]))
                    self.assertEqual(server.connections, 16, "one request per task")
        finally:
            server.shutdown()
            server.server_close()

    def test_wrong_size_fails_every_request(self):
        params = {"http-url": self.url, "http-bytes": 1000}
        for model in ("python-serial", "python-async", "python-process-pool"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "http", params, 5),
                             contains=("5 of 5 requests failed", "1024 bytes, expected http-bytes 1000"))

    def test_refused_connections_are_counted(self):
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nothing listens there now
        params = {"http-url": "http://127.0.0.1:%d/" % port}
        for model in ("python-thread", "python-async"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "http", params, 6), contains=("6 of 6 requests failed", "task 0"))


def bench_binary():
    path = os.environ.get("BENCH_BINARY", "/tmp/oldbench/bench")
    return path if os.access(path, os.X_OK) else None


@unittest.skipUnless(bench_binary(), "no bench binary: set BENCH_BINARY to cross-check against bench serve")
class BenchServeTests(DriverCase):
    def serve(self, nbytes):
        proc = subprocess.Popen([bench_binary(), "serve", "--http-latency-ms", "0", "--http-bytes", str(nbytes),
                                 "--child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        KEEP.add(proc.pid)
        url = proc.stdout.readline().decode().strip()
        self.addCleanup(self.stop, proc)
        return url

    def stop(self, proc):
        proc.stdin.close()
        proc.stdout.close()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        KEEP.discard(proc.pid)

    def test_swift_server_gives_swifts_checksum(self):
        url = self.serve(1024)
        for model in bd.MODELS:
            with self.subTest(model=model):
                params = {"http-url": url, "http-bytes": 1024}
                report, _, _ = self.sample(spec_for(model, "http", params, 16))
                self.assertEqual(report["checksum"], bd.hex64(SWIFT[("http", "http-bytes=1024", 16)]))

    def test_swift_server_keep_alive(self):
        url = self.serve(100)
        for model in ("python-thread", "python-async", "python-process-async"):
            with self.subTest(model=model):
                params = {"http-url": url, "http-bytes": 100, "keep-alive": True}
                report, _, _ = self.sample(spec_for(model, "http", params, 100))
                self.assertEqual(report["checksum"], bd.hex64(SWIFT[("http", "http-bytes=100;keep-alive", 100)]))


# --------------------------------------------------------------------------
# Faults
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


# Faults inside tasks are injected without touching the driver: a
# sitecustomize module (imported at start by every interpreter, pool
# processes included, and inherited through fork) wraps time.sleep so that
# sleeping exactly 7.77 s exits the process with status 3 and 6.66 s raises.
SITECUSTOMIZE = """
import os, time
_sleep = time.sleep
def sleep(seconds):
    if seconds == 7.77:
        os._exit(3)
    if seconds == 6.66:
        raise ValueError("injected")
    return _sleep(seconds)
time.sleep = sleep
"""


def fault_env():
    import tempfile
    folder = tempfile.mkdtemp(prefix="bench-driver-test-")
    with open(os.path.join(folder, "sitecustomize.py"), "w") as f:
        f.write(SITECUSTOMIZE)
    return dict(os.environ, PYTHONPATH=folder + os.pathsep + os.environ.get("PYTHONPATH", ""))


class FaultTests(DriverCase):
    def test_worker_exiting_fails_the_sample(self):
        env = fault_env()
        for model, method in (("python-process-pool", "fork"), ("python-hybrid", "spawn")):
            with self.subTest(model=model, method=method):
                error = self.failing(spec_for(model, "sleep", {"sleep-ms": 7770}, 4, start_method=method, timeout_s=30),
                                     env=env, contains=("exited with status 3",))
                self.assertRegex(error, r"^pool process \d+ exited with status 3 with \d of 4 tasks done")

    def test_raising_tasks_fail_the_sample(self):
        env = fault_env()
        for model in ("python-serial", "python-thread", "python-process-pool", "python-hybrid"):
            with self.subTest(model=model):
                self.failing(spec_for(model, "sleep", {"sleep-ms": 6660}, 4, timeout_s=30), env=env,
                             contains=("4 of 4 tasks failed; the first: task 0: ValueError: injected",))

    def test_killed_pool_worker_fails_the_sample(self):
        import multiprocessing
        for method in multiprocessing.get_all_start_methods():
            for model in ("python-process-pool", "python-hybrid"):
                with self.subTest(method=method, model=model):
                    spec = spec_for(model, "sleep", {"sleep-ms": 20000}, 4, start_method=method, timeout_s=30)
                    proc, read = start_driver(spec)
                    workers = pool_workers(proc.pid, 2)
                    tree = descendants(proc.pid)
                    time.sleep(0.2)  # let them take their tasks
                    victim = workers[0]
                    os.kill(victim, signal.SIGKILL)
                    killed = time.monotonic()
                    status, lines, err = finish_driver(proc, read, timeout=30)
                    self.assertLess(time.monotonic() - killed, 8.0, "failed promptly")
                    self.assertEqual(status, 1, err)
                    self.assertEqual(len(lines), 1)
                    error = json.loads(lines[0])["error"]
                    self.assertIn("pool process %d was killed by SIGKILL" % victim, error)
                    table = process_table()
                    self.assertEqual([p for p in tree if p in table and table[p][1] != "Z"], [],
                                     "every process of the sample is gone")

    def test_killed_distributed_worker_fails_the_sample(self):
        spec = spec_for("python-distributed", "sleep", {"sleep-ms": 20000}, 4, timeout_s=30)
        proc, read = start_driver(spec)
        # The worker programs: the driver's children that run distributed.py (not the manager's server).
        end = time.monotonic() + 10
        workers = []
        while len(workers) < 2 and time.monotonic() < end:
            table = process_table()
            workers = sorted(pid for pid in descendants(proc.pid, table) if "distributed.py" in table[pid][2])
            time.sleep(0.02)
        self.assertEqual(len(workers), 2)
        tree = descendants(proc.pid)
        time.sleep(0.8)  # past their start, into their tasks
        os.kill(workers[0], signal.SIGKILL)
        status, lines, err = finish_driver(proc, read, timeout=30)
        self.assertEqual(status, 1, err)
        error = json.loads(lines[0])["error"]
        self.assertIn("worker process %d was killed by SIGKILL" % workers[0], error)
        table = process_table()
        self.assertEqual([p for p in tree if p in table and table[p][1] != "Z"], [], "every process of the sample is gone")

    def test_hung_tasks_time_out(self):
        for model in bd.MODELS:
            with self.subTest(model=model):
                spec = spec_for(model, "sleep", {"sleep-ms": 30000}, 3, timeout_s=1.5)
                began = time.monotonic()
                self.failing(spec, contains=("timed out after timeout_s 1.5 s", "of 3 tasks done"), timeout=20)
                self.assertLess(time.monotonic() - began, 6.0)

    def test_driver_and_workers_die_with_their_parent(self):
        for model in ("python-serial", "python-process-pool"):
            with self.subTest(model=model):
                spec = spec_for(model, "sleep", {"sleep-ms": 20000}, 4, timeout_s=60)
                wrapper = subprocess.Popen(
                    [PYTHON, "-c", "import os, subprocess, sys, time\n"
                     "os.dup2(os.open('/dev/null', os.O_WRONLY), 9)\n"
                     "p = subprocess.Popen([sys.argv[1], sys.argv[2], '--report-fd', '9', sys.argv[3]],"
                     " pass_fds=(9,))\n"
                     "print(p.pid, flush=True)\ntime.sleep(60)\n", PYTHON, DRIVER, json.dumps(spec)],
                    stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
                driver = int(wrapper.stdout.readline())
                if model in POOLS:
                    pool_workers(driver, 2)
                else:
                    wait_until_stop_signals_ignored(driver)
                tree = [driver] + descendants(driver)
                wrapper.kill()
                wrapper.wait()
                wrapper.stdout.close()
                end = time.monotonic() + 5
                alive = tree
                while alive and time.monotonic() < end:
                    time.sleep(0.05)
                    table = process_table()
                    # Orphans are re-parented here (subreaper), also ones the driver started after
                    # `tree` was read (python-distributed's manager and workers): reap them, and
                    # count every other child of this test as still alive.
                    mine = [pid for pid, (ppid, _, _) in table.items() if ppid == os.getpid() and pid not in KEEP]
                    for pid in mine:
                        if table[pid][1] == "Z":
                            os.waitpid(pid, 0)
                    table = process_table()
                    alive = sorted({pid for pid in tree if pid in table} |
                                   {pid for pid, (ppid, _, _) in table.items() if ppid == os.getpid() and pid not in KEEP})
                self.assertEqual(alive, [], "the driver and its pool died with its parent")

    def test_sigterm_and_sigint_are_ignored(self):
        spec = spec_for("python-thread", "sleep", {"sleep-ms": 100}, 6)
        proc, read = start_driver(spec)
        wait_until_stop_signals_ignored(proc.pid)
        proc.send_signal(signal.SIGTERM)
        proc.send_signal(signal.SIGINT)
        status, lines, err = finish_driver(proc, read, timeout=20)
        self.assertEqual(status, 0, err)
        self.assertEqual(json.loads(lines[0])["tasks"], 6)


# --------------------------------------------------------------------------
# Bad specs and usage
# --------------------------------------------------------------------------

def old_python():
    path = os.environ.get("BENCH_OLD_PYTHON")
    if path:
        return path
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.[67].*/bin/python3")))
    return found[-1] if found else None


class BadSpecTests(DriverCase):
    def test_help_is_the_docstring_and_exit_0(self):
        for script in ("bench_driver.py", "seed_channels.py", "seed_handoff.py", "seed_pool_calls.py"):
            for flag in ("-h", "--help"):
                with self.subTest(script=script, flag=flag):
                    done = subprocess.run([PYTHON, os.path.join(HERE, script), flag], capture_output=True, text=True,
                                          timeout=30)
                    self.assertEqual(done.returncode, 0, done.stderr)
                    self.assertTrue(done.stderr.startswith("bench's "), done.stderr[:200])
                    self.assertNotIn("error", done.stderr.splitlines()[0])

    def test_bad_specs(self):
        good = spec_for("python-thread", "xor", {"iterations": 10}, 4)
        cases = [
            ({"model": "thread"}, ["model \"thread\" has no Python version", "python-process-async"]),
            ({"workload": "fib"}, ["workload \"fib\" has no Python version", "exec, http, noop, print, profile, sleep, xor"]),
            ({"params": {"iteration": 5}}, ["workload xor has no parameter(s) iteration", "iterations"]),
            ({"params": {"iterations": 0}}, ["iterations must be an integer >= 1"]),
            ({"tasks": 0}, ["tasks must be an integer >= 1"]),
            ({"tasks": "4"}, ["tasks must be an integer"]),
            ({"threads": None}, ["python-thread needs threads"]),
            ({"timeout_s": 0}, ["timeout_s must be a number > 0"]),
            ({"task_timing": 1}, ["task_timing must be true or false"]),
            ({"inflight": 3}, ["unknown spec key(s) inflight"]),
            ({"model": "python-process-pool", "start_method": "vfork"}, ["start_method \"vfork\" is not available"]),
            ({"workload": "http", "params": {}}, ["needs params.http-url"]),
            ({"workload": "http", "params": {"http-url": "http://127.0.0.1:1/", "http-client": "urlsession"}},
             ["http-client \"urlsession\" is Swift's only"]),
            ({"workload": "http", "params": {"http-url": "http://example.com:80/"}}, ["must be an IPv4 address"]),
            ({"workload": "print", "params": {"sink": "printer"}}, ["sink \"printer\""]),
        ]
        for change, texts in cases:
            with self.subTest(change=change):
                spec = dict(good)
                spec.update(change)
                self.failing(spec, contains=texts)

    def test_not_json(self):
        for text in ("{", "[1]", ""):
            with self.subTest(text=text):
                status, lines, _, _ = run_driver(None, argv=text)
                self.assertEqual(status, 1)
                self.assertEqual(len(lines), 1)
                self.assertIn(" — ", json.loads(lines[0])["error"])

    def test_unusable_report_fd(self):
        proc = subprocess.run([PYTHON, DRIVER, "--report-fd", "57", "{}"], stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"report descriptor 57 is not open", proc.stderr)
        proc = subprocess.run([PYTHON, DRIVER, "{}"], stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"--report-fd FD is required", proc.stderr)

    @unittest.skipUnless(old_python(), "no Python older than 3.8 found: set BENCH_OLD_PYTHON")
    def test_python_older_than_3_8(self):
        error = self.failing(spec_for("python-serial", "noop", {}, 1), python=old_python(),
                             contains=("is older than 3.8", "python3.8 or newer"))
        self.assertTrue(error.startswith("Python 3."))


if __name__ == "__main__":
    unittest.main()
