"""What the experiments' probes (python/seed_channels.py, seed_handoff.py,
seed_pool_calls.py) share: their main (arguments, report descriptor, the
one JSON line), their spec's common keys, and the watch over their parties.
A probe's spec keeps its own defaults: bench's experiments send only what
they vary."""

import os
import sys
import threading
import time

from bench import fields
from bench.failure import Failure, describe, one_line
from bench.process import become_subreaper, die_with_driver, die_with_parent, exit_description, \
    ignore_stop_signals, usage_now
from bench.reaping import reap_children
from bench.report import MIN_VERSION, HelpRequested, open_reporter, parse_argv


class Spec:
    """A probe's checked spec: its keys as attributes."""


def child_setup(parent_pid):
    """First thing in every process a probe starts."""
    die_with_driver(parent_pid)
    ignore_stop_signals()


def own_cpu():
    """This process's user + system seconds so far."""
    usage = usage_now()
    return usage[0] + usage[1]


def fail_now(reporter, what, fix):
    """The probe's error line, after every child is killed and reaped; exits 1."""
    reap_children()
    try:
        reporter.send({"error": one_line("%s — %s" % (what, fix))})
    except OSError:
        pass
    os._exit(1)


class Parties:
    """The processes of one sample, watched: one that dies, or the timeout,
    ends the probe at once with one line (whatever the main thread is
    blocked on), after every child is killed and reaped."""

    def __init__(self, reporter, deadline):
        self.reporter = reporter
        self.deadline = deadline
        self.processes = []  # (role, Process)
        self.done = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def add(self, role, process):
        self.processes.append((role, process))

    def start(self):
        self.watcher.start()

    def _watch(self):
        while not self.done.wait(0.02):
            for role, process in self.processes:
                code = process.exitcode
                # 0: a party that did its part (a writer of 2x2) and left.
                if code is not None and code != 0 and not self.done.is_set():
                    fail_now(self.reporter, "%s (pid %d) %s during the sample" % (role, process.pid, exit_description(code)),
                             "a party must live until the sample ends; rerun, and check memory and process limits if it recurs")
            if time.perf_counter() > self.deadline and not self.done.is_set():
                fail_now(self.reporter, "the sample did not end within timeout_s",
                         "raise --timeout, or lower --messages")

    def stop(self):
        self.done.set()
        if self.watcher.ident is not None:
            self.watcher.join()


def probe_choice(raw, key, choices):
    """raw[key], which must be one of `choices`."""
    value = raw.get(key)
    if value not in choices:
        raise Failure("%s %r is not one of %s" % (key, value, ", ".join(choices)), "fix the spec's %s" % key)
    return value


def probe_kind_subject(raw, subjects):
    """(raw["kind"], raw["subject"]): a kind of `subjects` (kind -> its
    subjects), and one of that kind's subjects."""
    kind = probe_choice(raw, "kind", tuple(subjects))
    return kind, probe_choice(raw, "subject", subjects[kind])


def probe_integer(raw, key, minimum, default=None):
    """raw[key] (`default` when absent, if given), an integer >= minimum."""
    return fields.integer({key: raw.get(key, default)}, key, minimum)


def probe_common(spec, raw):
    """Reads the keys every probe's spec has into `spec`: samples,
    timeout_s and parent_pid."""
    spec.samples = probe_integer(raw, "samples", 1, 1)
    value = raw.get("timeout_s", 120)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e9:
        raise Failure("timeout_s must be a number > 0", "fix the spec's timeout_s")
    spec.timeout_s = value
    spec.parent_pid = raw.get("parent_pid")


def main_of(measure, parse, started, argv=None):
    """A probe's main: arguments, report descriptor, the one JSON line.
    `started`: the probe's start on time.perf_counter, which the timeout
    counts from; measure(spec, reporter, deadline) returns the report."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        fd_text, spec_text = parse_argv(argv, os.path.basename(sys.argv[0]))
    except HelpRequested:
        sys.stderr.write((sys.modules["__main__"].__doc__ or "") + "\n")
        return 0
    except Failure as failure:
        sys.stderr.write("error: %s\n" % failure.line())
        return 1
    reporter, error = open_reporter(fd_text, "— it is run by bench experiment")
    if reporter is None:
        sys.stderr.write(error)
        return 1
    try:
        if sys.version_info < MIN_VERSION:
            raise Failure("Python %s is older than 3.8" % sys.version.split()[0], "run the probe with python3.8 or newer")
        if spec_text is None:
            raise Failure("no spec", "pass SPEC_JSON")
        spec = parse(sys.stdin.read() if spec_text == "-" else spec_text)
        die_with_parent(spec.parent_pid)
        become_subreaper()
        ignore_stop_signals()
        deadline = started + spec.timeout_s - min(1.0, spec.timeout_s / 10.0)
        report = measure(spec, reporter, deadline)
    except Failure as failure:
        fail_now(reporter, failure.what, failure.fix)
    except BaseException as error:  # noqa: B902 — a bug: still one error line
        fail_now(reporter, "internal error: %s" % describe(error), "report a bug with the spec")
    report["python"] = sys.version.split()[0]
    try:
        reporter.send(report)
    except OSError:
        os._exit(1)
    reap_children(1.0)
    os._exit(0)
