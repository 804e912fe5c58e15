#!/usr/bin/env python3
"""bench's CPython driver: runs ONE sample (one measured run of one cell) of a
`python-*` model and reports what it measured on a file descriptor.

Standard library only; CPython 3.8 or newer (older versions get an error
report; the file still parses on 3.6 and 3.7 so that they can say so).

Interface
=========

    python3 bench_driver.py --report-fd FD SPEC_JSON
    python3 bench_driver.py --report-fd FD -          (the spec on stdin)

FD is a descriptor (3 or higher) opened by the parent, on which the driver
writes exactly one line of JSON, then exits: 0 with a report, 1 with an error.
Nothing else is ever written on FD. Standard output belongs to the workload
(the print workload's sink); standard error gets nothing in normal operation
(Python may print warnings or a crash there; read it only when exit is not 0).
If FD itself is unusable the driver says so on standard error and exits 1.

Start it with the interpreter's real path, not a pyenv shim (a shell script,
~100 ms), and preferably with -S: the driver needs only the standard
library, and site's .pth files cost ~20 ms per sample on bench's VMs
(multiprocessing passes -S on to spawned pool processes).

SPEC_JSON is an object:

    {"model": "python-thread", "workload": "xor", "params": {"iterations": 2000000},
     "tasks": 64, "processes": 1, "threads": 4, "in_flight": 4, "chunksize": null,
     "start_method": null, "timeout_s": 120, "task_timing": true}

- model: python-serial | python-thread | python-process-pool | python-hybrid |
  python-async | python-process-async | python-distributed (see Models).
- workload: xor | sleep | noop | print | http | profile | exec | crawl; params holds its parameters,
  named as bench's flags without `--` (missing ones take bench's defaults):
  xor `iterations` (2000000); sleep `sleep-ms` (10); noop none; print `sink`
  (pipe) and `line-buffered` (false), both accepted and not used: bench wires
  the sink to fd 1 and this driver always writes whole lines (see print);
  http `http-url` (required, `http://IPv4-or-localhost:PORT/`),
  `http-bytes` (1024), `http-latency-ms` (10, the server's; not used here),
  `keep-alive` (false), `http-client` (native; `urlsession` is Swift's only);
  profile `cpu-us` (1000), `wait-ms` (1), `wait` (sleep | http), `memory-kib`
  (256), `result-bytes` (1024), `wait-url` (required with wait http: the
  server, answering after wait-ms), `shared-mib` (0) and `iteration-ps`
  (Swift's time per step: accepted, not used, as this driver measures its
  own); exec
  `command` (required: the program and its arguments);
  crawl `http-url` (required: bench's server, which serves the site),
  `crawl-dir` (required: an empty folder), `crawl-pages` (50), `crawl-links`
  (20), `crawl-image-bytes` (204800), `pipeline` (phased | overlapped),
  `http-latency-ms` (10, the server's; not used here).
- tasks >= 1 (crawl: at most crawl-pages x crawl-links). processes, threads, in_flight: integers >= 1 where the model
  has that dimension (python-thread: threads; python-process-pool:
  processes; python-hybrid: processes and threads per process;
  python-async: in_flight; python-process-async: processes and in_flight
  per process), otherwise ignored (null allowed).
- chunksize: python-process-pool's tasks per message, null = Pool's own
  default ceil(tasks / (4 x processes)); ignored by the other models.
- start_method: fork | spawn | forkserver | null (= the interpreter's
  default: fork on Linux up to 3.13, forkserver from 3.14); pool models only.
- timeout_s > 0 (default 120): counted from the driver's own start. The
  driver gives up min(1 s, timeout_s / 10) earlier, so that its error line
  and cleanup land within timeout_s; the parent should still allow a few
  seconds of grace before it kills the process group itself.
- task_timing (default true): time every task (see task_p50_s).
- parent_pid (optional): the parent's pid; the driver exits at once if its
  parent is already another process (closes the race before prctl below).
Unknown keys are an error (a typo must not silently change the cell).

The report (one line, keys in this order):

    {"wall_s", "setup_s", "user_s", "sys_s", "vcsw", "ivcsw", "max_rss_kb", "pss_kb", "uss_kb",
     "checksum": "0x%016x", "tasks", "task_p50_s", "task_p99_s",
     "queue_p50_s", "queue_p99_s",
     "python": "3.11.7", "implementation": "cpython", "gil_enabled": true,
     "start_method": "fork" | null, "switch_interval_s": 0.005}

or `{"error": "what — how to fix"}` (one line) with exit status 1, for a bad
spec, an unsupported workload/model/Python, a task that raised (all tasks
still run; "N of M tasks failed; the first: ..."; http: "N of M requests
failed"), a pool process that died (named by pid and how it ended), or a
timeout. On failure every process the driver started is killed and reaped
before the line is written.

Models
======

- python-serial: the tasks in order on the main thread.
- python-thread: `threads` threading.Threads over one queue.Queue of all
  tasks (get_nowait until queue.Empty, as in the tutorials).
- python-process-pool: multiprocessing.Pool(processes); the tasks in chunks
  of `chunksize` consecutive indices (one Pool task each, imap_unordered);
  each worker process runs its chunks on one thread.
- python-hybrid: the tutorial's "4 processes x N threads": Pool(processes);
  one Pool task per process, an even contiguous block of the tasks
  (block i = [tasks*i//P, tasks*(i+1)//P)); the process that takes it fills
  a queue.Queue with the block and runs `threads` threads over it. As with
  the tutorial's apply_async, Pool does not promise one block per process.
- python-async: one asyncio event loop, at most `in_flight` tasks in flight:
  min(in_flight, tasks) coroutines ("slots") each take the next task index.
- python-process-async: Pool(processes), one even block per process as in
  python-hybrid; the process runs an asyncio loop with at most `in_flight`
  of the block's tasks in flight (the seed's 多进程+协程).
- python-distributed: the seeds' BaseManager master/worker (distributed.py):
  `processes` worker programs connect to the master's manager with an
  authkey and take chunks of `chunksize` tasks (default as the pool's) from
  its task_queue; the manager starts before the span (distributed.py's
  docstring has its timing).

Timing and accounting (DESIGN.md "Timing and accounting")
=========================================================

Clock: time.perf_counter (CLOCK_MONOTONIC on Linux). Interpreter start,
argument parsing, every import the model needs (multiprocessing's lazy ones
included), the workload's precomputation (http bodies' digests) and the
print stream happen BEFORE the span. The span starts right before the pool,
threads or event loop are created and ends when the last task's result is
in: serial, the last task returned; threads, the latest time a thread
finished its last task; pools, the last result arrived in the driver;
async, the last slot finished. Pool close/join, event-loop close and the
checksum all fall after it.

- wall_s: the span. setup_s: from the span's start until the workers
  exist: threads, created and started behind a start gate (an Event they
  wait on; the task queue is filled and the gate opened after setup);
  pools, until Pool() returned; asyncio, the event loop's creation; serial 0.
- user_s, sys_s, vcsw, ivcsw: this process's getrusage(RUSAGE_SELF) delta
  over the span, plus every pool process's own cumulative getrusage at its
  last completed Pool task (each reply carries its pid and usage; the latest
  per pid is kept). Pool processes start inside the span, so their
  cumulative usage is in-span usage. Not counted: a forkserver or resource
  tracker process (they are multiprocessing's, not the pool's).
- max_rss_kb: this process's VmHWM (reset to the current RSS just before
  the span by writing 5 to /proc/self/clear_refs, when allowed) plus every
  pool process's VmHWM at its last Pool task. Forked processes count the
  pages they share with the driver, as RSS does.
- pss_kb, uss_kb: Pss and Private_Clean + Private_Dirty of
  /proc/self/smaps_rollup, the driver's (pools: at the span's end, while the
  pool processes live) plus every pool process's at its last Pool task; PSS
  shares a page among the processes that map it, so this sum counts pages
  forked processes share once. null where unreadable, and for
  python-distributed (its workers do not report them).
- task_p50_s, task_p99_s: each task's own duration (perf_counter around the
  task body, in whichever process or coroutine runs it; under asyncio this
  includes time suspended), quantiles over all tasks of the sample by
  linear interpolation between closest ranks (type 7, as bench's
  Statistics.quantile). null for noop (timing would cost more than the
  task) and when task_timing is false.
- queue_p50_s, queue_p99_s: each task's wait from the span's start until a
  thread, process or coroutine began it (so under pools it includes the
  pool's start), same quantiles, null whenever task_p50_s is.

Checksums (equal to Swift's bit for bit; arithmetic modulo 2**64)
=================================================================

- mix(z): SplitMix64's finaliser; term(t, r) = mix(r ^ mix(t + 0x9E3779B97F4A7C15));
  checksum = sum of term(t, result of t) over all tasks, mod 2**64.
- xor: x = mix(t); x = (x ^ i) + 1 for i in range(iterations); result
  x mod 2**64, masked once at the end (the low 64 bits of ^ and + depend
  only on the low 64 bits of their operands, and x grows by at most
  `iterations` above 2**64, so the loop stays as cheap as the tutorial's).
- sleep: time.sleep(ms / 1000) (asyncio.sleep under asyncio); t*31 + ms.
- noop: t.
- print: one line `进程{pid}: 线程{thread} 正在消耗:{t} 时间：{datetime.now()}`
  on fd 1; thread = the thread's number 0..T-1 in its process (0 for
  serial, process-pool and async). result mix(t ^ 0x7072696E74).
  Lines go through a text stream of this driver's own over fd 1, line
  buffered over a binary buffer of PIPE_BUF bytes: every line is written
  whole, and a write(2) never exceeds PIPE_BUF, so lines of several threads
  or processes on one pipe never cut each other (PYTHONUNBUFFERED=1 makes
  sys.stdout write a line in pieces; see seed400.py). Each thread/process
  flushes it before it reports its last task done.
- http: GET /task/{t}; blocking http.client for serial/thread/pools, asyncio
  streams (open_connection) for the async models; a new connection per
  request (`Connection: close`) unless keep-alive, then one per thread or
  per in-flight slot, reused. Status 200 and exactly http-bytes bytes, or
  the request fails. result = FNV-1a 64 over the body, then
  mix(state ^ length). The expected body of every task and its digest are
  computed before the span; a received body equal to the expected one
  takes the precomputed digest, any other is digested for real (and so
  fails the checksum comparison in bench).
- crawl: the seed's crawler (002) on bench's site (Sources/LocalHTTP/
  CrawlSite.swift). Task t is image k = t % crawl-links of page p = t //
  crawl-links. The producer is one per process (per event loop under
  asyncio): whichever task first needs links nobody has read becomes it,
  GETs /browse/<p>/, finds the <img> sources with html.parser and keeps
  those the seed's regular expression (/uploads/\\d+/(.*?png)).*?png turns
  into an image path and file name; phased, it reads every page before any
  task downloads, overlapped only the page it needs. A task then GETs its
  image (a new connection, as requests.get), checks its size and first
  line, and writes it to crawl-dir with open(..., "xb"): a second write
  fails the task. result = mix(digest(path) + length), digest as http's.
  bench checks the files after the sample.

- profile: x = xor_round_trip(mix(t ^ 0x70726F66696C65), iterations): the
  xor chain for iterations // 2 steps, then unwound step by step
  (x = (x - 1) ^ i), which returns the seed exactly; iterations = cpu-us x
  10**6 // the picoseconds one step takes in this interpreter (measured
  before the span: the fastest of 6 runs of 20,000 steps from a 64-bit
  seed, as the tasks' are), so the time is
  Python's, the result the same as Swift's. Then the wait (time.sleep,
  asyncio.sleep, or GET /task/{t} from wait-url, status 200 and 64 bytes or
  the request fails); then memory: a bytearray of memory-kib KiB, the byte
  v = (x & 0xFF) | 1 written at every 64th offset, the bytes at every
  4096th offset summed (touched = pages x v); then the shared block: a
  bytes object of shared-mib MiB of 0xA5, built in prepare() before the
  span (pool processes forked afterwards share its pages; spawn and
  forkserver pickle a copy to each), its bytes at every 4096th offset
  summed (read = pages x 0xA5). The raw value is
  result-bytes bytes: the little-endian 64-bit word
  w = x ^ mix(touched + (64 if wait http else 0) + read) repeated and cut to
  length; a pool returns the bytes object itself, so it is pickled back
  whole. result = the digest of those bytes: mix(S ^ mix(length)), S the
  wrapping sum of the little-endian 64-bit words, the last zero-padded
  (bytes equal to the expected ones take the precomputed digest).
- exec: shlex.split(command) (POSIX rules, no shell), {task} replaced in
  every argument, the program found on PATH before the span;
  subprocess.run (asyncio.create_subprocess_exec under asyncio) with
  stdin /dev/null and both outputs piped. result = the bytes it wrote on
  standard output; a status other than 0 fails the task with the status
  and the first line of its standard error.

The task body returns a raw value and the workload maps it to its result
after the span (print: raw t -> mix(t ^ ...)); the checksum is computed
after the span too, from the result of every task index, so Python's ~1 us
per mix does not count as dispatch cost. A missing or duplicated task fails
the sample.

Processes and signals
=====================

- The driver and every pool process ask the kernel for SIGKILL when their
  parent dies (prctl PR_SET_PDEATHSIG through ctypes), then check that the
  parent is still there. NB: Linux sends it when the parent *thread* that
  forked them exits; bench must spawn the driver from a thread that lives
  as long as the child.
- The driver and its pool processes ignore SIGINT and SIGTERM: bench
  decides when to stop (it runs the driver in a process group of its own).
- A pool process that dies, or a timeout, fails the sample: pool processes
  are SIGKILLed (Pool.terminate() alone would hang: they ignore SIGTERM,
  and Pool waits for an inqueue lock a killed worker may hold), the
  forkserver and resource tracker are stopped, every child is reaped, then
  the error line is written. The driver is a child subreaper
  (PR_SET_CHILD_SUBREAPER), so a forkserver's orphaned processes become its
  children and are reaped too: init does not reap orphans on bench's VMs.
  After a success the same helpers are stopped and reaped after Pool's
  close/join, outside the span.
- Debug: with BENCH_DRIVER_DEBUG=1 in the environment the driver writes one
  extra JSON line on standard error: the span's start on CLOCK_MONOTONIC
  (compare with the parent's spawn time) and any module imported in the span.
"""

