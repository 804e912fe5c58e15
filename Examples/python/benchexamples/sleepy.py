"""Sleep, then compute: a 5 ms wait (a stand-in for a network call), then
about a millisecond of pure-Python arithmetic.

`wait_then_sum` sleeps with time.sleep (under python-async it runs through
asyncio.to_thread); `await_then_sum` is the same task as an async def, which
python-async awaits on its event loop."""

import asyncio
import time

WAIT_S = 0.005
STEPS = 20000


def _sum(task):
    total = task
    for i in range(STEPS):
        total = (total * 31 + i) % 1000003
    return total


def wait_then_sum(task):
    time.sleep(WAIT_S)
    return _sum(task)


async def await_then_sum(task):
    await asyncio.sleep(WAIT_S)
    return _sum(task)
