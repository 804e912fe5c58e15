"""What every process of a sample does for itself: die with its parent,
leave stopping to bench, and read its own CPU and memory. Used by the
driver, its pool processes, the distributed workers and the probes."""

import os
import resource
import signal

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


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


def usage_delta(before, after):
    return tuple(b - a for a, b in zip(before, after))


def add_usage(a, b):
    return tuple(x + y for x, y in zip(a, b))


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


def exit_description(exitcode):
    """How a child ended, from multiprocessing's or subprocess's exit code."""
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "signal %d" % -exitcode
        return "was killed by %s" % name
    return "exited with status %d" % exitcode
