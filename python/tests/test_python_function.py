"""python-function: the user's own function under every model, its checksum
(the pickled result's digest), setup() and teardown() per process, and
every way it can go wrong told as the function's fault, naming it."""

import json
import os
import pickle
import shutil
import tempfile
import unittest

from tests.support import MODELS, PYTHON, DriverCase, run_driver, serial_checksum, setUpModule, spec_for  # noqa: F401

from bench.checksum import hex64, result_digest
from bench.failure import Failure
from bench.workloads.python_function import PROTOCOL, split_callable

# The user's package (--python-path): python/tests/fixtures/userpkg.
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def expected_checksum(function, tasks):
    return hex64(serial_checksum([result_digest(pickle.dumps(function(t), PROTOCOL)) for t in range(tasks)]))


class PythonFunctionTests(DriverCase):
    folder = FIXTURES

    @classmethod
    def setUpClass(cls):
        cls.logs = tempfile.mkdtemp(prefix="bench-pf-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.logs, ignore_errors=True)

    def spec(self, model, function, tasks=8, **extra):
        return spec_for(model, "python-function", {"callable": "userpkg.funcs:" + function, "python-path": self.folder},
                        tasks, **extra)

    def user_error(self, spec, contains=(), usage=False):
        status, lines, _, err = run_driver(spec)
        self.assertEqual(status, 1, err)
        self.assertEqual(len(lines), 1, lines)
        report = json.loads(lines[0])
        self.assertEqual(report.get("usage", False), usage, report)
        self.assertIn(" — ", report["error"])
        self.assertNotIn("report a bug", report["error"], "the driver is never blamed")
        for text in contains:
            self.assertIn(text, report["error"])
        return report["error"]

    def test_every_model_gives_the_pickled_results_checksum(self):
        import hashlib

        def digest(t):
            return {"task": t, "sha": hashlib.sha256(b"x" * (t + 1)).hexdigest()}
        expected = expected_checksum(digest, 10)
        for model in MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(self.spec(model, "digest", 10))
                self.assertEqual(report["checksum"], expected)
                self.assertEqual(report["to_thread"], model in ("python-async", "python-process-async"))

    def test_an_async_def_is_awaited_under_every_model(self):
        expected = expected_checksum(lambda t: [t, t * t], 6)
        for model in MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(self.spec(model, "waits", 6))
                self.assertEqual(report["checksum"], expected)
                self.assertFalse(report["to_thread"])

    def test_setup_and_teardown_run_once_in_every_process_that_runs_tasks(self):
        for model, method in (("python-serial", None), ("python-thread", None), ("python-process-pool", "fork"),
                              ("python-hybrid", "spawn"), ("python-distributed", None)):
            with self.subTest(model=model, method=method):
                log = os.path.join(self.logs, "log-%s" % model)
                env = dict(os.environ, PF_LOG=log)
                status, lines, _, err = run_driver(self.spec(model, "digest", 8, start_method=method), env=env)
                self.assertEqual(status, 0, "%s %s" % (lines, err))
                with open(log) as f:
                    entries = [line.split() for line in f]
                setups = [pid for word, pid in entries if word == "setup"]
                teardowns = [pid for word, pid in entries if word == "teardown"]
                self.assertEqual(sorted(setups), sorted(teardowns), entries)
                self.assertEqual(len(set(setups)), len(setups), "once per process")
                self.assertEqual(len(setups), 1 if model in ("python-serial", "python-thread") else 2, entries)

    def test_an_exception_names_the_callable_the_task_and_the_last_frame(self):
        for model in ("python-serial", "python-thread", "python-process-pool", "python-async"):
            with self.subTest(model=model):
                error = self.user_error(self.spec(model, "raises", 5), contains=(
                    "userpkg.funcs:raises failed in 1 of 5 tasks; the first, task 2: raised KeyError: 'no such record'",
                    "funcs.py:", "in raises"))
                self.assertTrue(error.endswith("fix the function (bench reports the first failing task; the others ran too)"))

    def test_sys_exit_in_the_function_is_its_failure(self):
        for model in ("python-serial", "python-thread"):
            with self.subTest(model=model):
                self.user_error(self.spec(model, "exits", 3), contains=("userpkg.funcs:exits failed in 3 of 3 tasks",
                                                                         "raised SystemExit: 3"))

    def test_an_unpicklable_result_is_a_usage_error_under_every_model(self):
        for model in ("python-serial", "python-process-pool", "python-async"):
            with self.subTest(model=model):
                self.user_error(self.spec(model, "unpicklable", 4), usage=True, contains=(
                    "userpkg.funcs:unpicklable failed in 4 of 4 tasks", "its result cannot be pickled", "lock",
                    "return a picklable value"))

    def test_a_hang_is_a_timeout_naming_the_callable(self):
        for model in ("python-serial", "python-thread", "python-process-pool"):
            with self.subTest(model=model):
                self.user_error(self.spec(model, "hangs", 2, timeout_s=2), contains=(
                    "userpkg.funcs:hangs: timed out after timeout_s 2 s", "raise --timeout, or fix the function"))

    def test_bad_callables_are_usage_errors(self):
        cases = [
            ("userpkg.funcs", self.folder, "has no colon"),
            ("userpkg.funcs:", self.folder, "is not module:function"),
            ("userpkg.nothere:f", self.folder, "module userpkg.nothere does not import: ModuleNotFoundError"),
            ("userpkg.broken:f", self.folder,
             "module userpkg.broken does not import: ModuleNotFoundError: No module named 'no_such_module_here'"),
            ("userpkg.funcs:missing", self.folder, "userpkg.funcs has no missing"),
            ("userpkg.funcs:NOT_A_FUNCTION", self.folder, "is a int, not a function"),
            ("userpkg.funcs:digest", os.path.join(self.folder, "absent"), "is not a folder"),
        ]
        for target, path, text in cases:
            with self.subTest(callable=target):
                spec = spec_for("python-serial", "python-function", {"callable": target, "python-path": path}, 2)
                error = self.user_error(spec, usage=True, contains=(text,))
                if "broken" in target:
                    self.assertIn("broken.py:2 in <module>", error, "the module's own line, not importlib's")

    def test_split_callable(self):
        self.assertEqual(split_callable("a.b:C.d"), ("a.b", ["C", "d"]))
        for text in ("", "a", "a:", ":f", "a-b:f", "a:f-g", "a:f:g"):
            with self.subTest(text=text), self.assertRaises(Failure) as raised:
                split_callable(text)
            self.assertTrue(raised.exception.usage)

    def test_a_result_that_varies_gives_another_checksum_each_sample(self):
        first, _, _ = self.sample(self.spec("python-serial", "varies", 3))
        second, _, _ = self.sample(self.spec("python-serial", "varies", 3))
        self.assertNotEqual(first["checksum"], second["checksum"], "bench's comparison then fails it")


if __name__ == "__main__":
    unittest.main()
