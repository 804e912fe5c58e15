#!/usr/bin/env python3
"""The seed tutorial's "4 processes x N threads" print program, as a reference.

Structure as in the tutorial (section 进程池 of the seed): a multiprocessing
Pool of P processes; each process fills its own queue.Queue with its share of
the items and starts T threads that take items from the queue and print one
line each (process id, thread number, item, timestamp). With P = 1 it is the
"400 threads in one process" program.

Four changes, all so that the harness can trust the numbers and clean up:
- each process prints through a line-buffered stream of its own, as the
  tutorial's console was: one write(2) per whole line. Block-buffered, several
  processes sharing a pipe or file cut each other's lines, and unbuffered
  (PYTHONUNBUFFERED=1) print writes a line in pieces that other threads and
  processes interleave (27% of 100,000 lines came out malformed either way);
- a thread stops on queue.Empty from get_nowait() instead of testing empty()
  before a blocking get(), which can hang when another thread takes the last
  item in between;
- each process flushes stdout before returning and reports what it printed
  (count, sum and sum of squares of the items) and its own peak memory;
- the program and its pool processes ask to be killed when their parent
  dies (prctl PR_SET_PDEATHSIG), so none outlives bench, even a SIGKILLed one.

Lines go to standard output (the harness's sink). One JSON line goes to
standard error at the end, measured the way bench measures its own models:
- wall_s from before the Pool is created until the last process has returned
  its result (its last task done); setup_s until Pool() has returned;
- user_s, sys_s, vcsw, ivcsw over that same span: this process's getrusage
  delta plus each pool process's own getrusage when it returned (once per pid:
  a pool process may run more than one share), not wait4 after exit;
- max_rss_kb: the peak RSS of this process plus each pool process's;
- count, sum and sum_squares (modulo 2**64) of the items printed, and
  items, the number asked for: count < items means items were not printed;
- split, start_method (the multiprocessing start method used) and python
  (the interpreter's version).

--split chooses how the items are shared among the P pool tasks:
- even (the default): task i (0-based) gets [items*i//P, items*(i+1)//P),
  so every item is printed exactly once;
- tutorial: the tutorial's own producer(i), for i = 1..P, scaled to --items:
  range(items*(i-1)//P, items*(i//P)), i.e. with P = 4 and 100 items exactly
  range(25*(i-1), 100*int(i/4)). Only i = P gets a non-empty range (for
  i < P, i//P is 0), so the program prints items - items*(P-1)//P items
  (25 of 100 with 4 processes), all of them from the one process that took
  the last task, while the other P - 1 tasks print nothing. That is what the
  tutorial's program does; the JSON's count says so (count < items), and
  the harness must not take such a run for a correct one.

--start-method fork|spawn|forkserver chooses multiprocessing's start method
(default: the interpreter's own, fork on Linux up to 3.13).
"""
import argparse
import json
import os
import queue
import resource
import sys
import threading
import time
from datetime import datetime
import multiprocessing


def die_with_parent():
    """SIGKILL this process when its parent dies (bench, or for a pool process
    the program), so that no Python process outlives bench even when bench is
    killed: not part of the tutorial, part of running it under a harness."""
    before = os.getppid()
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != before:
        os._exit(1)


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return [r.ru_utime, r.ru_stime, r.ru_nvcsw, r.ru_nivcsw]


def share(index, items, processes, split):
    """The items pool task `index` (0-based) prints, as a range."""
    if split == "tutorial":
        i = index + 1  # the tutorial numbers its tasks 1..4
        return range(items * (i - 1) // processes, items * int(i / processes))
    return range(items * index // processes, items * (index + 1) // processes)


def producer(index, items, processes, split):
    q = queue.Queue()
    for x in share(index, items, processes, split):
        q.put(x)
    return q


def process_thread(q, j, totals):
    count = total = squares = 0
    while True:
        try:
            item = q.get_nowait()
        except queue.Empty:
            break
        print("进程{}: 线程{} 正在消耗:{} 时间：{}".format(os.getpid(), j, item, datetime.now()))
        count += 1
        total += item
        squares += item * item
    totals[j] = (count, total, squares)


def tasks(index, items, processes, threads, split):
    sys.stdout.flush()
    sys.stdout = open(sys.stdout.fileno(), "w", buffering=1, encoding="utf-8", closefd=False)
    q = producer(index, items, processes, split)
    totals = [(0, 0, 0)] * threads
    ts = [threading.Thread(target=process_thread, args=(q, j, totals)) for j in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    sys.stdout.flush()
    return [sum(part) for part in zip(*totals)], os.getpid(), usage(), peak_rss_kb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=400)
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--split", choices=("even", "tutorial"), default="even")
    parser.add_argument("--start-method", choices=multiprocessing.get_all_start_methods(), default=None)
    args = parser.parse_args()
    die_with_parent()
    context = multiprocessing.get_context(args.start_method)

    start = time.monotonic()
    before = usage()
    p = context.Pool(args.processes, initializer=die_with_parent)
    ready = time.monotonic()
    results = [p.apply_async(tasks, args=(i, args.items, args.processes, args.threads, args.split))
               for i in range(args.processes)]
    returned = [result.get() for result in results]
    wall = time.monotonic() - start
    after = usage()
    p.close()
    p.join()

    count = total = squares = 0
    workers = {}
    for (c, t, s), pid, worker_usage, worker_peak in returned:
        count, total, squares = count + c, total + t, squares + s
        # A later report of the same process covers the earlier one too.
        workers[pid] = (worker_usage, worker_peak)
    spent = [b - a for a, b in zip(before, after)]
    for worker_usage, _ in workers.values():
        spent = [x + y for x, y in zip(spent, worker_usage)]
    mask = (1 << 64) - 1  # the harness compares the sums modulo 2**64
    sys.stdout.flush()
    print(json.dumps({
        "wall_s": wall, "setup_s": ready - start, "count": count, "sum": total & mask,
        "sum_squares": squares & mask, "user_s": spent[0], "sys_s": spent[1], "vcsw": spent[2], "ivcsw": spent[3],
        "max_rss_kb": peak_rss_kb() + sum(peak for _, peak in workers.values()),
        "items": args.items, "split": args.split, "start_method": context.get_start_method(),
        "python": sys.version.split()[0],
    }), file=sys.stderr)


if __name__ == "__main__":
    main()
