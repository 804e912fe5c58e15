#!/usr/bin/env python3
"""bench's hand-off probe: what it costs in CPython to pass control from one
party to another and back, for `bench experiment handoff`. Standard library
only; CPython 3.8 or newer.

    python3 -S seed_handoff.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [{"ns_per_handoff": ..., "cpu_ns_per_handoff": ...}, ...],
"python": "3.11.7"}`, 1 with `{"error": "what — how to fix"}`.

SPEC_JSON: {"subject": "generator-send", "count": 1000000, "samples": 5,
"timeout_s": 120, "parent_pid": 1234}; count >= 1 round trips per sample.

Subjects, each a ping-pong of `count` round trips, each round trip two
hand-offs (there and back), every value passed checked:
- call: a plain function call and its return, the baseline.
- generator-send: the seed's coroutine, a generator driven by send() (004:
  consumer() / produce(c)), without its prints; the consumer returns n + 1.
- asyncio-tasks: two tasks on one event loop, each awaiting a Future the
  other resolves.
- thread-condition: two threads on one threading.Condition, taking turns.
- process-pipe: two processes (the default start method) on two os.pipe()s,
  8 bytes each way.

ns_per_handoff = the span / (2 x count); cpu_ns_per_handoff the CPU time
(user + system) of both parties over the span, likewise. A party that dies
or the timeout fails the probe with one line (see bench/probe.py).
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from bench.failure import Failure  # noqa: E402
from bench.fields import json_object  # noqa: E402
from bench.probe import (Parties, Spec, child_setup, main_of, own_cpu, probe_choice, probe_common,  # noqa: E402
                         probe_integer)

SUBJECTS = ("call", "generator-send", "asyncio-tasks", "thread-condition", "process-pipe")
SPEC_KEYS = ("subject", "count", "samples", "timeout_s", "parent_pid")


def step(n):
    return n + 1


def call(count):
    x = 0
    f = step
    start = time.perf_counter()
    for _ in range(count):
        x = f(x)
    end = time.perf_counter()
    if x != count:
        raise Failure("the calls returned %d, expected %d" % (x, count), "this is a bug in the probe")
    return start, end


# The seed's coroutine (004), its prints left out and its reply made checkable.
def consumer():
    r = ''
    while True:
        n = yield r
        if not n:
            return
        r = n + 1


def generator_send(count):
    c = consumer()
    c.send(None)
    start = time.perf_counter()
    n = 0
    while n < count:
        n = n + 1
        r = c.send(n)
        if r != n + 1:
            raise Failure("the consumer answered %r to %d" % (r, n), "this is a bug in the probe")
    end = time.perf_counter()
    c.close()
    return start, end


def asyncio_tasks(count):
    import asyncio

    async def main():
        loop = asyncio.get_running_loop()
        box = {"to_b": loop.create_future(), "to_a": None}

        async def b():
            for _ in range(count):
                value = await box["to_b"]
                box["to_b"] = loop.create_future()
                box["to_a"].set_result(value + 1)

        async def a():
            for i in range(count):
                box["to_a"] = loop.create_future()
                box["to_b"].set_result(i)
                if await box["to_a"] != i + 1:
                    raise Failure("task b answered wrongly to %d" % i, "this is a bug in the probe")
        other = asyncio.ensure_future(b())
        await asyncio.sleep(0)
        start = time.perf_counter()
        await a()
        end = time.perf_counter()
        await other
        return start, end
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


def thread_condition(count):
    condition = threading.Condition()
    state = {"turn": 0, "value": 0}

    def b():
        for _ in range(count):
            with condition:
                while state["turn"] != 1:
                    condition.wait()
                state["value"] += 1
                state["turn"] = 0
                condition.notify()
    other = threading.Thread(target=b)
    other.start()
    start = time.perf_counter()
    for i in range(count):
        with condition:
            state["value"] = i
            state["turn"] = 1
            condition.notify()
            while state["turn"] != 0:
                condition.wait()
            if state["value"] != i + 1:
                raise Failure("the other thread answered wrongly to %d" % i, "this is a bug in the probe")
    end = time.perf_counter()
    other.join()
    return start, end


def echo_main(parent_pid, inbound, outbound, count):
    """The far process: answers n with n + 1, count + 1 times (the first
    untimed), then sends its CPU nanoseconds since the first answer."""
    child_setup(parent_pid)
    before = 0.0
    for index in range(count + 1):
        data = os.read(inbound, 8)
        if len(data) != 8:
            os._exit(3)
        os.write(outbound, (int.from_bytes(data, "little") + 1).to_bytes(8, "little"))
        if index == 0:
            before = own_cpu()
    os.write(outbound, int((own_cpu() - before) * 1e9).to_bytes(8, "little"))
    os._exit(0)


def measure(spec, reporter, deadline):
    samples = []
    cpu = own_cpu
    for _ in range(spec.samples):
        watch = Parties(reporter, deadline)
        before = cpu()
        if spec.subject == "process-pipe":
            start, end, spent = process_pipe_sample(spec.count, reporter, deadline, cpu)
        else:
            watch.start()
            start, end = {"call": call, "generator-send": generator_send, "asyncio-tasks": asyncio_tasks,
                          "thread-condition": thread_condition}[spec.subject](spec.count)
            spent = cpu() - before
            watch.stop()
        samples.append({"ns_per_handoff": (end - start) * 1e9 / (2 * spec.count),
                        "cpu_ns_per_handoff": spent * 1e9 / (2 * spec.count)})
    return {"samples": samples}


def process_pipe_sample(count, reporter, deadline, cpu):
    """Two processes on two pipes; the child's CPU comes back with its last answer."""
    import multiprocessing
    # fork, whatever the interpreter's default: only a forked child inherits raw pipe descriptors.
    context = multiprocessing.get_context("fork")
    down_read, down_write = os.pipe()
    up_read, up_write = os.pipe()
    process = context.Process(target=echo_main, args=(os.getpid(), down_read, up_write, count), daemon=True)
    process.start()
    os.close(down_read)
    os.close(up_write)
    parties = Parties(reporter, deadline)
    parties.add("the echo process", process)
    parties.start()
    try:
        write, read = os.write, os.read
        write(down_write, (0).to_bytes(8, "little"))  # one untimed round trip: the child is running
        read(up_read, 8)
        before = cpu()
        start = time.perf_counter()
        for i in range(1, count + 1):
            write(down_write, i.to_bytes(8, "little"))
            if int.from_bytes(read(up_read, 8), "little") != i + 1:
                raise Failure("the echo process answered wrongly to %d" % i, "this is a bug in the probe")
        end = time.perf_counter()
        spent = cpu() - before
        child_cpu = int.from_bytes(read(up_read, 8), "little") / 1e9
        return start, end, spent + child_cpu
    finally:
        parties.stop()
        process.join(5)
        os.close(down_write)
        os.close(up_read)


def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.subject = probe_choice(raw, "subject", SUBJECTS)
    spec.count = probe_integer(raw, "count", 1)
    probe_common(spec, raw)
    return spec


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
