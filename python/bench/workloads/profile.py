"""profile: your task's shape. x = xor_round_trip(mix(t ^ 0x70726F66696C65),
iterations): the xor chain for iterations // 2 steps, then unwound step by
step (x = (x - 1) ^ i), which returns the seed exactly; iterations = cpu-us
x 10**6 // the picoseconds one step takes in this interpreter (measured in
prepare(), before the span: the fastest of 6 runs of 20,000 steps from a
64-bit seed, as the tasks' are), so the time is Python's, the result the
same as Swift's (iteration-ps, Swift's time per step, is accepted and not
used). Then the wait (time.sleep, asyncio.sleep, or GET /task/{t} from
wait-url: status 200 and 64 bytes or the request fails); then memory: a
bytearray of memory-kib KiB, the byte v = (x & 0xFF) | 1 written at every
64th offset, the bytes at every 4096th offset summed (touched = pages x v);
then the shared block: a bytes object of shared-mib MiB of 0xA5, built in
prepare() before the span (pool processes forked afterwards share its pages;
spawn and forkserver pickle a copy to each), its bytes at every 4096th
offset summed (read = pages x 0xA5). The raw value is result-bytes bytes:
the little-endian 64-bit word w = x ^ mix(touched + (64 if wait http else 0)
+ read) repeated and cut to length;
a pool returns the bytes object itself, so it is pickled back whole.
result = the digest of those bytes (bytes equal to the expected ones take
the precomputed digest)."""

import time

from bench import fields
from bench.checksum import MASK, mix, repeated_bytes, repeated_digest, result_digest
from bench.failure import Failure
from bench.workloads.http import HTTPWorkload
from bench.workloads.workload import Workload, noop_aclose, noop_close

PROFILE_SALT = 0x70726F66696C65  # "profile"
PROFILE_HTTP_BYTES = 64  # the body of the server's answers to a profile task's request
MEMORY_STRIDE = 64  # one byte written per cache line...
MEMORY_PAGE = 4096  # ...and one read back per page
SHARED_VALUE = 0xA5  # every byte of the shared-mib block (Swift's SharedBlock.value)


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


class ProfileWorkload(Workload):
    """Computes cpu_us, waits wait_ms (time.sleep, asyncio.sleep, or a
    request to the server at wait_url), touches memory_kib of a fresh
    bytearray, returns result_bytes bytes."""
    name = "profile"
    parameters = ("cpu-us", "wait-ms", "wait", "memory-kib", "result-bytes", "iteration-ps", "wait-url", "shared-mib")

    def __init__(self, cpu_us, wait_ms, wait, memory_kib, result_bytes, wait_url, socket_timeout, shared_mib):
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

    @classmethod
    def from_params(cls, params, timeout_s):
        wait = fields.choice(params, "wait", ("sleep", "http"), "fix params.wait")
        url = fields.text(params, "wait-url")
        if wait == "http" and not url:
            raise Failure("profile with wait http needs params.wait-url", "pass the server's URL, e.g. http://127.0.0.1:8080/")
        fields.integer(params, "iteration-ps", 0)  # Swift's step time: accepted, not used here
        return cls(fields.integer(params, "cpu-us", 0), fields.integer(params, "wait-ms", 0), wait,
                   fields.integer(params, "memory-kib", 0), fields.integer(params, "result-bytes", 0), url,
                   float(timeout_s), fields.integer(params, "shared-mib", 0))

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
        return run, noop_close

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
        return arun, noop_aclose

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


WORKLOAD = ProfileWorkload
