"""The shared-state probes (seed_locks.py, seed_sharing.py,
seed_gil_switch.py), run as bench runs them: every variant's result is
checked - counts exact where a lock, an atomic or a copy makes them so,
lost updates reported (lost + final = expected), never hidden - and a bad
spec is one error line."""

import json
import os
import subprocess
import unittest

from tests.support import PYTHON, PYTHON_DIR, leftover_children, setUpModule  # noqa: F401 (unittest calls setUpModule)


def run_probe(script, spec, timeout=120):
    """(exit status, the report as a dict) of python/<script> on `spec`."""
    read, write = os.pipe()
    try:
        proc = subprocess.Popen([PYTHON, "-S", os.path.join(PYTHON_DIR, script), "--report-fd", str(write), json.dumps(spec)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write,), cwd=PYTHON_DIR)
    finally:
        os.close(write)
    _, err = proc.communicate(timeout=timeout)
    with os.fdopen(read, "rb") as report:
        lines = report.read().decode("utf-8").splitlines()
    assert len(lines) == 1, "one report line, got %r (stderr %s)" % (lines, err.decode("utf-8", "replace")[-400:])
    return proc.returncode, json.loads(lines[0])


class ProbeCase(unittest.TestCase):
    def tearDown(self):
        self.assertEqual(leftover_children(), [], "no process left behind")

    def samples(self, script, spec):
        status, report = run_probe(script, dict(spec, samples=2))
        self.assertEqual(status, 0, report)
        self.assertEqual(len(report["samples"]), 2)
        return report["samples"]

    def refused(self, script, spec, words):
        status, report = run_probe(script, spec)
        self.assertEqual(status, 1)
        self.assertIn(words, report.get("error", ""))
        self.assertIn(" — ", report["error"], "what — how to fix")


class LocksProbeTests(ProbeCase):
    def test_every_lock_excludes_at_one_and_several_parties(self):
        for subject in ("threading-lock", "threading-rlock", "mp-lock", "asyncio-lock", "asyncio-lock-await"):
            for parties in (1, 3):
                with self.subTest(subject=subject, parties=parties):
                    for sample in self.samples("seed_locks.py", {"kind": "lock", "subject": subject, "parties": parties, "millis": 20}):
                        self.assertEqual(sample["lost_updates"], 0)
                        self.assertGreaterEqual(sample["acquisitions"], 64 * parties, "a batch each at least")
                        self.assertGreater(sample["ns_per_acquire"], 0)

    def test_semaphore_of_two_lets_two_in_and_takes_the_seeds_arithmetic(self):
        for subject in ("threading-semaphore", "mp-semaphore", "asyncio-semaphore"):
            with self.subTest(subject=subject):
                for sample in self.samples("seed_locks.py", {"kind": "hold", "subject": subject, "hold_ms": 20}):
                    self.assertEqual(sample["most_inside"], 2)
                    # Never faster than ceil(5/2) holds: the semaphore really limits.
                    self.assertGreaterEqual(sample["seed_ratio"], 0.98)
                    self.assertAlmostEqual(sample["wall_ms"], sample["seed_ratio"] * 60, delta=0.01)

    def test_events_wake_their_waiter(self):
        for subject in ("threading-event", "mp-event", "asyncio-event"):
            with self.subTest(subject=subject):
                for sample in self.samples("seed_locks.py", {"kind": "event", "subject": subject, "rounds": 10, "pause_us": 100}):
                    self.assertGreater(sample["wake_p50_us"], 0)
                    self.assertGreaterEqual(sample["wake_p99_us"], sample["wake_p50_us"])

    def test_a_bad_spec_is_one_error_line(self):
        self.refused("seed_locks.py", {"kind": "lock", "subject": "threading-lock", "parties": 0}, "parties")
        self.refused("seed_locks.py", {"kind": "lock", "subject": "mp-event"}, "subject")


