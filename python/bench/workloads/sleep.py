"""sleep: time.sleep(ms / 1000) (asyncio.sleep under asyncio); result t*31 + ms."""

import time

from bench import fields
from bench.checksum import MASK
from bench.workloads.workload import Workload, noop_aclose, noop_close


class SleepWorkload(Workload):
    name = "sleep"
    parameters = ("sleep-ms",)

    def __init__(self, milliseconds):
        self.milliseconds = milliseconds

    @classmethod
    def from_params(cls, params, timeout_s):
        return cls(fields.integer(params, "sleep-ms", 0))

    def session(self, thread):
        seconds = self.milliseconds / 1000.0
        ms = self.milliseconds
        sleep = time.sleep

        def run(t):
            sleep(seconds)
            return (t * 31 + ms) & MASK
        return run, noop_close

    def async_session(self):
        import asyncio
        seconds = self.milliseconds / 1000.0
        ms = self.milliseconds
        sleep = asyncio.sleep

        async def arun(t):
            await sleep(seconds)
            return (t * 31 + ms) & MASK
        return arun, noop_aclose


WORKLOAD = SleepWorkload
