"""Usage and bad specs: help, every key and parameter required, wrong
values, unusable report descriptors, too old a Python."""

import json
import os
import subprocess
import unittest

from tests.support import (BENCH_PARAMS, DRIVER, PYTHON, PYTHON_DIR, SWIFT, DriverCase, old_python,  # noqa: F401
                           run_driver, setUpModule, spec_for)

from bench.checksum import hex64
from bench.failure import Failure
from bench.spec import REQUIRED_KEYS
from bench.workloads import registry as workloads


class BadSpecTests(DriverCase):
    def test_help_is_the_docstring_and_exit_0(self):
        for script in ("bench_driver.py", "seed_channels.py", "seed_handoff.py", "seed_pool_calls.py"):
            for flag in ("-h", "--help"):
                with self.subTest(script=script, flag=flag):
                    done = subprocess.run([PYTHON, os.path.join(PYTHON_DIR, script), flag], capture_output=True, text=True,
                                          timeout=30)
                    self.assertEqual(done.returncode, 0, done.stderr)
                    self.assertTrue(done.stderr.startswith("bench's "), done.stderr[:200])
                    self.assertNotIn("error", done.stderr.splitlines()[0])

    def test_bad_specs(self):
        good = spec_for("python-thread", "xor", {"iterations": 10}, 4)
        http = BENCH_PARAMS["http"]  # http-url "": no server
        cases = [
            ({"model": "thread"}, ["model \"thread\" has no Python version", "python-process-async"]),
            ({"workload": "fib"}, ["workload \"fib\" has no Python version", "exec, http, noop, print, profile, python-function, sleep, xor"]),
            ({"params": {"iteration": 5}}, ["workload xor has no parameter(s) iteration", "iterations"]),
            ({"params": {"iterations": 0}}, ["iterations must be an integer >= 1"]),
            ({"tasks": 0}, ["tasks must be an integer >= 1"]),
            ({"tasks": "4"}, ["tasks must be an integer"]),
            ({"threads": None}, ["python-thread needs threads"]),
            ({"timeout_s": 0}, ["timeout_s must be a number > 0"]),
            ({"task_timing": 1}, ["task_timing must be true or false"]),
            ({"inflight": 3}, ["unknown spec key(s) inflight"]),
            ({"model": "python-process-pool", "start_method": "vfork"}, ["start_method \"vfork\" is not available"]),
            ({"workload": "http", "params": http}, ["needs params.http-url"]),
            ({"workload": "http", "params": dict(http, **{"http-url": "http://127.0.0.1:1/", "http-client": "urlsession"})},
             ["http-client \"urlsession\" is Swift's only"]),
            ({"workload": "http", "params": dict(http, **{"http-url": "http://example.com:80/"})}, ["must be an IPv4 address"]),
            ({"workload": "print", "params": dict(BENCH_PARAMS["print"], sink="printer")}, ["sink \"printer\""]),
            ({"params": {}}, ["workload xor lacks parameter(s) iterations", "bench sends them all"]),
        ]
        for change, texts in cases:
            with self.subTest(change=change):
                spec = dict(good)
                spec.update(change)
                self.failing(spec, contains=texts)

    def test_every_spec_key_is_required(self):
        # bench sends every key; the driver has no defaults to fall back on.
        good = spec_for("python-serial", "sleep", {"sleep-ms": 0}, 4)
        for key in REQUIRED_KEYS:
            with self.subTest(key=key):
                spec = dict(good)
                del spec[key]
                self.failing(spec, contains=("the spec lacks key(s) %s" % key, "bench sends them all"))

    def test_every_parameter_is_required(self):
        # bench's own workloads (a new one needs no line here to pass, only to be covered)
        self.assertLessEqual(set(BENCH_PARAMS), set(workloads.names()))
        for name in BENCH_PARAMS:
            declared = workloads.workload_class(name).parameters
            self.assertEqual(sorted(declared), sorted(BENCH_PARAMS[name]), name)
            for parameter in declared:
                with self.subTest(workload=name, parameter=parameter):
                    params = dict(BENCH_PARAMS[name])
                    del params[parameter]
                    with self.assertRaises(Failure) as raised:
                        workloads.make_workload(name, params, 60.0)
                    self.assertIn("workload %s lacks parameter(s) %s" % (name, parameter), raised.exception.line())
        spec = spec_for("python-thread", "sleep", {}, 4)
        spec["params"] = {}
        self.failing(spec, contains=("workload sleep lacks parameter(s) sleep-ms",))

    def test_spec_on_stdin(self):
        read, write = os.pipe()
        spec = spec_for("python-serial", "sleep", {"sleep-ms": 0}, 4)
        proc = subprocess.Popen([PYTHON, DRIVER, "--report-fd", str(write), "-"], stdin=subprocess.PIPE,
                                pass_fds=(write,))
        os.close(write)
        proc.communicate(json.dumps(spec).encode(), timeout=30)
        with os.fdopen(read) as report:
            lines = report.readlines()
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(json.loads(lines[0])["checksum"], hex64(SWIFT[("sleep", "sleep-ms=0", 4)]))

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

