"""print: every line parsed back, none cut, under every model."""

import os
import subprocess
import unittest

from tests.support import LINE, MODELS, MULTIPROCESS, SHAPE, SWIFT, DriverCase, setUpModule, spec_for  # noqa: F401

from bench.checksum import hex64


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
        for model in MODELS:
            with self.subTest(model=model):
                report, out, _ = self.sample(spec_for(model, "print", {"sink": "pipe"}, 100),
                                             stdout=subprocess.PIPE)
                self.assertEqual(report["checksum"], hex64(SWIFT[("print", "", 100)]))
                self.check_lines(out, 100, model, SHAPE["processes"], SHAPE["threads"])

    def test_many_threads_and_processes_never_cut_a_line(self):
        env = dict(os.environ, PYTHONUNBUFFERED="1")  # what cuts sys.stdout's lines
        report, out, _ = self.sample(spec_for("python-hybrid", "print", {}, 20000, processes=4, threads=16),
                                     stdout=subprocess.PIPE, env=env)
        self.assertEqual(report["checksum"], hex64(SWIFT[("print", "", 20000)]))
        self.check_lines(out, 20000, "python-hybrid", 4, 16)



if __name__ == "__main__":
    unittest.main()
