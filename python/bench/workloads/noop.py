"""noop: returns its task index; per-task timing would cost more than the task."""

from bench.workloads.workload import Workload, noop_close


class NoopWorkload(Workload):
    name = "noop"
    timed = False

    def session(self, thread):
        def run(t):
            return t
        return run, noop_close


WORKLOAD = NoopWorkload
