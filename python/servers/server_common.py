"""What every CPython server model of `bench experiment servers` shares:
its arguments, the handler (the profile workload's task, as bench's Swift
servers answer it), the /count counter, and dying with bench.

Standard library only, and nothing imported from the other Python files of
the repository: this folder stands alone. The arithmetic mirrors
Sources/Workloads (XorRoundTrip, ResultBytes, Checksum.swift's mix), so a
Swift client checks a Python server's bodies against the same known digest.

Routes:
  GET /task/<n>  computes --cpu-us (the xor round trip, sized from this
                 interpreter's own time per step), waits --wait-ms, answers
                 --result-bytes bytes: the task's 64-bit word repeated, little-endian.
  GET /count     increments the counter; answers "pid <pid> count <n>\\n". Without
                 --shared-counter it is the process's own global (the seed's pitfall:
                 each prefork worker counts alone); with it, a multiprocessing.Value
                 made before the workers are forked, which every process shares.

Protocol with bench: the first line on stdout is the URL; the server serves
until its standard input reaches its end (bench closed it, or died), then
exits, its workers with it.
"""

import argparse
import ctypes
import os
import signal
import sys
import threading
import time

MASK = (1 << 64) - 1
PROFILE_SALT = 0x70726F66696C65  # "profile"
PR_SET_PDEATHSIG = 1
BACKLOG = 4096  # socketserver's default is 5: concurrent connects would overflow it and retry for seconds


def mix(z):
    """SplitMix64's finaliser, modulo 2**64 (Checksum.swift)."""
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def xor_round_trip(seed, iterations):
    """The xor chain forward for half the iterations, then unwound: returns seed."""
    x = seed
    half = iterations // 2
    for i in range(half):
        x = (x ^ i) + 1
    for i in range(half - 1, -1, -1):
        x = (x - 1) ^ i
    return x


def round_trip_picoseconds(steps=20000, rounds=6):
    """Picoseconds per step here: the fastest of `rounds` runs after a warm-up."""
    fastest = None
    for round_number in range(rounds + 1):
        start = time.perf_counter()
        xor_round_trip(mix(round_number ^ PROFILE_SALT), steps)
        elapsed = time.perf_counter() - start
        if round_number > 0 and (fastest is None or elapsed < fastest):
            fastest = elapsed
    return max(1, int(fastest * 1e12 / steps))


def parse_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (prefork models)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (prefork-threads)")
    parser.add_argument("--cpu-us", type=int, default=0, help="microseconds each /task/<n> computes")
    parser.add_argument("--wait-ms", type=int, default=0, help="milliseconds each /task/<n> then waits")
    parser.add_argument("--result-bytes", type=int, default=64, help="bytes of each /task/<n> answer")
    parser.add_argument("--shared-counter", action="store_true", help="/count in memory shared by the processes")
    arguments = parser.parse_args()
    for name in ("port", "processes", "threads", "cpu_us", "wait_ms", "result_bytes"):
        if getattr(arguments, name) < 0 or (name in ("processes", "threads") and getattr(arguments, name) < 1):
            parser.error("--%s must be %s" % (name.replace("_", "-"), "1 or more" if name in ("processes", "threads") else "0 or more"))
    return arguments


class Counter:
    """The /count counter: this process's own global behind a lock, or a
    multiprocessing.Value in shared memory (made before any fork)."""

    def __init__(self, shared):
        self.shared = None
        if shared:
            import multiprocessing
            self.shared = multiprocessing.get_context("fork").Value("q", 0)
        self.lock = threading.Lock()
        self.value = 0

    def increment(self):
        if self.shared is not None:
            with self.shared.get_lock():
                self.shared.value += 1
                return self.shared.value
        with self.lock:
            self.value += 1
            return self.value


