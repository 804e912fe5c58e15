"""What a model measured over its span, the quantiles of its task times,
and the timeout's alarm (python/README.md, "Timing and accounting")."""

import signal
import time

from bench.failure import Failure, SampleTimeout
from bench.process import add_usage, usage_delta


class Measurement:
    """Filled by a model's run(): the span, its usage and peak memory, each
    task's raw value, the task spans and the failed tasks."""

    def __init__(self):
        self.wall = 0.0
        self.setup = 0.0
        self.usage = (0.0, 0.0, 0, 0)
        self.peak_kb = 0
        # (PSS, USS) kB of the driver where a model reads it at the span's end
        # (pools: while their processes live), and summed over the workers; None: unknown.
        self.own_share = None
        self.worker_share = (0, 0)
        self.results = None
        self.spans = None
        self.failures = []
        self.span_start = 0.0

    def count_usage(self, before, after, workers):
        """usage and peak_kb: this process's usage from `before` to `after`
        (usage_now() at the span's ends) plus each worker's (usage, VmHWM kB)
        or (usage, VmHWM kB, (PSS, USS) kB); worker_share: the shares summed,
        None when a worker's is missing or unknown."""
        usage = usage_delta(before, after)
        peaks = 0
        share = (0, 0)
        for worker in workers:
            usage = add_usage(usage, worker[0])
            peaks += worker[1]
            worker_share = worker[2] if len(worker) > 2 else None
            share = add_usage(share, worker_share) if share and worker_share else None
        self.usage, self.peak_kb, self.worker_share = usage, peaks, share


def quantile(sorted_values, probability):
    """Type 7 quantile (linear between closest ranks), as bench's Statistics."""
    position = probability * (len(sorted_values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


def _on_alarm(signum, frame):
    raise SampleTimeout()


def arm_alarm(deadline):
    """SIGALRM at `deadline` (perf_counter): SampleTimeout in the main thread."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(0.001, deadline - time.perf_counter()))


def disarm_alarm():
    signal.setitimer(signal.ITIMER_REAL, 0)


def timeout_failure(spec, results):
    done = 0 if results is None else sum(1 for r in results if r is not None)
    return spec.workload_object.describe_timeout(Failure(
        "timed out after timeout_s %g s with %d of %d tasks done" % (spec.timeout_s, done, spec.tasks),
        "raise timeout_s, or lower tasks or the work per task"))
