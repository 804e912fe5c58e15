"""The report descriptor: exactly one JSON line, written at most once, and
the arguments that name it (shared by the driver and the probes)."""

import json
import os
import threading

from bench.failure import Failure

MIN_VERSION = (3, 8)


class HelpRequested(Exception):
    """-h or --help among the arguments."""


class Reporter:
    """Writes the one line on the report descriptor, at most once."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()
        self.sent = False

    def send(self, obj):
        with self.lock:
            if self.sent:
                return
            self.sent = True
        try:
            text = json.dumps(obj, ensure_ascii=True, allow_nan=False)
        except ValueError:  # a NaN or infinity: never write invalid JSON
            text = json.dumps({"error": "internal error: a measurement was not a finite number — report a bug"})
        data = (text + "\n").encode("ascii")
        while data:
            written = os.write(self.fd, data)  # OSError (the parent is gone) is the caller's
            data = data[written:]


def parse_argv(argv, usage):
    """(report fd text or None, spec text or None) from `--report-fd FD SPEC_JSON|-`."""
    fd = None
    spec_text = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--report-fd" and i + 1 < len(argv):
            fd = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--report-fd="):
            fd = arg.split("=", 1)[1]
        elif arg in ("-h", "--help"):
            raise HelpRequested()
        elif spec_text is None and not arg.startswith("--"):
            spec_text = arg
        else:
            raise Failure("unexpected argument %r" % arg, "usage: %s --report-fd FD SPEC_JSON|-" % usage)
        i += 1
    return fd, spec_text


def open_reporter(fd_text, missing):
    """The Reporter on FD, or (None, the error line for standard error) when
    FD is absent, below 3 or not open. `missing` is the line's fix for an absent FD."""
    if fd_text is None or not fd_text.isdigit() or int(fd_text) < 3:
        return None, "error: --report-fd FD is required, FD >= 3 %s\n" % missing
    fd = int(fd_text)
    try:
        os.fstat(fd)
    except OSError as error:
        return None, "error: report descriptor %d is not open (%s) — open it in the parent and pass it\n" % (
            fd, error.strerror)
    os.set_inheritable(fd, False)  # spawned workers and servers do not get it
    return Reporter(fd), None
