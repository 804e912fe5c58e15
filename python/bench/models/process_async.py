"""python-process-async: Pool(processes), one even block per process as in
python-hybrid; the process runs an asyncio loop with at most `in_flight` of
the block's tasks in flight (the seed's 多进程+协程)."""

from bench import pool
from bench.models.model import Model
from bench.tasks import run_window


def pool_block_async(item):
    """One block on an asyncio loop, in_flight at a time."""
    import asyncio
    start, stop, in_flight = item
    loop = asyncio.new_event_loop()
    results = [None] * (stop - start)
    try:
        spans, failures, _ = loop.run_until_complete(
            run_window(pool.WORKER["workload"], start, stop, in_flight, pool.WORKER["timing"], results))
        answer = pool.reply(start, results, spans, failures)
    finally:
        loop.close()
    return answer


def run(spec, workload, timing, deadline, m):
    items = pool.blocks(spec.tasks, spec.processes, spec.in_flight)
    pool.run_pool(spec, workload, timing, deadline, m, pool_block_async, items, uses_asyncio=True)


MODEL = Model(run, needs=("processes", "in_flight"), asynchronous=True, pool=True)
