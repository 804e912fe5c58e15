"""python-hybrid: the tutorial's "4 processes x N threads": Pool(processes);
one Pool task per process, an even contiguous block of the tasks; the
process that takes it fills a queue.Queue with the block and runs `threads`
threads over it. As with the tutorial's apply_async, Pool does not promise
one block per process."""

from bench import pool
from bench.models.model import Model
from bench.tasks import collect, run_team


def pool_block_threads(item):
    """One block, `threads` threads over a queue.Queue of it."""
    start, stop, threads = item
    results, finished = run_team(pool.WORKER["workload"], start, stop, threads, pool.WORKER["timing"])
    failures = []
    spans = collect(finished, pool.WORKER["timing"], failures)
    return pool.reply(start, results, spans, failures)


def run(spec, workload, timing, deadline, m):
    items = pool.blocks(spec.tasks, spec.processes, spec.threads)
    pool.run_pool(spec, workload, timing, deadline, m, pool_block_threads, items, uses_asyncio=False)


MODEL = Model(run, needs=("processes", "threads"), pool=True)
