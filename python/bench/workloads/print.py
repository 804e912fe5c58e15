"""print: one line `进程{pid}: 线程{thread} 正在消耗:{t} 时间：{datetime.now()}`
on fd 1; thread = the thread's number 0..T-1 in its process (0 for serial,
process-pool and async); result mix(t ^ 0x7072696E74).

Lines go through a text stream of this module's own over fd 1, line
buffered over a binary buffer of PIPE_BUF bytes: every line is written
whole, and a write(2) never exceeds PIPE_BUF, so lines of several threads
or processes on one pipe never cut each other (PYTHONUNBUFFERED=1 makes
sys.stdout write a line in pieces; see seed400.py). Each thread/process
flushes it before it reports its last task done. `sink` and `line-buffered`
are accepted and not used: bench wires the sink to fd 1, and every line is
written whole whatever they say."""

import os
import sys

from bench import fields
from bench.checksum import mix
from bench.workloads.workload import Workload, noop_close

PRINT_SALT = 0x7072696E74  # "print"
PIPE_BUF = 4096  # Linux; a pipe write of at most this many bytes is atomic
SINKS = ("pipe", "file", "devnull", "tty")

_OUT = None  # this process's print stream


class PrintWorkload(Workload):
    name = "print"
    parameters = ("sink", "line-buffered")
    imports = async_imports = ("datetime",)

    def __init__(self, sink, line_buffered):
        self.sink = sink
        self.line_buffered = line_buffered

    @classmethod
    def from_params(cls, params, timeout_s):
        return cls(fields.choice(params, "sink", SINKS, "fix params.sink"), fields.flag(params, "line-buffered"))

    def setup_process(self):
        global _OUT
        import io
        if _OUT is not None:  # inherited through fork: the parent's, empty
            return
        sys.stdout.flush()
        raw = io.FileIO(1, "w", closefd=False)
        # Line buffered, over a buffer of PIPE_BUF bytes: a line is handed
        # over whole and flushed at its newline, and a flush (several lines
        # when threads race) never writes more than PIPE_BUF bytes at once,
        # so the kernel never splits it between processes sharing a pipe.
        _OUT = io.TextIOWrapper(
            io.BufferedWriter(raw, buffer_size=PIPE_BUF), encoding="utf-8",
            errors="strict", newline="\n", line_buffering=True)

    def session(self, thread):
        from datetime import datetime
        write = _OUT.write
        now = datetime.now
        getpid = os.getpid
        line = "进程{}: 线程{} 正在消耗:{} 时间：{}\n".format

        def run(t):
            write(line(getpid(), thread, t, now()))
            return t
        return run, noop_close

    def result(self, raw, task):
        return mix(raw ^ PRINT_SALT)

    def flush(self):
        if _OUT is not None:
            _OUT.flush()


WORKLOAD = PrintWorkload
