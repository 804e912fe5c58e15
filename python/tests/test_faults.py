"""Faults: pool processes and workers that die, tasks that raise or hang,
a parent that dies, stop signals; every process of the sample gone after."""

import json
import os
import signal
import subprocess
import time
import unittest

from tests.support import (DRIVER, KEEP, MODELS, POOLS, PYTHON, PYTHON_DIR, DriverCase, descendants,  # noqa: F401
                           finish_driver, pool_workers, process_table, setUpModule, spec_for, start_driver,
                           wait_until_stop_signals_ignored)


CHILD_OF_DRIVER = r"""
import json, multiprocessing, os, subprocess, sys
sys.path.insert(0, sys.argv[1])
from bench.process import die_with_driver
codes = {}
for method in multiprocessing.get_all_start_methods():
    child = multiprocessing.get_context(method).Process(target=die_with_driver, args=(os.getpid(),))
    child.start()
    child.join(30)
    codes[method] = child.exitcode
dead = subprocess.Popen([sys.executable, "-c", "pass"])
dead.wait()
child = multiprocessing.get_context("forkserver").Process(target=die_with_driver, args=(dead.pid,))
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
        done = subprocess.run([PYTHON, "-c", CHILD_OF_DRIVER, PYTHON_DIR], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        codes = json.loads(done.stdout)
        for method in multiprocessing.get_all_start_methods():
            self.assertEqual(codes[method], 0, method)
        self.assertEqual(codes["driver gone"], 1, "a child whose driver is gone exits at once")


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
        # The worker programs: the driver's children that run distributed_worker.py (not the manager's server).
        end = time.monotonic() + 10
        workers = []
        while len(workers) < 2 and time.monotonic() < end:
            table = process_table()
            workers = sorted(pid for pid in descendants(proc.pid, table) if "distributed_worker.py" in table[pid][2])
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
        for model in MODELS:
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



if __name__ == "__main__":
    unittest.main()