class Handler:
    """The handler every Python model runs, in two halves around the wait
    (so asyncio can await it): begin() computes or counts, body() answers."""

    def __init__(self, arguments):
        self.cpu_us = arguments.cpu_us
        self.wait_ms = arguments.wait_ms
        self.result_bytes = arguments.result_bytes
        self.iterations = arguments.cpu_us * 1000000 // round_trip_picoseconds() if arguments.cpu_us > 0 else 0
        self.counter = Counter(arguments.shared_counter)

    def route(self, path):
        """("task", n), ("count", None) or ("missing", None)."""
        if path.startswith("/task/") and path[6:].isdigit() and len(path) <= 24:
            return "task", int(path[6:])
        if path == "/count" or path.startswith("/count?"):
            return "count", None
        return "missing", None

    def begin(self, kind, task):
        if kind == "task":
            return xor_round_trip(mix(task ^ PROFILE_SALT), self.iterations)
        if kind == "count":
            return self.counter.increment()
        return None

    def body(self, kind, value):
        """(status line, body bytes)."""
        if kind == "task":
            # The memory part is 0 KiB, so the word is x ^ mix(0) = x (ProfileWorkload.result).
            word = (value ^ mix(0)) & MASK
            return "200 OK", (word.to_bytes(8, "little") * (self.result_bytes // 8 + 1))[:self.result_bytes]
        if kind == "count":
            return "200 OK", b"pid %d count %d\n" % (os.getpid(), value)
        return "404 Not Found", b"this server answers GET /task/<n> and GET /count\n"

    def respond_blocking(self, path):
        kind, task = self.route(path)
        value = self.begin(kind, task)
        if kind == "task" and self.wait_ms > 0:
            time.sleep(self.wait_ms / 1000.0)
        return self.body(kind, value)

    def wsgi_application(self, environ, start_response):
        status, body = self.respond_blocking(environ.get("PATH_INFO", "/"))
        start_response(status, [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
        return [body]


def quiet_wsgi_server_classes():
    """wsgiref's server and handler without a log line per request, with a large backlog."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(WSGIServer):
        request_queue_size = BACKLOG
        allow_reuse_address = True

        def handle_error(self, request, client_address):
            pass  # a client that went away mid-response is not news

    return Server, QuietHandler


def die_with_parent():
    """A forked worker: SIGKILL when its parent (the server process) ends."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(3)


def announce(port):
    """The first line bench reads."""
    sys.stdout.write("http://127.0.0.1:%d/\n" % port)
    sys.stdout.flush()


def ignore_stop_signals():
    """Ctrl-C and SIGTERM reach bench's whole group: bench decides when servers stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def wait_for_end_of_input():
    """Blocks until bench closes our standard input (or dies)."""
    while True:
        try:
            if not os.read(0, 256):
                return
        except InterruptedError:
            continue
        except OSError:
            return


def exit_when_input_ends():
    """A single-process server: a thread that ends the process at bench's end."""
    def watch():
        wait_for_end_of_input()
        os._exit(0)
    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def fork_workers(count, body):
    """Forks `count` workers running body() (never returning); returns their pids.
    Called before this process starts any thread."""
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                body()
            finally:
                os._exit(0)
        pids.append(pid)
    return pids


def supervise(pids):
    """The prefork master: waits for bench's end, then kills and reaps its workers."""
    wait_for_end_of_input()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    os._exit(0)


def serve_nonblocking_listener(server):
    """A forked worker's loop on the shared listening socket: wait until it is
    readable, try to accept (another worker may have taken the connection),
    handle the request, again. The socket is non-blocking, so a worker that
    loses the race goes back to waiting instead of blocking in accept."""
    import selectors
    server.socket.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(server.socket, selectors.EVENT_READ)
    while True:
        if selector.select(timeout=None):
            server._handle_request_noblock()


def bind_error(port, error):
    sys.stderr.write("error: cannot listen on 127.0.0.1:%d: %s — choose another --port, or 0 for any free one\n" % (port, error.strerror))
    sys.exit(64 if error.errno == 98 else 1)
