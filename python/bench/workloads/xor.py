"""xor: x = mix(t); x = (x ^ i) + 1 for i in range(iterations); result
x mod 2**64, masked once at the end (the low 64 bits of ^ and + depend only
on the low 64 bits of their operands, and x grows by at most `iterations`
above 2**64, so the loop stays as cheap as the tutorial's)."""

from bench import fields
from bench.checksum import MASK, mix
from bench.workloads.workload import Workload, noop_close


def xor_chain(seed, iterations):
    """The xor task from a given seed, masked once at the end."""
    x = seed
    for i in range(iterations):
        x = (x ^ i) + 1
    return x & MASK


class XorWorkload(Workload):
    name = "xor"
    parameters = ("iterations",)

    def __init__(self, iterations):
        self.iterations = iterations

    @classmethod
    def from_params(cls, params, timeout_s):
        return cls(fields.integer(params, "iterations", 1))

    def session(self, thread):
        n = self.iterations

        def run(t):
            # mix(t) inline would save a call; it is 1 of n+1 steps.
            x = mix(t)
            for i in range(n):
                x = (x ^ i) + 1
            return x & MASK
        return run, noop_close


WORKLOAD = XorWorkload
