"""Every model on the workloads that need no server: Swift's checksums, the
report's figures, shapes, start methods and task timing."""

import sys
import unittest

from tests.support import MODELS, POOLS, SWIFT, SWIFT_EXEC, SWIFT_PROFILE, SWIFT_PROFILE_SHARED_2, DriverCase, setUpModule, spec_for  # noqa: F401

from bench.checksum import hex64


class ModelTests(DriverCase):
    CASES = (
        ("xor", {"iterations": 1000}, 64, SWIFT[("xor", "iterations=1000", 64)]),
        ("sleep", {"sleep-ms": 1}, 16, SWIFT[("sleep", "sleep-ms=1", 16)]),
        ("noop", {}, 20000, SWIFT[("noop", "", 20000)]),
    )

    def test_every_model_gives_serials_checksum(self):
        for workload, params, tasks, expected in self.CASES:
            for model in MODELS:
                with self.subTest(model=model, workload=workload):
                    report, _, _ = self.sample(spec_for(model, workload, params, tasks))
                    self.assertEqual(report["checksum"], hex64(expected))
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
            for model in MODELS:
                with self.subTest(model=model, workload=workload, params=params):
                    report, _, _ = self.sample(spec_for(model, workload, params, tasks))
                    self.assertEqual(report["checksum"], hex64(expected))
        big = {"cpu-us": 10, "wait-ms": 0, "memory-kib": 0, "result-bytes": 300001}
        serial, _, _ = self.sample(spec_for("python-serial", "profile", big, 7))
        for model in POOLS:
            with self.subTest(model=model, result_bytes=300001):
                report, _, _ = self.sample(spec_for(model, "profile", big, 7))
                self.assertEqual(report["checksum"], serial["checksum"])

    def test_the_shared_block_keeps_swifts_checksum_and_forked_processes_share_it(self):
        params = {"cpu-us": 0, "wait-ms": 0, "memory-kib": 0, "result-bytes": 8, "shared-mib": 2}
        for model in MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(spec_for(model, "profile", params, 4))
                self.assertEqual(report["checksum"], hex64(SWIFT_PROFILE_SHARED_2))
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
                    self.assertEqual(report["checksum"], hex64(SWIFT[("xor", "iterations=1000", 64)]))
                    self.assertEqual(report["start_method"], method)

    def test_default_start_method_is_the_interpreters(self):
        import multiprocessing
        report, _, _ = self.sample(spec_for("python-process-pool", "noop", {}, 1))
        self.assertEqual(report["start_method"], multiprocessing.get_start_method())
        self.assertEqual(report["checksum"], hex64(SWIFT[("noop", "", 1)]))

    def test_chunksize_and_uneven_shapes(self):
        expected = hex64(SWIFT[("xor", "iterations=3", 100)])
        for extra in ({"chunksize": 7}, {"chunksize": 1000}, {"processes": 3, "threads": 7, "in_flight": 9},
                      {"processes": 1, "threads": 1, "in_flight": 1}):
            for model in MODELS:
                with self.subTest(model=model, extra=extra):
                    report, _, _ = self.sample(spec_for(model, "xor", {"iterations": 3}, 100, **extra))
                    self.assertEqual(report["checksum"], expected)

    def test_more_workers_than_tasks(self):
        for model in MODELS:
            with self.subTest(model=model):
                report, _, _ = self.sample(spec_for(model, "xor", {"iterations": 1000}, 4, processes=3, threads=8,
                                                    in_flight=8))
                self.assertEqual(report["checksum"], hex64(SWIFT[("xor", "iterations=1000", 4)]))

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
        self.assertEqual(report["checksum"], hex64(SWIFT[("xor", "iterations=1", 4)]))

    def serial_cpu(self, params, tasks):
        """CPU seconds python-serial spends on the work: what a model's own
        count must come near, however little of the machine it got."""
        report, _, _ = self.sample(spec_for("python-serial", "xor", params, tasks))
        return report["user_s"] + report["sys_s"]

    def test_thread_model_accounts_setup_and_cpu(self):
        report, _, _ = self.sample(spec_for("python-thread", "xor", {"iterations": 100000}, 16, threads=4))
        self.assertEqual(report["checksum"], hex64(SWIFT[("xor", "iterations=100000", 16)]))
        self.assertLess(report["setup_s"], report["wall_s"])
        self.assertGreater(report["user_s"] + report["sys_s"], 0.5 * self.serial_cpu({"iterations": 100000}, 16))

    def test_pool_counts_its_processes_usage(self):
        report, _, _ = self.sample(spec_for("python-process-pool", "xor", {"iterations": 100000}, 16))
        self.assertEqual(report["checksum"], hex64(SWIFT[("xor", "iterations=100000", 16)]))
        # The CPU work happens in the pool processes (the driver only waits):
        # compared with CPU time, not wall time, which a busy machine stretches.
        self.assertGreater(report["user_s"] + report["sys_s"], 0.5 * self.serial_cpu({"iterations": 100000}, 16))
        self.assertGreater(report["max_rss_kb"], 3 * 5000)  # driver + 2 processes


if __name__ == "__main__":
    unittest.main()