import os
import sys
import time

_DRIVER_START = time.perf_counter()

import gc  # noqa: E402  (the start time above comes first)
import json  # noqa: E402
import queue  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
PRINT_SALT = 0x7072696E74  # "print"
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
HTTP_PATTERN_LINE = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+\n"
PIPE_BUF = 4096  # Linux; a pipe write of at most this many bytes is atomic
PROFILE_SALT = 0x70726F66696C65  # "profile"
PROFILE_HTTP_BYTES = 64  # the body of the server's answers to a profile task's request
SHARED_VALUE = 0xA5  # profile: every byte of the shared-mib block (Swift's SharedBlock.value)
MEMORY_STRIDE = 64  # profile: one byte written per cache line...
MEMORY_PAGE = 4096  # ...and one read back per page
MIN_VERSION = (3, 8)

MODELS = (
    "python-serial", "python-thread", "python-process-pool",
    "python-hybrid", "python-async", "python-process-async", "python-distributed",
)
POOL_MODELS = ("python-process-pool", "python-hybrid", "python-process-async")


# ---------------------------------------------------------------------------
# Checksum arithmetic (Sources/Workloads/Checksum.swift)
# ---------------------------------------------------------------------------

def mix(z):
    """SplitMix64's finaliser, modulo 2**64."""
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def term(task, result):
    """One task's contribution to the checksum."""
    return mix(result ^ mix(task + GOLDEN))


def checksum(results):
    """The checksum of results[t] for every task t (order-independent sum)."""
    total = 0
    for task, result in enumerate(results):
        total += term(task, result)
    return total & MASK


def hex64(value):
    return "0x%016x" % (value & MASK)


def xor_chain(seed, iterations):
    """The xor task from a given seed, masked once at the end."""
    x = seed
    for i in range(iterations):
        x = (x ^ i) + 1
    return x & MASK


def xor_round_trip(seed, iterations):
    """profile's computing: the xor chain forward for half the iterations,
    then unwound; returns seed (exactly: Python's integers never wrap, and
    each backward step inverts a forward one)."""
    x = seed
    half = iterations // 2
    for i in range(half):
        x = (x ^ i) + 1
    for i in range(half - 1, -1, -1):
        x = (x - 1) ^ i
    return x


def round_trip_picoseconds(steps=20000, rounds=6):
    """Picoseconds one step of xor_round_trip takes in this interpreter: the
    fastest of `rounds` runs after one to warm up (slower ones were the
    scheduler's doing). From a 64-bit seed, as a task's: a step on an int
    above 2**62 (three 30-bit digits) costs about 1.6 times one on a small int."""
    fastest = None
    for round_number in range(rounds + 1):
        start = time.perf_counter()
        xor_round_trip(mix(round_number ^ PROFILE_SALT), steps)
        elapsed = time.perf_counter() - start
        if round_number > 0 and (fastest is None or elapsed < fastest):
            fastest = elapsed
    return max(1, int(fastest * 1e12 / steps))


