"""python-process-pool: multiprocessing.Pool(processes); the tasks in chunks
of `chunksize` consecutive indices (one Pool task each, imap_unordered);
each pool process runs its chunks on one thread."""

from bench import pool
from bench.models.model import Model
from bench.tasks import drain_range


def pool_chunk(item):
    """One chunk of tasks on this pool process's one thread."""
    start, stop = item
    workload = pool.WORKER["workload"]
    session = pool.WORKER.get("session")
    if session is None:  # one per process: a kept-alive connection serves every chunk
        session = pool.WORKER["session"] = workload.session(0)
    spans = [] if pool.WORKER["timing"] else None
    failures = []
    results = [None] * (stop - start)
    drain_range(session[0], start, stop, results, start, spans, failures)
    workload.flush()
    return pool.reply(start, results, spans, failures)


def run(spec, workload, timing, deadline, m):
    n = spec.tasks
    size = spec.chunksize or -(-n // (4 * spec.processes))  # Pool's own default: ceil
    items = [(s, min(s + size, n)) for s in range(0, n, size)]
    pool.run_pool(spec, workload, timing, deadline, m, pool_chunk, items, uses_asyncio=False)


MODEL = Model(run, needs=("processes",), pool=True)