class SharingProbeTests(ProbeCase):
    GUARDED = ("threads-lock", "itertools-count", "asyncio-no-lock", "mp-value-lock", "manager-value", "shared-memory")
    UNGUARDED = ("threads-plus-equals", "threads-read-call-write", "asyncio-await-no-lock", "mp-value-no-lock")

    def counter(self, subject, count):
        return self.samples("seed_sharing.py", {"kind": "counter", "subject": subject, "workers": 3, "count": count})

    def test_guarded_counters_are_exact(self):
        for subject in self.GUARDED:
            with self.subTest(subject=subject):
                for sample in self.counter(subject, 50 if subject == "manager-value" else 2000):
                    self.assertEqual(sample["final_count"], sample["expected_count"])
                    self.assertEqual(sample["lost_updates"], 0)

    def test_unguarded_counters_report_what_they_lost(self):
        for subject in self.UNGUARDED:
            with self.subTest(subject=subject):
                for sample in self.counter(subject, 2000):
                    self.assertEqual(sample["expected_count"], 6000)
                    self.assertGreaterEqual(sample["lost_updates"], 0)
                    self.assertEqual(sample["lost_updates"] + sample["final_count"], sample["expected_count"])
                    self.assertAlmostEqual(sample["lost_fraction"], sample["lost_updates"] / 6000.0)

    def test_an_await_between_read_and_write_loses_all_but_one_task_s_updates(self):
        # asyncio is deterministic: every task reads the same value each round.
        for sample in self.counter("asyncio-await-no-lock", 500):
            self.assertEqual(sample["final_count"], 500)

    def test_each_process_counts_in_its_own_copy(self):
        for sample in self.counter("processes-own-copy", 1000):
            self.assertEqual(sample["parent_count"], 0, "the seed's claim: the parent still sees 0")
            self.assertEqual(sample["copies_exact"], 1)
            self.assertNotIn("lost_updates", sample)

    def test_each_thread_sees_only_its_own_value(self):
        for subject in ("argument", "threading-local", "locked-dict"):
            with self.subTest(subject=subject):
                for sample in self.samples("seed_sharing.py", {"kind": "local", "subject": subject, "workers": 4, "count": 2000}):
                    self.assertEqual(sample["foreign_reads"], 0)
                    self.assertGreater(sample["ns_per_access"], 0)

    def test_a_bad_spec_is_one_error_line(self):
        self.refused("seed_sharing.py", {"kind": "counter", "subject": "threads-lock", "count": 0}, "count")
        self.refused("seed_sharing.py", {"kind": "local", "subject": "threads-lock"}, "subject")


class GILSwitchProbeTests(ProbeCase):
    def test_an_io_thread_alone_and_beside_a_cpu_thread(self):
        alone = self.samples("seed_gil_switch.py", {"subject": "alone", "io": "sleep", "duration_ms": 50})
        for sample in alone:
            self.assertGreaterEqual(sample["io_p50_us"], 1000, "a 1 ms sleep takes 1 ms at least")
            self.assertEqual(sample["cpu_iterations_per_s"], 0)
        for subject in ("threads", "processes"):
            with self.subTest(subject=subject):
                for sample in self.samples("seed_gil_switch.py", {"subject": subject, "interval": 0.001, "io": "sleep", "duration_ms": 50}):
                    self.assertGreaterEqual(sample["io_p99_us"], sample["io_p50_us"])
                    self.assertGreater(sample["io_per_s"], 0)
                    self.assertGreater(sample["cpu_iterations_per_s"], 0)

    def test_switch_intervals_at_or_below_zero_are_refused(self):
        for interval in (0, -0.005, 11, "fast"):
            with self.subTest(interval=interval):
                self.refused("seed_gil_switch.py", {"subject": "threads", "interval": interval, "io": "sleep"}, "interval")
        self.refused("seed_gil_switch.py", {"subject": "alone", "io": "http"}, "url")


if __name__ == "__main__":
    unittest.main()