def repeated_bytes(word, count):
    """`count` bytes of the 64-bit word repeated, little-endian (ResultBytes.swift)."""
    return (word.to_bytes(8, "little") * (count // 8 + 1))[:count]


def result_digest(data):
    """ResultBytes.digest: the wrapping sum of the little-endian 64-bit words
    (the last one zero-padded), finished as mix(sum ^ mix(length))."""
    count = len(data)
    padded = bytes(data) + b"\0" * (-count % 8)
    total = sum(memoryview(padded).cast("Q")) if sys.byteorder == "little" else \
        sum(int.from_bytes(padded[i:i + 8], "little") for i in range(0, len(padded), 8))
    return mix((total & MASK) ^ mix(count))


def repeated_digest(word, count):
    """result_digest(repeated_bytes(word, count)) without the bytes."""
    remainder = count % 8
    tail = word & ((1 << (8 * remainder)) - 1)
    return mix(((word * (count // 8) + tail) & MASK) ^ mix(count))


def body_digest(body):
    """FNV-1a 64 over the bytes, finished as mix(state ^ length)."""
    state = FNV_OFFSET
    for byte in body:
        state = ((state ^ byte) * FNV_PRIME) & MASK
    return mix(state ^ len(body))


def http_pattern(nbytes):
    return (HTTP_PATTERN_LINE * (nbytes // 64 + 1))[:nbytes]


def http_body(task, nbytes, pattern=None):
    """The body the server sends for GET /task/<task> (HTTPBody.swift)."""
    if pattern is None:
        pattern = http_pattern(nbytes)
    prefix = b"task %d\n" % task
    head = min(len(prefix), nbytes)
    return prefix[:head] + pattern[head:nbytes]


def quantile(sorted_values, probability):
    """Type 7 quantile (linear between closest ranks), as bench's Statistics."""
    position = probability * (len(sorted_values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


# ---------------------------------------------------------------------------
# Errors and the report
# ---------------------------------------------------------------------------

class Failure(Exception):
    """A sample that cannot run or did not succeed: what went wrong, how to fix it."""

    def __init__(self, what, fix):
        Exception.__init__(self, what)
        self.what = what
        self.fix = fix

    def line(self):
        return one_line("%s — %s" % (self.what, self.fix))


class SampleTimeout(BaseException):
    """Raised by SIGALRM in the main thread; a BaseException so that the
    per-task `except Exception` does not count it as a failed task."""


class HTTPFailure(Exception):
    pass


def one_line(text, limit=600):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def describe(error):
    message = str(error)
    name = type(error).__name__
    return one_line("%s: %s" % (name, message) if message else name, 300)


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


# ---------------------------------------------------------------------------
# Process-level helpers (used by the driver and by every pool process)
# ---------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent=None):
    """SIGKILL this process when its parent dies; exit now if it already has."""
    before = os.getppid()
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    except (OSError, AttributeError):
        pass  # not Linux: the parent's process-group kill still applies
    now = os.getppid()
    if now != before or (expected_parent is not None and now != expected_parent):
        os._exit(1)  # the parent died before the request took effect


def die_with_driver(driver_pid):
    """die_with_parent for a multiprocessing child under any start method:
    fork's and spawn's parent is the driver; forkserver's (Python 3.14's
    default) is the forkserver, which exits when the driver's end of its
    pipe closes; then the driver itself must still be alive."""
    if os.getppid() == driver_pid:
        die_with_parent(driver_pid)
        return
    die_with_parent()
    try:
        os.kill(driver_pid, 0)
    except OSError:
        os._exit(1)  # the driver died before this child started


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Orphaned descendants (a forkserver's processes when it dies) become
    this process's children, so that reap_children() can reap them."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def ignore_stop_signals():
    # bench decides when a sample stops; Ctrl-C in bench's terminal reaches
    # the whole foreground group otherwise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A signal mask is inherited across exec: a parent that spawned us from a
    # thread with SIGALRM blocked (test runners do) would leave the timeout's
    # alarm pending forever, and a hung task would hang the driver.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGALRM])


def usage_now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime, r.ru_stime, r.ru_nvcsw, r.ru_nivcsw)


def peak_rss_kb():
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_share_kb():
    """(pss_kb, uss_kb) of this process from /proc/self/smaps_rollup, or None
    where it is unreadable. PSS divides each shared page among the processes
    that map it, so PSS sums over processes (a page forked processes share
    counts once); USS = Private_Clean + Private_Dirty, what only this process
    holds."""
    fields = {}
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            for line in rollup:
                name, _, rest = line.partition(b":")
                if name in (b"Pss", b"Private_Clean", b"Private_Dirty"):
                    fields[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if len(fields) != 3:
        return None
    return fields[b"Pss"], fields[b"Private_Clean"] + fields[b"Private_Dirty"]


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------------------
# Workloads. A workload object is plain data (it is pickled to pool
# processes); setup_process() builds what one process needs, session(j)
# gives thread j's task function run(t) -> raw value, async_session() a
# slot's coroutine function; result(raw, task) maps raw values after the span.
# ---------------------------------------------------------------------------

_OUT = None  # this process's print stream
_HTTP_PATTERN = None  # this process's http pattern bytes


def _noop_close():
    pass


async def _noop_aclose():
    pass


class Workload:
    timed = True  # per-task timing makes sense
    imports = ()  # modules the blocking sessions use, imported before the span
    async_imports = ()  # and the asyncio ones

    def modules(self, asynchronous):
        return self.async_imports if asynchronous else self.imports

    def prepare(self, tasks):
        """In the driver, before the span."""

    def setup_process(self):
        """In every process that runs tasks, once."""

    def session(self, thread):
        raise NotImplementedError

    def async_session(self):
        run, close = self.session(0)

        async def arun(t):
            return run(t)

        async def aclose():
            close()
        return arun, aclose

    def result(self, raw, task):
        return raw

    def flush(self):
        pass

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d tasks failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "run the same cell with python-serial to see the task's error")


class XorWorkload(Workload):
    name = "xor"

    def __init__(self, iterations):
        self.iterations = iterations

    def session(self, thread):
        n = self.iterations

        def run(t):
            # mix(t) inline would save a call; it is 1 of n+1 steps.
            x = mix(t)
            for i in range(n):
                x = (x ^ i) + 1
            return x & MASK
        return run, _noop_close


class SleepWorkload(Workload):
    name = "sleep"

    def __init__(self, milliseconds):
        self.milliseconds = milliseconds

    def session(self, thread):
        seconds = self.milliseconds / 1000.0
        ms = self.milliseconds
        sleep = time.sleep

        def run(t):
            sleep(seconds)
            return (t * 31 + ms) & MASK
        return run, _noop_close

    def async_session(self):
        import asyncio
        seconds = self.milliseconds / 1000.0
        ms = self.milliseconds
        sleep = asyncio.sleep

        async def arun(t):
            await sleep(seconds)
            return (t * 31 + ms) & MASK
        return arun, _noop_aclose


class NoopWorkload(Workload):
    name = "noop"
    timed = False

    def session(self, thread):
        def run(t):
            return t
        return run, _noop_close


class PrintWorkload(Workload):
    name = "print"
    imports = async_imports = ("datetime",)

    def __init__(self, sink, line_buffered):
        self.sink = sink
        self.line_buffered = line_buffered

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
        return run, _noop_close

    def result(self, raw, task):
        return mix(raw ^ PRINT_SALT)

    def flush(self):
        if _OUT is not None:
            _OUT.flush()


class HTTPWorkload(Workload):
    name = "http"
    imports = ("http.client", "encodings.idna")  # idna: socket.create_connection encodes the host

    def __init__(self, url, nbytes, latency_ms, keep_alive, socket_timeout):
        self.url = url
        self.host, self.port = parse_http_url(url)
        self.nbytes = nbytes
        self.latency_ms = latency_ms
        self.keep_alive = keep_alive
        self.socket_timeout = socket_timeout
        self.digests = None

    def prepare(self, tasks):
        pattern = http_pattern(self.nbytes)
        # FNV in Python is ~60 us per KiB: paid here, once per sample, so
        # that a task only compares bytes.
        self.digests = [body_digest(http_body(t, self.nbytes, pattern)) for t in range(tasks)]

    def setup_process(self):
        global _HTTP_PATTERN
        _HTTP_PATTERN = http_pattern(self.nbytes)

    def _check(self, t, status, body):
        if status != 200:
            raise HTTPFailure("GET /task/%d answered status %s" % (t, status))
        if len(body) != self.nbytes:
            raise HTTPFailure("GET /task/%d answered %d bytes, expected http-bytes %d"
                              % (t, len(body), self.nbytes))
        if body == http_body(t, self.nbytes, _HTTP_PATTERN):
            return self.digests[t]
        return body_digest(body)  # wrong content: its real digest fails the checksum

    def session(self, thread):
        import http.client
        host, port, keep, timeout = self.host, self.port, self.keep_alive, self.socket_timeout
        headers = {} if keep else {"Connection": "close"}
        check = self._check
        kept = [None]

        def run(t):
            connection = kept[0]
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                connection.request("GET", "/task/%d" % t, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except BaseException:
                connection.close()
                kept[0] = None
                raise
            if keep:
                kept[0] = connection
            else:
                connection.close()
            return check(t, status, body)

        def close():
            if kept[0] is not None:
                kept[0].close()
                kept[0] = None
        return run, close

    def async_session(self):
        import asyncio
        host, port, keep = self.host, self.port, self.keep_alive
        tail = ("HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n" % (
            host, port, "" if keep else "Connection: close\r\n")).encode("ascii")
        check = self._check
        kept = [None, None]

        async def drop(writer):
            writer.close()
            try:
                await writer.wait_closed()
            except Exception:
                pass

        async def arun(t):
            reader, writer = kept
            if reader is None:
                reader, writer = await asyncio.open_connection(host, port)
            kept[0] = kept[1] = None
            try:
                writer.write(b"GET /task/%d " % t + tail)
                head = await reader.readuntil(b"\r\n\r\n")
                status, length, closes = parse_response_head(head)
                if length is None:
                    body = await reader.read()
                    closes = True
                else:
                    body = await reader.readexactly(length)
            except Exception:
                await drop(writer)
                raise
            if keep and not closes:
                kept[0], kept[1] = reader, writer
            else:
                await drop(writer)
            return check(t, status, body)

        async def aclose():
            if kept[1] is not None:
                await drop(kept[1])
                kept[0] = kept[1] = None
        return arun, aclose

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d requests failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "check that the server at %s is running and serves http-bytes %d" % (self.url, self.nbytes))


class ProfileWorkload(Workload):
    """Computes cpu_us (the xor round trip, sized from this interpreter's own
    time per step, measured in prepare()), waits wait_ms (time.sleep,
    asyncio.sleep, or a request to the server at wait_url), touches
    memory_kib of a fresh bytearray, returns result_bytes bytes: the raw
    value is the bytes object itself, so a pool pickles it back whole."""
    name = "profile"

    def __init__(self, cpu_us, wait_ms, wait, memory_kib, result_bytes, wait_url, socket_timeout, shared_mib=0):
        self.cpu_us = cpu_us
        self.wait_ms = wait_ms
        self.memory_kib = memory_kib
        self.result_bytes = result_bytes
        self.shared_mib = shared_mib
        self.shared = b""  # built in prepare(): before the pool, so that fork shares it and spawn copies it
        self.iterations = 0
        self.digests = None
        self.http = None
        if wait == "http":
            self.http = HTTPWorkload(wait_url, PROFILE_HTTP_BYTES, wait_ms, False, socket_timeout)
            self.imports = self.http.imports

    def prepare(self, tasks):
        self.iterations = self.cpu_us * 1000000 // round_trip_picoseconds() if self.cpu_us > 0 else 0
        self.shared = bytes((SHARED_VALUE,)) * (self.shared_mib << 20)
        if self.http is not None:
            self.http.prepare(tasks)
        self.digests = [repeated_digest(self._word(t, mix(t ^ PROFILE_SALT)), self.result_bytes) for t in range(tasks)]

    def setup_process(self):
        if self.http is not None:
            self.http.setup_process()

    def _word(self, t, x):
        """The result's word from the computed x: the memory's and the wait's parts folded in."""
        value = (x & 0xFF) | 1
        pages = (self.memory_kib * 1024 + MEMORY_PAGE - 1) // MEMORY_PAGE
        waited = PROFILE_HTTP_BYTES if self.http is not None else 0
        read = (self.shared_mib << 20) // MEMORY_PAGE * SHARED_VALUE
        return (x ^ mix(pages * value + waited + read)) & MASK

    def _parts(self):
        n, memory, size, shared = self.iterations, self.memory_kib * 1024, self.result_bytes, self.shared
        waited = PROFILE_HTTP_BYTES if self.http is not None else 0

        def compute(t):
            return xor_round_trip(mix(t ^ PROFILE_SALT), n)

        def finish(x):
            touched = 0
            if memory:
                block = bytearray(memory)
                value = (x & 0xFF) | 1
                block[::MEMORY_STRIDE] = bytes((value,)) * len(range(0, memory, MEMORY_STRIDE))
                touched = sum(block[::MEMORY_PAGE])
            read = sum(shared[::MEMORY_PAGE])  # a byte of every shared page: reads, never writes
            return repeated_bytes((x ^ mix(touched + waited + read)) & MASK, size)
        return compute, finish

    def session(self, thread):
        compute, finish = self._parts()
        if self.http is not None:
            fetch, close = self.http.session(thread)

            def run(t):
                x = compute(t)
                fetch(t)
                return finish(x)
            return run, close
        seconds = self.wait_ms / 1000.0
        sleep = time.sleep

        def run(t):
            x = compute(t)
            if seconds:
                sleep(seconds)
            return finish(x)
        return run, _noop_close

    def async_session(self):
        import asyncio
        compute, finish = self._parts()
        if self.http is not None:
            afetch, aclose = self.http.async_session()

            async def arun(t):
                x = compute(t)
                await afetch(t)
                return finish(x)
            return arun, aclose
        seconds = self.wait_ms / 1000.0

        async def arun(t):
            x = compute(t)
            if seconds:
                await asyncio.sleep(seconds)
            return finish(x)
        return arun, _noop_aclose

    def result(self, raw, task):
        # The expected bytes take their precomputed digest; anything else is
        # digested for real, and so fails the comparison in bench.
        expected = self.digests[task]
        if isinstance(raw, bytes) and len(raw) == self.result_bytes and \
                raw == repeated_bytes(self._word(task, mix(task ^ PROFILE_SALT)), self.result_bytes):
            return expected
        return result_digest(raw)

    def describe_failures(self, count, tasks, first):
        if self.http is not None:
            return self.http.describe_failures(count, tasks, first)
        return Workload.describe_failures(self, count, tasks, first)


class ExecFailure(Exception):
    pass


class ExecWorkload(Workload):
    """Runs the command's program per task (shlex.split, no shell, {task}
    replaced); the raw value is the byte count of its standard output."""
    name = "exec"
    imports = ("subprocess",)
    async_imports = ("asyncio.subprocess",)

    def __init__(self, command):
        import shlex
        import shutil
        self.command = command
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise Failure("exec: cannot split the command %r into words (%s)" % (command, error),
                          "quote it as sh would")
        if not words:
            raise Failure("exec needs params.command", "pass the program and its arguments")
        program = words[0]
        found = program if "/" in program and os.access(program, os.X_OK) else \
            (shutil.which(program) if "/" not in program else None)
        if found is None:
            raise Failure("exec: no program %r%s" % (program, "" if "/" in program else " on PATH"),
                          "install it, or give its path in the command")
        self.argv = [found] + words[1:]

    def _argv(self, t):
        index = str(t)
        return [self.argv[0]] + [word.replace("{task}", index) for word in self.argv[1:]]

    def _check(self, t, status, output, errors):
        if status != 0:
            how = "exited with status %d" % status if status > 0 else "was killed by signal %d" % -status
            line = errors.decode("utf-8", "replace").split("\n")[0].strip()
            raise ExecFailure("exec task %d: %s %s%s" % (t, self.command, how, ": " + line if line else ""))
        return len(output)

    def session(self, thread):
        import subprocess
        run_program, pipe, null = subprocess.run, subprocess.PIPE, subprocess.DEVNULL
        argv, check = self._argv, self._check

        def run(t):
            done = run_program(argv(t), stdin=null, stdout=pipe, stderr=pipe)
            return check(t, done.returncode, done.stdout, done.stderr)
        return run, _noop_close

    def async_session(self):
        import asyncio
        import asyncio.subprocess
        argv, check = self._argv, self._check
        pipe, null = asyncio.subprocess.PIPE, asyncio.subprocess.DEVNULL

        async def arun(t):
            process = await asyncio.create_subprocess_exec(*argv(t), stdin=null, stdout=pipe, stderr=pipe)
            output, errors = await process.communicate()
            return check(t, process.returncode, output, errors)
        return arun, _noop_aclose


_CRAWL = {}  # this process's producer state: the blocking link book, the asyncio ones by loop


class LinkBook:
    """The crawl's pages and links in one process (threads share it): one
    producer at a time, the first task that needs links nobody has read.
    `fetch(p)` returns page p's links; phased, every page is read before
    anybody gets links. The asyncio version is AsyncLinkBook."""

    def __init__(self, pages, phased, fetch):
        self.pages, self.phased, self.fetch = pages, phased, fetch
        self.condition = threading.Condition()
        self.published = {}
        self.producing = False
        self.failure = None

    def ready(self, page):
        if page in self.published and (not self.phased or len(self.published) == self.pages):
            return self.published[page]
        return None

    def must_wait(self, page):
        return self.failure is None and self.ready(page) is None and self.producing

    def turn(self, page):
        """Under the condition, once waiting is over: the links, or None when
        the caller is now the producer (self.needed: the pages to read)."""
        if self.failure is not None:
            raise self.failure
        links = self.ready(page)
        if links is None:
            self.producing = True
            self.needed = [p for p in range(self.pages) if p not in self.published] if self.phased else [page]
        return links

    def links(self, page):
        while True:
            with self.condition:
                while self.must_wait(page):
                    self.condition.wait()
                links = self.turn(page)
                if links is not None:
                    return links
                needed = self.needed
            try:
                for wanted in needed:
                    found = self.fetch(wanted)
                    with self.condition:
                        self.published[wanted] = found
                        self.condition.notify_all()
            except Exception as error:
                self.failure = error
                raise
            finally:
                with self.condition:
                    self.producing = False
                    self.condition.notify_all()


class AsyncLinkBook(LinkBook):
    """The same on one event loop: waiting tasks suspend on an asyncio.Condition."""

    def __init__(self, pages, phased, fetch):
        import asyncio
        LinkBook.__init__(self, pages, phased, fetch)
        self.condition = asyncio.Condition()

    async def links(self, page):
        while True:
            async with self.condition:
                while self.must_wait(page):
                    await self.condition.wait()
                links = self.turn(page)
                if links is not None:
                    return links
                needed = self.needed
            try:
                for wanted in needed:
                    found = await self.fetch(wanted)
                    async with self.condition:
                        self.published[wanted] = found
                        self.condition.notify_all()
            except Exception as error:
                self.failure = error
                raise
            finally:
                async with self.condition:
                    self.producing = False
                    self.condition.notify_all()


def crawl_token(page, slot):
    return "%08x" % (mix(((page * 0x100000001) & MASK) ^ slot ^ 0xC4A715E5) & 0xFFFFFFFF)


def crawl_prefix(page, slot):
    return b"\x89PNG\r\n\x1a\n" + ("image %d %d %s\n" % (page, slot, crawl_token(page, slot))).encode("ascii")


def crawl_result(path, nbytes):
    return mix((body_digest(path.encode("ascii")) + nbytes) & MASK)


def crawl_page_links(page_html):
    """The wallpaper links of a page: (image path, file name) of every <img>
    whose source the seed's regular expression takes."""
    import html.parser
    import re
    sources = []

    class ImageSources(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                sources.extend(value for name, value in attrs if name == "src" and value)
    parser = ImageSources(convert_charrefs=True)
    parser.feed(page_html.decode("utf-8"))
    parser.close()
    links = []
    for source in sources:
        found = re.search(r"(/uploads/\d+/(.*?png)).*?png", source)
        if found:
            links.append((found.group(1), found.group(2)))
    return links


class CrawlWorkload(Workload):
    name = "crawl"
    imports = ("http.client", "encodings.idna", "html.parser", "re")
    async_imports = ("html.parser", "re")

    def __init__(self, url, folder, pages, links, image_bytes, phased, socket_timeout):
        self.url = url
        self.host, self.port = parse_http_url(url)
        self.folder = folder
        self.pages, self.links, self.image_bytes = pages, links, image_bytes
        self.phased = phased
        self.socket_timeout = socket_timeout

    def prepare(self, tasks):
        if tasks > self.pages * self.links:
            raise Failure("crawl has %d tasks, but the site has %d images (crawl-pages %d x crawl-links %d)"
                          % (tasks, self.pages * self.links, self.pages, self.links), "lower tasks or raise crawl-pages")

    def setup_process(self):
        _CRAWL.clear()
        _CRAWL["book"] = LinkBook(self.pages, self.phased, self.read_page)

    def get(self, path):
        import http.client
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.socket_timeout)
        try:
            connection.request("GET", path, headers={"Connection": "close"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    async def aget(self, path):
        import asyncio
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n" % (path, self.host, self.port)).encode("ascii"))
            status, length, _ = parse_response_head(await reader.readuntil(b"\r\n\r\n"))
            body = await (reader.read() if length is None else reader.readexactly(length))
            return status, body
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except Exception:
                pass

    def page_links(self, page, status, page_html):
        if status != 200:
            raise HTTPFailure("GET /browse/%d/ answered status %s" % (page, status))
        return crawl_page_links(page_html)

    def read_page(self, page):
        return self.page_links(page, *self.get("/browse/%d/" % page))

    async def aread_page(self, page):
        return self.page_links(page, *(await self.aget("/browse/%d/" % page)))

    def link(self, links, page, slot):
        if slot >= len(links):
            raise HTTPFailure("page %d has %d wallpaper links, not crawl-links %d" % (page, len(links), self.links))
        return links[slot]

    def save(self, page, slot, path, name, status, body):
        if status != 200 or len(body) != self.image_bytes or not body.startswith(crawl_prefix(page, slot)[:self.image_bytes]):
            raise HTTPFailure("GET %s answered status %s, %d bytes: not image %d of page %d of crawl-image-bytes %d"
                              % (path, status, len(body), slot, page, self.image_bytes))
        with open(os.path.join(self.folder, name), "xb") as image:
            image.write(body)
        return crawl_result(path, len(body))

    def session(self, thread):
        book = _CRAWL["book"]
        links_per_page = self.links

        def run(t):
            page, slot = divmod(t, links_per_page)
            path, name = self.link(book.links(page), page, slot)
            return self.save(page, slot, path, name, *self.get(path))
        return run, _noop_close

    def async_session(self):
        import asyncio
        loop = asyncio.get_event_loop()
        book = _CRAWL.setdefault(("async", id(loop)), AsyncLinkBook(self.pages, self.phased, self.aread_page))
        links_per_page = self.links

        async def arun(t):
            page, slot = divmod(t, links_per_page)
            path, name = self.link(await book.links(page), page, slot)
            return self.save(page, slot, path, name, *(await self.aget(path)))
        return arun, _noop_aclose

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d crawl tasks failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "check the site at %s and that crawl-dir %s is empty and writable" % (self.url, self.folder))


def parse_http_url(url):
    """http://HOST:PORT/ with an IPv4 literal or localhost, as HTTPEndpoint.swift."""
    example = "e.g. http://127.0.0.1:8080/"
    if not isinstance(url, str) or not url.startswith("http://"):
        raise Failure("http-url %r must start with http://" % (url,), example)
    rest = url[len("http://"):]
    if "/" in rest:
        rest, path = rest.split("/", 1)
        if path:
            raise Failure("http-url %r must have no path: the workload requests /task/<n>" % url, example)
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise Failure("http-url %r needs an explicit port" % url, example)
    if host == "localhost":
        host = "127.0.0.1"
    parts = host.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise Failure("http-url %r: the host must be an IPv4 address or localhost" % url, example)
    return host, int(port)


def parse_response_head(head):
    """(status, content length or None, server closes) from a response head."""
    lines = head.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
        raise HTTPFailure("malformed status line %r" % lines[0][:80])
    status = int(fields[1])
    length = None
    closes = fields[0] == "HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection":
            value = value.strip().lower()
            closes = value == "close" or (closes and value != "keep-alive")
    return status, length, closes


# ---------------------------------------------------------------------------
# The spec
# ---------------------------------------------------------------------------

WORKLOAD_PARAMS = {
    "xor": {"iterations": 2000000},
    "sleep": {"sleep-ms": 10},
    "noop": {},
    "print": {"sink": "pipe", "line-buffered": False},
    "http": {"http-latency-ms": 10, "http-bytes": 1024, "keep-alive": False,
             "http-client": "native", "http-url": None},
    "profile": {"cpu-us": 1000, "wait-ms": 1, "wait": "sleep", "memory-kib": 256, "result-bytes": 1024,
                "iteration-ps": 0, "wait-url": "", "shared-mib": 0},
    "exec": {"command": ""},
    "crawl": {"crawl-pages": 50, "crawl-links": 20, "crawl-image-bytes": 204800, "http-latency-ms": 10,
              "pipeline": "phased", "http-url": None, "crawl-dir": None},
}
SPEC_KEYS = ("model", "workload", "params", "tasks", "processes", "threads", "in_flight",
             "chunksize", "start_method", "timeout_s", "task_timing", "parent_pid")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _int(container, key, minimum, what, default=None):
    value = container.get(key, default)
    if not _is_int(value) or value < minimum:
        raise Failure("%s must be an integer >= %d, got %s" % (what, minimum, json.dumps(value)),
                      "fix the spec's %s" % what)
    return value


def _bool(container, key, what, default):
    value = container.get(key, default)
    if not isinstance(value, bool):
        raise Failure("%s must be true or false, got %s" % (what, json.dumps(value)), "fix the spec's %s" % what)
    return value


class Spec:
    pass


def parse_spec(text):
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise Failure("the spec is not valid JSON (%s)" % error, "pass one JSON object as SPEC_JSON")
    if not isinstance(raw, dict):
        raise Failure("the spec must be a JSON object", "pass one JSON object as SPEC_JSON")
    unknown = sorted(set(raw) - set(SPEC_KEYS))
    if unknown:
        raise Failure("unknown spec key(s) %s" % ", ".join(unknown), "use only: %s" % ", ".join(SPEC_KEYS))
    spec = Spec()
    spec.model = raw.get("model")
    if spec.model not in MODELS:
        raise Failure("model %s has no Python version" % json.dumps(spec.model),
                      "models with a Python version: %s" % ", ".join(MODELS))
    spec.workload = raw.get("workload")
    if spec.workload not in WORKLOAD_PARAMS:
        raise Failure("workload %s has no Python version" % json.dumps(spec.workload),
                      "workloads with a Python version: %s" % ", ".join(sorted(WORKLOAD_PARAMS)))
    spec.tasks = _int(raw, "tasks", 1, "tasks")
    spec.timeout_s = raw.get("timeout_s", 120)
    if isinstance(spec.timeout_s, bool) or not isinstance(spec.timeout_s, (int, float)) \
            or not 0 < spec.timeout_s < 1e9:
        raise Failure("timeout_s must be a number > 0, got %s" % json.dumps(spec.timeout_s), "fix the spec's timeout_s")
    spec.task_timing = _bool(raw, "task_timing", "task_timing", True)
    spec.parent_pid = raw.get("parent_pid")
    if spec.parent_pid is not None:
        _int(raw, "parent_pid", 1, "parent_pid")
    for key in ("processes", "threads", "in_flight", "chunksize"):
        if raw.get(key) is not None:
            _int(raw, key, 1, key)
    needs = {
        "python-thread": ("threads",), "python-process-pool": ("processes",),
        "python-hybrid": ("processes", "threads"), "python-async": ("in_flight",),
        "python-process-async": ("processes", "in_flight"), "python-distributed": ("processes",),
    }.get(spec.model, ())
    for key in needs:
        if raw.get(key) is None:
            raise Failure("%s needs %s" % (spec.model, key), "set %s to an integer >= 1" % key)
    spec.processes = raw.get("processes") or 1
    spec.threads = raw.get("threads") or 1
    spec.in_flight = raw.get("in_flight") or 1
    spec.chunksize = raw.get("chunksize")
    spec.start_method = None
    if spec.model in POOL_MODELS:
        import multiprocessing
        method = raw.get("start_method")
        methods = multiprocessing.get_all_start_methods()
        if method is not None and method not in methods:
            raise Failure("start_method %s is not available" % json.dumps(method),
                          "use one of %s, or null for the default" % ", ".join(methods))
        spec.start_method = method or multiprocessing.get_start_method()
    elif raw.get("start_method") is not None and not isinstance(raw.get("start_method"), str):
        raise Failure("start_method must be a string or null", "fix the spec's start_method")
    params = raw.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise Failure("params must be a JSON object", "fix the spec's params")
    spec.params = params
    spec.workload_object = make_workload(spec.workload, params, spec.timeout_s)
    return spec


def make_workload(name, params, timeout_s):
    declared = WORKLOAD_PARAMS[name]
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise Failure("workload %s has no parameter(s) %s" % (name, ", ".join(unknown)),
                      "its parameters: %s" % (", ".join(sorted(declared)) or "none"))
    if name == "xor":
        return XorWorkload(_int(params, "iterations", 1, "iterations", declared["iterations"]))
    if name == "sleep":
        return SleepWorkload(_int(params, "sleep-ms", 0, "sleep-ms", declared["sleep-ms"]))
    if name == "noop":
        return NoopWorkload()
    if name == "print":
        sink = params.get("sink", declared["sink"])
        if sink not in ("pipe", "file", "devnull", "tty"):
            raise Failure("sink %s is not one of pipe, file, devnull, tty" % json.dumps(sink), "fix params.sink")
        return PrintWorkload(sink, _bool(params, "line-buffered", "line-buffered", False))
    if name == "profile":
        wait = params.get("wait", declared["wait"])
        if wait not in ("sleep", "http"):
            raise Failure("wait %s is not one of sleep, http" % json.dumps(wait), "fix params.wait")
        url = params.get("wait-url", "")
        if wait == "http" and not url:
            raise Failure("profile with wait http needs params.wait-url", "pass the server's URL, e.g. http://127.0.0.1:8080/")
        _int(params, "iteration-ps", 0, "iteration-ps", 0)  # Swift's step time: accepted, not used here
        return ProfileWorkload(
            _int(params, "cpu-us", 0, "cpu-us", declared["cpu-us"]), _int(params, "wait-ms", 0, "wait-ms", declared["wait-ms"]),
            wait, _int(params, "memory-kib", 0, "memory-kib", declared["memory-kib"]),
            _int(params, "result-bytes", 0, "result-bytes", declared["result-bytes"]), url, float(timeout_s),
            _int(params, "shared-mib", 0, "shared-mib", declared["shared-mib"]))
    if name == "exec":
        command = params.get("command", "")
        if not isinstance(command, str):
            raise Failure("command must be a string", "fix params.command")
        return ExecWorkload(command)
    if name == "crawl":
        url, folder = params.get("http-url"), params.get("crawl-dir")
        if not url or not folder:
            raise Failure("the crawl workload needs params.http-url and params.crawl-dir",
                          "pass bench's site URL and an empty folder (bench's fixture sets both)")
        pipeline = params.get("pipeline", "phased")
        if pipeline not in ("phased", "overlapped"):
            raise Failure("pipeline %s is not phased or overlapped" % json.dumps(pipeline), "fix params.pipeline")
        return CrawlWorkload(
            url, folder, _int(params, "crawl-pages", 1, "crawl-pages", declared["crawl-pages"]),
            _int(params, "crawl-links", 1, "crawl-links", declared["crawl-links"]),
            _int(params, "crawl-image-bytes", 64, "crawl-image-bytes", declared["crawl-image-bytes"]),
            pipeline == "phased", float(timeout_s))
    # http
    client = params.get("http-client", "native")
    if client != "native":
        raise Failure("http-client %s is Swift's only: Python models use http.client and asyncio streams"
                      % json.dumps(client), "drop http-client or set it to native")
    url = params.get("http-url")
    if url is None:
        raise Failure("the http workload needs params.http-url", "pass the server's URL, e.g. http://127.0.0.1:8080/")
    return HTTPWorkload(
        url, _int(params, "http-bytes", 0, "http-bytes", declared["http-bytes"]),
        _int(params, "http-latency-ms", 0, "http-latency-ms", declared["http-latency-ms"]),
        _bool(params, "keep-alive", "keep-alive", False), float(timeout_s))


# ---------------------------------------------------------------------------
# Running tasks: one loop per task source; a failing task is recorded and
# the others still run (http counts its failed requests).
# ---------------------------------------------------------------------------

def drain_range(run, start, stop, results, base, spans, failures):
    if spans is None:
        for t in range(start, stop):
            try:
                results[t - base] = run(t)
            except Exception as error:
                failures.append((t, describe(error)))
    else:
        clock = time.perf_counter
        record = spans.extend
        for t in range(start, stop):
            try:
                begin = clock()
                results[t - base] = run(t)
                record((begin, clock()))
            except Exception as error:
                failures.append((t, describe(error)))


def drain_queue(run, tasks, results, base, spans, failures):
    get = tasks.get_nowait
    empty = queue.Empty
    clock = time.perf_counter
    while True:
        try:
            t = get()
        except empty:
            return
        try:
            if spans is None:
                results[t - base] = run(t)
            else:
                begin = clock()
                results[t - base] = run(t)
                spans.extend((begin, clock()))
        except Exception as error:
            failures.append((t, describe(error)))


def team_member(workload, number, tasks, results, base, timing, gate, finished):
    """Thread `number` of a team: takes tasks until the queue is empty.
    finished[number] = (spans, failures, time its last task was done)."""
    spans = [] if timing else None
    failures = []
    try:
        run, close = workload.session(number)
        if gate is not None:
            gate.wait()
        drain_queue(run, tasks, results, base, spans, failures)
        close()
        workload.flush()
    except Exception as error:  # outside any task: a bug, reported as a failure
        failures.append((-1, describe(error)))
    finished[number] = (spans, failures, time.perf_counter())


def run_team(workload, start, stop, threads, timing):
    """The tutorial's process body: fill a queue.Queue with the block, then
    start `threads` threads over it and join them (used by python-hybrid)."""
    tasks = queue.Queue()
    for t in range(start, stop):
        tasks.put(t)
    results = [None] * (stop - start)
    finished = [None] * threads
    team = [threading.Thread(target=team_member, args=(workload, j, tasks, results, start, timing, None, finished))
            for j in range(threads)]
    for thread in team:
        thread.start()
    for thread in team:
        thread.join()
    return results, finished


async def async_slot(arun, numbers, results, base, spans, failures):
    clock = time.perf_counter
    for t in numbers:  # one shared iterator: each slot takes the next index
        try:
            if spans is None:
                results[t - base] = await arun(t)
            else:
                begin = clock()
                results[t - base] = await arun(t)
                spans.extend((begin, clock()))  # no await between: the pair stays whole
        except Exception as error:
            failures.append((t, describe(error)))


async def run_window(workload, start, stop, in_flight, timing, results):
    """At most in_flight tasks of [start, stop) in flight on this event loop,
    results[t - start] filled in. Returns (spans, failures, time the
    last task was done)."""
    import asyncio
    spans = [] if timing else None
    failures = []
    numbers = iter(range(start, stop))
    sessions = [workload.async_session() for _ in range(max(1, min(in_flight, stop - start)))]
    await asyncio.gather(*[async_slot(arun, numbers, results, start, spans, failures)
                           for arun, _ in sessions])
    for _, aclose in sessions:
        try:
            await aclose()
        except Exception:
            pass
    workload.flush()
    return spans, failures, time.perf_counter()


# ---------------------------------------------------------------------------
# Pool processes: initializer and the three kinds of Pool task. Each reply:
# (start, results, spans or None, failures, pid, usage, VmHWM kB, (PSS, USS) kB).
# ---------------------------------------------------------------------------

_WORKER = {}


def pool_initializer(workload, timing, driver_pid, start_method, report_fd, uses_asyncio, started):
    # Counted first: Pool replaces a process that dies, and one that died
    # before the driver listed the pool's members would go unnoticed but
    # for the count passing the pool's size (see model_pool).
    with started.get_lock():  # [count, pid, pid, ...]
        count = started[0]
        if count + 1 < len(started):
            started[count + 1] = os.getpid()
        started[0] = count + 1
    die_with_driver(driver_pid)
    ignore_stop_signals()
    if start_method == "fork":
        try:
            os.close(report_fd)  # only the driver writes the report
        except OSError:
            pass
    if uses_asyncio:
        import asyncio  # noqa: F401
    for module in workload.modules(uses_asyncio):
        __import__(module)
    workload.setup_process()
    _WORKER["workload"] = workload
    _WORKER["timing"] = timing and workload.timed


def _reply(start, results, spans, failures):
    return (start, results, spans, failures, os.getpid(), usage_now(), peak_rss_kb(), memory_share_kb())


def pool_chunk(item):
    """python-process-pool: one chunk of tasks on this process's one thread."""
    start, stop = item
    workload = _WORKER["workload"]
    session = _WORKER.get("session")
    if session is None:  # one per process: a kept-alive connection serves every chunk
        session = _WORKER["session"] = workload.session(0)
    spans = [] if _WORKER["timing"] else None
    failures = []
    results = [None] * (stop - start)
    drain_range(session[0], start, stop, results, start, spans, failures)
    workload.flush()
    return _reply(start, results, spans, failures)


def pool_block_threads(item):
    """python-hybrid: one block, `threads` threads over a queue.Queue of it."""
    start, stop, threads = item
    results, finished = run_team(_WORKER["workload"], start, stop, threads, _WORKER["timing"])
    spans = [] if _WORKER["timing"] else None
    failures = []
    for part_spans, part_failures, _ in finished:
        if spans is not None:
            spans.extend(part_spans)
        failures.extend(part_failures)
    return _reply(start, results, spans, failures)


def pool_block_async(item):
    """python-process-async: one block on an asyncio loop, in_flight at a time."""
    import asyncio
    start, stop, in_flight = item
    loop = asyncio.new_event_loop()
    results = [None] * (stop - start)
    try:
        spans, failures, _ = loop.run_until_complete(
            run_window(_WORKER["workload"], start, stop, in_flight, _WORKER["timing"], results))
        reply = _reply(start, results, spans, failures)
    finally:
        loop.close()
    return reply


# ---------------------------------------------------------------------------
# The driver's side of each model. Each returns a Measurement.
# ---------------------------------------------------------------------------

class Measurement:
    def __init__(self):
        self.wall = 0.0
        self.setup = 0.0
        self.usage = (0.0, 0.0, 0, 0)
        self.peak_kb = 0
        self.own_share = None  # (PSS, USS) kB of the driver at the span's end, when a model reads it there
        self.worker_share = (0, 0)  # the same summed over pool processes; None: unknown
        self.results = None
        self.spans = None
        self.failures = []
        self.span_start = 0.0


def _usage_delta(before, after):
    return tuple(b - a for a, b in zip(before, after))


def _add_usage(a, b):
    return tuple(x + y for x, y in zip(a, b))


def _on_alarm(signum, frame):
    raise SampleTimeout()


def _arm_alarm(deadline):
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(0.001, deadline - time.perf_counter()))


def _disarm_alarm():
    signal.setitimer(signal.ITIMER_REAL, 0)


def _timeout_failure(spec, results):
    done = 0 if results is None else sum(1 for r in results if r is not None)
    return Failure("timed out after timeout_s %g s with %d of %d tasks done" % (spec.timeout_s, done, spec.tasks),
                   "raise timeout_s, or lower tasks or the work per task")


def model_serial(spec, workload, timing, deadline, m):
    results = [None] * spec.tasks
    spans = [] if timing else None
    _arm_alarm(deadline)
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        run, close = workload.session(0)
        drain_range(run, 0, spec.tasks, results, 0, spans, m.failures)
        close()
        workload.flush()
        end = time.perf_counter()
        after = usage_now()
    except SampleTimeout:
        raise _timeout_failure(spec, results)
    finally:
        _disarm_alarm()
    m.wall, m.setup = end - start, 0.0
    m.usage = _usage_delta(before, after)
    m.results, m.spans = results, spans


def model_thread(spec, workload, timing, deadline, m):
    results = [None] * spec.tasks
    count = spec.threads
    finished = [None] * count
    tasks = queue.Queue()
    gate = threading.Event()
    m.span_start = start = time.perf_counter()
    before = usage_now()
    team = [threading.Thread(target=team_member, args=(workload, j, tasks, results, 0, timing, gate, finished))
            for j in range(count)]
    for thread in team:
        thread.daemon = True  # a hung task must not keep the process alive after a timeout
        thread.start()  # returns once the thread runs (it then waits at the gate)
    ready = time.perf_counter()
    for t in range(spec.tasks):
        tasks.put(t)
    gate.set()
    for thread in team:
        thread.join(max(0.0, deadline - time.perf_counter()))
        if thread.is_alive():
            raise _timeout_failure(spec, results)
    after = usage_now()
    end = max(entry[2] for entry in finished)
    spans = [] if timing else None
    for part_spans, part_failures, _ in finished:
        if spans is not None:
            spans.extend(part_spans)
        m.failures.extend(part_failures)
    m.wall, m.setup = end - start, ready - start
    m.usage = _usage_delta(before, after)
    m.results, m.spans = results, spans


def model_async(spec, workload, timing, deadline, m):
    import asyncio
    loop = None
    results = [None] * spec.tasks
    _arm_alarm(deadline)
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        loop = asyncio.new_event_loop()
        ready = time.perf_counter()
        spans, failures, end = loop.run_until_complete(
            run_window(workload, 0, spec.tasks, spec.in_flight, timing, results))
        after = usage_now()
    except SampleTimeout:
        raise _timeout_failure(spec, results)
    finally:
        _disarm_alarm()
    loop.close()
    m.wall, m.setup = end - start, ready - start
    m.usage = _usage_delta(before, after)
    m.results, m.spans, m.failures = results, spans, failures


def _exit_description(exitcode):
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "signal %d" % -exitcode
        return "was killed by %s" % name
    return "exited with status %d" % exitcode


def model_pool(spec, workload, timing, deadline, m, report_fd):
    import multiprocessing
    context = multiprocessing.get_context(spec.start_method)
    processes = spec.processes
    n = spec.tasks
    if spec.model == "python-process-pool":
        function = pool_chunk
        size = spec.chunksize or -(-n // (4 * processes))  # Pool's own default: ceil
        items = [(s, min(s + size, n)) for s in range(0, n, size)]
    else:
        width = spec.threads if spec.model == "python-hybrid" else spec.in_flight
        function = pool_block_threads if spec.model == "python-hybrid" else pool_block_async
        items = [(n * i // processes, n * (i + 1) // processes, width) for i in range(processes)]
    # Pool processes that have run the initializer, and their pids (room for a few replacements).
    started = context.Array("i", 1 + 4 * processes)
    initargs = (workload, timing, os.getpid(), spec.start_method, report_fd, spec.model == "python-process-async", started)
    results = [None] * n
    spans = [] if timing else None
    workers = {}  # pid -> (usage, VmHWM, (PSS, USS)) of its latest reply
    pool = None
    members = []
    try:
        m.span_start = start = time.perf_counter()
        before = usage_now()
        pool = context.Pool(processes, initializer=pool_initializer, initargs=initargs)
        ready = time.perf_counter()
        members = list(pool._pool)  # the Process objects: their exitcode tells a death
        replies = pool.imap_unordered(function, items)
        received = 0
        while received < len(items):
            try:
                reply = replies.next(0.05)
            except multiprocessing.TimeoutError:
                for member in members:
                    code = member.exitcode
                    if code is not None:
                        done = sum(1 for r in results if r is not None)
                        raise Failure(
                            "pool process %d %s with %d of %d tasks done"
                            % (member.pid, _exit_description(code), done, n),
                            "a pool process must not exit or be killed during a sample; see its standard error")
                if started[0] > processes:
                    # Died before the driver listed the members, so Pool's replacement is listed instead.
                    done = sum(1 for r in results if r is not None)
                    alive = {p.pid for p in pool._pool}
                    gone = [pid for pid in started[1:started[0] + 1] if pid and pid not in alive]
                    raise Failure(
                        "pool process %s died and Pool started a replacement, with %d of %d tasks done"
                        % (", ".join(str(pid) for pid in gone) or "?", done, n),
                        "a pool process must not exit or be killed during a sample; see its standard error")
                if time.perf_counter() >= deadline:
                    raise _timeout_failure(spec, results)
                continue
            if time.perf_counter() >= deadline:  # replies may keep coming past it
                raise _timeout_failure(spec, results)
            received += 1
            if received == len(items):
                end = time.perf_counter()
                after = usage_now()
                # While the pool processes live: their PSS and the driver's divide the pages they share.
                m.own_share = memory_share_kb()
            first, part, part_spans, part_failures, pid, usage, peak, share = reply
            results[first:first + len(part)] = part
            if spans is not None and part_spans is not None:
                spans.extend(part_spans)
            m.failures.extend(part_failures)
            workers[pid] = (usage, peak, share)
    except Failure:
        stop_pool(pool)
        raise
    except Exception as error:  # e.g. a Pool task that raised outside any workload task
        stop_pool(pool)
        raise Failure("the pool failed: %s" % describe(error), "report a bug with the spec")
    m.wall, m.setup = end - start, ready - start
    usage = _usage_delta(before, after)
    peaks = 0
    for worker_usage, worker_peak, share in workers.values():
        usage = _add_usage(usage, worker_usage)
        peaks += worker_peak
        m.worker_share = _add_usage(m.worker_share, share) if m.worker_share and share else None
    m.usage = usage
    m.peak_kb = peaks
    m.results, m.spans = results, spans
    # After the span: close and join, then terminate() (on a joined pool it
    # only runs the Pool's finalizer, which holds its queues' semaphores);
    # dropping the last references lets spawn/forkserver semaphores be
    # unlinked before the resource tracker is stopped, so it has nothing
    # to warn about.
    pool.close()
    if _run_bounded(pool.join, 10.0) and _run_bounded(pool.terminate, 5.0):
        pool = replies = members = started = initargs = None
        gc.collect()
        _stop_helpers()
        reap_children()
    else:
        stop_pool(pool)


# ---------------------------------------------------------------------------
# Stopping pools and reaping every child
# ---------------------------------------------------------------------------

def _process_table():
    """pid -> (parent pid, is a zombie) for every process (scans /proc)."""
    table = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        table[int(entry)] = (int(fields[1]), fields[0] == b"Z")
    return table


def _descendants(pid, table):
    """Live (not zombie) descendants of pid: Pool's processes, replacements
    Pool made for dead ones, and those the forkserver forked."""
    found = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, zombie) in table.items():
            if ppid == parent:
                frontier.append(child)
                if not zombie:
                    found.append(child)
    return found


def _helper_objects():
    """multiprocessing's forkserver and resource tracker, if running: stopped
    in this order (the forkserver holds the tracker's pipe too)."""
    helpers = []
    for module_name, attribute, pid_attribute in (
            ("multiprocessing.forkserver", "_forkserver", "_forkserver_pid"),
            ("multiprocessing.resource_tracker", "_resource_tracker", "_pid")):
        module = sys.modules.get(module_name)
        helper = getattr(module, attribute, None) if module else None
        pid = getattr(helper, pid_attribute, None) if helper else None
        if pid:
            helpers.append((helper, pid))
    return helpers


def _stop_helpers():
    """Stops the forkserver and the resource tracker and waits for them
    (bounded; reap_children() kills what is left): they would exit by
    themselves when the driver does, but as orphans, and init does not reap
    orphans on every machine (it does not on bench's VMs)."""
    for helper, _ in _helper_objects():
        _run_bounded(helper._stop, 3.0)


def _run_bounded(function, seconds):
    failed = []

    def call():
        try:
            function()
        except Exception as error:
            failed.append(error)
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive() and not failed


def stop_pool(pool):
    """A failed sample's pool: every pool process SIGKILLed and reaped.

    Pool.terminate() first marks the pool as terminating, so that its worker
    handler thread stops replacing dead workers, but then waits for a lock a
    killed worker may hold and for workers that ignore SIGTERM: it runs
    bounded on a thread of its own while this kills every descendant except
    multiprocessing's helpers, until the worker handler has exited and none
    is left."""
    if pool is None:
        return
    terminator = threading.Thread(target=pool.terminate, daemon=True)
    terminator.start()
    handler = getattr(pool, "_worker_handler", None)
    me = os.getpid()
    end = time.perf_counter() + 5.0
    while True:
        helpers = set(pid for _, pid in _helper_objects())
        victims = set(_descendants(me, _process_table())) - helpers
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        settled = not victims and (handler is None or not handler.is_alive())
        if settled or time.perf_counter() > end:
            break
        time.sleep(0.02)
    # The terminator may stay blocked on the lock of a killed worker: it has
    # done its part (no more replacements) and os._exit ends it.
    terminator.join(0.1)
    _stop_helpers()
    reap_children()


def reap_children(seconds=3.0):
    """SIGKILLs and reaps every child (the driver is a child subreaper, so
    orphaned descendants are its children too) until none is left."""
    me = os.getpid()
    end = time.perf_counter() + seconds
    while True:
        children = [(pid, zombie) for pid, (ppid, zombie) in _process_table().items() if ppid == me]
        for pid, zombie in children:
            if not zombie:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        if not children or time.perf_counter() > end:
            return
        time.sleep(0.01)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def _preimport(spec, workload):
    """Everything the span will touch, imported now (the span must not pay
    for an import)."""
    asynchronous = spec.model in ("python-async", "python-process-async")
    modules = list(workload.modules(asynchronous))
    if asynchronous:
        modules += ["asyncio", "asyncio.base_events", "asyncio.selector_events", "asyncio.streams"]
    if spec.model == "python-distributed":
        modules += ["distributed", "subprocess", "multiprocessing.managers", "multiprocessing.connection", "pickle"]
    if spec.model in POOL_MODELS:
        modules += ["multiprocessing.pool", "multiprocessing.synchronize", "multiprocessing.queues",
                    "multiprocessing.connection", "multiprocessing.util", "pickle"]
        modules += {
            "fork": ["multiprocessing.popen_fork"],
            "spawn": ["multiprocessing.popen_spawn_posix", "multiprocessing.spawn",
                      "multiprocessing.resource_tracker"],
            "forkserver": ["multiprocessing.popen_forkserver", "multiprocessing.forkserver",
                           "multiprocessing.resource_tracker"],
        }.get(spec.start_method, [])
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            pass  # e.g. resource_tracker before 3.8: the version check reports it


def _parse_argv(argv):
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
            raise Failure("unexpected argument %r" % arg, "usage: bench_driver.py --report-fd FD SPEC_JSON|-")
        i += 1
    return fd, spec_text


class HelpRequested(Exception):
    """-h or --help among the arguments."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        fd_text, spec_text = _parse_argv(argv)
    except HelpRequested:
        sys.stderr.write(__doc__.split("Models\n")[0])
        return 0
    except Failure as failure:
        sys.stderr.write("error: %s\n" % failure.line())
        return 1
    if fd_text is None or not fd_text.isdigit() or int(fd_text) < 3:
        sys.stderr.write("error: --report-fd FD is required, FD >= 3 (0-2 carry the workload's output) — "
                         "usage: bench_driver.py --report-fd FD SPEC_JSON|-\n")
        return 1
    fd = int(fd_text)
    try:
        os.fstat(fd)
    except OSError as error:
        sys.stderr.write("error: report descriptor %d is not open (%s) — open it in the parent and pass it\n"
                         % (fd, error.strerror))
        return 1
    os.set_inheritable(fd, False)  # spawned workers and servers do not get it
    reporter = Reporter(fd)
    try:
        report = run(spec_text, reporter, fd)
    except Failure as failure:
        _fail(reporter, failure.line())
    except BaseException as error:  # noqa: B902 — a bug: still one error line
        _fail(reporter, one_line("internal error: %s — report a bug with the spec" % describe(error)))
    try:
        reporter.send(report)
    except OSError:
        _finish(1)  # the parent is gone or closed the report pipe
    _finish(0)


def _fail(reporter, line):
    reap_children()
    try:
        reporter.send({"error": line})
    except OSError:
        pass
    _finish(1)


def _finish(status):
    # os._exit: no atexit handler may block on a hung thread or pool, and
    # the interpreter's teardown is not worth waiting for. After a failure
    # the print stream is not flushed: a sink nobody reads (a cause of
    # timeouts) would block the exit.
    for stream in ((_OUT, sys.stdout, sys.stderr) if status == 0 else (sys.stderr,)):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass
    os._exit(status)


def run(spec_text, reporter, report_fd):
    if sys.version_info < MIN_VERSION:
        raise Failure("Python %s is older than 3.8" % sys.version.split()[0],
                      "run the driver with python3.8 or newer")
    if spec_text is None:
        raise Failure("no spec", "pass SPEC_JSON, or - to read it from standard input")
    if spec_text == "-":
        spec_text = sys.stdin.read()
    spec = parse_spec(spec_text)
    die_with_parent(spec.parent_pid)
    become_subreaper()
    ignore_stop_signals()
    workload = spec.workload_object
    timing = spec.task_timing and workload.timed
    _preimport(spec, workload)
    workload.prepare(spec.tasks)
    workload.setup_process()
    debug = os.environ.get("BENCH_DRIVER_DEBUG") == "1"
    modules_before = set(sys.modules) if debug else None
    deadline = _DRIVER_START + spec.timeout_s - min(1.0, spec.timeout_s / 10.0)

    m = Measurement()
    reset_peak_rss()
    if spec.model == "python-serial":
        model_serial(spec, workload, timing, deadline, m)
    elif spec.model == "python-thread":
        model_thread(spec, workload, timing, deadline, m)
    elif spec.model == "python-async":
        model_async(spec, workload, timing, deadline, m)
    elif spec.model == "python-distributed":
        import distributed
        distributed.model_distributed(spec, workload, timing, deadline, m)
        m.worker_share = None  # distributed.py's workers do not report theirs
    else:
        model_pool(spec, workload, timing, deadline, m, report_fd)
    own_peak = peak_rss_kb()
    own_share = m.own_share if spec.model in POOL_MODELS else memory_share_kb()
    share = _add_usage(own_share, m.worker_share) if own_share and m.worker_share else (None, None)

    if debug:
        sys.stderr.write(json.dumps({
            "span_start_monotonic_s": m.span_start,
            "driver_start_monotonic_s": _DRIVER_START,
            "imported_in_span": sorted(set(sys.modules) - modules_before),
        }) + "\n")

    if m.failures:
        outside = [f for f in m.failures if f[0] < 0]
        if outside:
            raise Failure("a worker failed outside any task: %s" % outside[0][1], "report a bug with the spec")
        raise workload.describe_failures(len(m.failures), spec.tasks, min(m.failures))
    missing = sum(1 for r in m.results if r is None)
    if missing:
        raise Failure("%d of %d tasks returned no result" % (missing, spec.tasks), "report a bug with the spec")
    total = 0
    result = workload.result
    for task, raw in enumerate(m.results):
        total += term(task, result(raw, task))
    p50 = p99 = queue_p50 = queue_p99 = None
    if timing and m.spans:
        if len(m.spans) != 2 * spec.tasks:
            raise Failure("%d task spans for %d tasks" % (len(m.spans) // 2, spec.tasks), "report a bug")
        begins, ends = m.spans[0::2], m.spans[1::2]
        ordered = sorted(e - b for b, e in zip(begins, ends))
        p50, p99 = quantile(ordered, 0.5), quantile(ordered, 0.99)
        # perf_counter is CLOCK_MONOTONIC, one clock for every process here.
        waits = sorted(max(0.0, b - m.span_start) for b in begins)
        queue_p50, queue_p99 = quantile(waits, 0.5), quantile(waits, 0.99)
    gil = getattr(sys, "_is_gil_enabled", None)
    return {
        "wall_s": m.wall,
        "setup_s": m.setup,
        "user_s": m.usage[0],
        "sys_s": m.usage[1],
        "vcsw": int(m.usage[2]),
        "ivcsw": int(m.usage[3]),
        "max_rss_kb": own_peak + m.peak_kb,
        "pss_kb": share[0],
        "uss_kb": share[1],
        "checksum": hex64(total),
        "tasks": spec.tasks,
        "task_p50_s": p50,
        "task_p99_s": p99,
        "queue_p50_s": queue_p50,
        "queue_p99_s": queue_p99,
        "python": sys.version.split()[0],
        "implementation": sys.implementation.name,
        "gil_enabled": bool(gil()) if gil is not None else True,
        "start_method": spec.start_method,
        "switch_interval_s": sys.getswitchinterval(),
    }


if __name__ == "__main__":
    sys.exit(main())
