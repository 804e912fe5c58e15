"""Stopping pools and reaping every child: after a failure every process the
sample started is SIGKILLed and reaped before the error line is written;
after a success multiprocessing's helpers are stopped and reaped outside
the span. The driver is a child subreaper (process.become_subreaper), so a
forkserver's orphaned processes become its children and are reaped too:
init does not reap orphans on bench's VMs."""

import os
import signal
import sys
import threading
import time


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


def stop_helpers():
    """Stops the forkserver and the resource tracker and waits for them
    (bounded; reap_children() kills what is left): they would exit by
    themselves when the driver does, but as orphans, and init does not reap
    orphans on every machine (it does not on bench's VMs)."""
    for helper, _ in _helper_objects():
        run_bounded(helper._stop, 3.0)


def run_bounded(function, seconds):
    """Runs function() on a thread of its own for at most `seconds`: whether it returned without raising."""
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
    stop_helpers()
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
