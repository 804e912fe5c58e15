#!/usr/bin/env python3
"""bench's channels probe: how fast the seeds' channels carry messages in
CPython, measured for `bench experiment channels`. Standard library only;
CPython 3.8 or newer.

    python3 -S seed_channels.py --report-fd FD SPEC_JSON

FD (3 or higher) gets exactly one line of JSON, then the probe exits: 0
with `{"samples": [...], "python": "3.11.7", "start_method": "fork"}`, 1
with `{"error": "what — how to fix"}`.

SPEC_JSON:

    {"subject": "mp-queue", "variant": "round-trip", "size": 1024, "count": 2000,
     "warmup": 100, "samples": 5, "timeout_s": 120, "parent_pid": 1234}

- subject: the channel.
    mp-pipe         multiprocessing.Pipe() to another process (send/recv)
    mp-queue        multiprocessing.Queue to another process
    mp-simplequeue  multiprocessing.SimpleQueue to another process
    manager-queue   multiprocessing.Manager().Queue() (through the manager's process)
    queue-queue     queue.Queue to another thread
    asyncio-queue   asyncio.Queue to another task on the same event loop
- variant: one-way (`count` messages to a receiver, which acknowledges the
  last), round-trip (`count` messages sent back by an echo party, each
  timed), or 2x2 (two writers and two readers on one channel, `count`
  messages in all, as the seeds' producer/consumer programs; not mp-pipe,
  whose two ends belong to two parties).
- size >= 8: bytes per message; count >= 1; warmup >= 0 untimed messages
  before the timed ones (one-way and round-trip); samples >= 1.

Every message is a new bytes object of `size` bytes made by the sender:
the sequence number (8 bytes, little-endian), then a fill byte that depends
on it. Receivers check both; one-way receivers check the order, every
reply of a round trip is checked, and the readers of 2x2 hand in their
sequence numbers, whose checksum (bench's Checksum: the sum of
term(seq, size) mod 2**64) must be that of every message once. A message
lost, repeated or damaged fails the sample.

Each sample starts its parties (processes with the default start method,
threads or tasks) before its span and stops them after it. The span: from
the first timed message sent to the receiver's acknowledgement of the last
(one-way), or to the last reply (round-trip), or to the later of the two
readers' last message (2x2). Per sample:
- msgs_per_s, mb_per_s (10**6 bytes): one-way and 2x2;
- rtt_p50_us, rtt_p99_us: round-trip (type 7 quantiles of every timed trip);
- cpu_us_per_msg: CPU time (user + system) of every party over the span
  per message (per round trip): this process's getrusage, each child's own
  over its part, and the manager's process (from /proc, 10 ms ticks) for
  manager-queue; not for 2x2.

A party that dies, or the timeout, fails the probe with one line naming it;
every process it started is killed and reaped first (the probe is a child
subreaper, and its children die with it).
"""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the probe's start

import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from bench.checksum import MASK, hex64, term  # noqa: E402
from bench.failure import Failure  # noqa: E402
from bench.fields import json_object  # noqa: E402
from bench.measurement import quantile  # noqa: E402
from bench.probe import (Parties, Spec, child_setup, main_of, own_cpu, probe_choice, probe_common,  # noqa: E402
                         probe_integer)
from bench.process import usage_now  # noqa: E402
from bench.reaping import reap_children  # noqa: E402

SUBJECTS = ("mp-pipe", "mp-queue", "mp-simplequeue", "manager-queue", "queue-queue", "asyncio-queue")
PROCESS_SUBJECTS = ("mp-pipe", "mp-queue", "mp-simplequeue", "manager-queue")
VARIANTS = ("one-way", "round-trip", "2x2")
SPEC_KEYS = ("subject", "variant", "size", "count", "warmup", "samples", "timeout_s", "parent_pid")


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

class Messages:
    """Makes and checks the messages of one size."""

    def __init__(self, size):
        self.size = size
        # One tail per fill byte, made before any span: a message is one concatenation.
        self.tails = [bytes((b,)) * (size - 8) for b in range(256)]

    def make(self, seq):
        return seq.to_bytes(8, "little") + self.tails[(seq * 31 + 7) & 255]

    def sequence(self, message):
        """The message's sequence number, or -1 when it is not a well-formed one."""
        if not isinstance(message, bytes) or len(message) != self.size:
            return -1
        seq = int.from_bytes(message[:8], "little")
        if self.size > 8 and message[-1] != (seq * 31 + 7) & 255:
            return -1
        return seq


def checksum(sequences, size):
    total = 0
    for seq in sequences:
        total += term(seq, size)
    return total & MASK


# ---------------------------------------------------------------------------
# Children: what each process party runs (module level, for every start method)
# ---------------------------------------------------------------------------

def child_ends(kind, out, back):
    """(send, recv) of the far party."""
    if kind == "mp-pipe":
        return out.send, out.recv
    return back.put, out.get


def sink_main(parent_pid, kind, out, back, size, warmup, count):
    child_setup(parent_pid)
    send, recv = child_ends(kind, out, back)
    messages = Messages(size)
    send(("ready", os.getpid()))
    ok = True
    for seq in range(warmup):
        ok = messages.sequence(recv()) == seq and ok
    send(("warm",))
    before = usage_now()
    for seq in range(warmup, warmup + count):
        ok = messages.sequence(recv()) == seq and ok
    after = usage_now()
    send(("done", ok, (after[0] - before[0]) + (after[1] - before[1])))


def echo_main(parent_pid, kind, out, back, warmup):
    child_setup(parent_pid)
    send, recv = child_ends(kind, out, back)
    send(("ready", os.getpid()))
    before = usage_now()
    echoed = 0
    while True:
        message = recv()
        if message is None:
            break
        send(message)
        echoed += 1
        if echoed == warmup:
            before = usage_now()
    after = usage_now()
    send(("done", (after[0] - before[0]) + (after[1] - before[1])))


def writer_main(parent_pid, kind, channel, control, go, first, stop, size):
    child_setup(parent_pid)
    messages = Messages(size)
    put = channel.put
    control.put(("ready", os.getpid()))
    go.wait()
    for seq in range(first, stop):
        put(messages.make(seq))
    put(None)


def reader_main(parent_pid, kind, channel, control, size):
    child_setup(parent_pid)
    messages = Messages(size)
    get = channel.get
    control.put(("ready", os.getpid()))
    seen = []
    record = seen.append
    while True:
        message = get()
        if message is None:
            break
        record(messages.sequence(message))
    end = time.perf_counter()
    control.put(("done", end, len(seen), checksum(seen, size), min(seen) if seen else 0))


# ---------------------------------------------------------------------------
# The parent's side
# ---------------------------------------------------------------------------

def cpu_of_pid(pid):
    """user + system seconds of a process, from /proc (clock ticks)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class ProcessChannel:
    """The channel objects of one process sample, and the parent's ends."""

    def __init__(self, context, subject):
        self.subject = subject
        self.manager = None
        if subject == "mp-pipe":
            self.mine, self.theirs = context.Pipe()
            self.out = self.back = self.theirs
            self.send, self.recv = self.mine.send, self.mine.recv
            return
        if subject == "manager-queue":
            from multiprocessing.managers import SyncManager
            self.manager = SyncManager(ctx=context)
            self.manager.start(child_setup, (os.getpid(),))
            make = self.manager.Queue
        elif subject == "mp-queue":
            make = context.Queue
        else:
            make = context.SimpleQueue
        self.out, self.back = make(), make()
        self.send, self.recv = self.out.put, self.back.get

    def extra_cpu(self):
        return cpu_of_pid(self.manager._process.pid) if self.manager is not None else 0.0

    def started(self):
        """After the children started: the parent drops its copy of their end."""
        if self.subject == "mp-pipe":
            self.theirs.close()

    def close(self):
        if self.manager is not None:
            self.manager.shutdown()


def expect(reply, tag, what):
    if not (isinstance(reply, tuple) and reply and reply[0] == tag):
        raise Failure("%s sent %r where %s was due" % (what, reply if not isinstance(reply, bytes) else "a message", tag),
                             "this is a bug in the probe")
    return reply


def process_sample(spec, context, reporter, deadline):
    channel = ProcessChannel(context, spec.subject)
    parties = Parties(reporter, deadline)
    if channel.manager is not None:
        parties.add("the manager's process", channel.manager._process)
    messages = Messages(spec.size)
    role = {"mp-pipe": "the Pipe's", "mp-queue": "the Queue's", "mp-simplequeue": "the SimpleQueue's",
            "manager-queue": "the Manager queue's"}[spec.subject]
    me = os.getpid()
    try:
        if spec.variant == "2x2":
            return process_two_by_two(spec, context, channel, parties, role)
        if spec.variant == "one-way":
            target, args, what = sink_main, (me, spec.subject, channel.out, channel.back, spec.size, spec.warmup, spec.count), "sink"
        else:
            target, args, what = echo_main, (me, spec.subject, channel.out, channel.back, spec.warmup), "echo"
        process = context.Process(target=target, args=args, daemon=True)
        process.start()
        channel.started()
        parties.add("%s %s process" % (role, what), process)
        parties.start()
        send, recv = channel.send, channel.recv
        expect(recv(), "ready", "the %s process" % what)
        if spec.variant == "one-way":
            for seq in range(spec.warmup):
                send(messages.make(seq))
            expect(recv(), "warm", "the sink process")
            cpu_before = own_cpu() + channel.extra_cpu()
            start = time.perf_counter()
            for seq in range(spec.warmup, spec.warmup + spec.count):
                send(messages.make(seq))
            done = expect(recv(), "done", "the sink process")
            end = time.perf_counter()
            cpu = own_cpu() + channel.extra_cpu() - cpu_before + done[2]
            if not done[1]:
                raise Failure("the sink process received a message out of order, lost or damaged",
                                     "this is a bug in the channel or the probe")
            sample = throughput(spec, end - start)
            sample["cpu_us_per_msg"] = cpu * 1e6 / spec.count
        else:
            sample, cpu = round_trips(spec, send, recv, messages, lambda: own_cpu() + channel.extra_cpu())
            send(None)
            done = expect(recv(), "done", "the echo process")
            sample["cpu_us_per_msg"] = (cpu + done[1]) * 1e6 / spec.count
        parties.stop()
        process.join(5)
        return sample
    finally:
        parties.stop()
        channel.close()
        reap_children(1.0)


def process_two_by_two(spec, context, channel, parties, role):
    if spec.subject == "mp-pipe":
        raise Failure("mp-pipe has no 2x2 variant: a Pipe has two ends, one per party", "choose another subject")
    control = context.Queue()
    go = context.Event()
    me = os.getpid()
    half = (spec.count + 1) // 2
    for index, (first, stop) in enumerate(((0, half), (half, spec.count))):
        writer = context.Process(target=writer_main, args=(me, spec.subject, channel.out, control, go, first, stop, spec.size),
                                 daemon=True)
        reader = context.Process(target=reader_main, args=(me, spec.subject, channel.out, control, spec.size), daemon=True)
        writer.start()
        reader.start()
        parties.add("%s writer process %d" % (role, index + 1), writer)
        parties.add("%s reader process %d" % (role, index + 1), reader)
    parties.start()
    for _ in range(4):
        expect(control.get(), "ready", "a party")
    start = time.perf_counter()
    go.set()
    reports = [expect(control.get(), "done", "a reader") for _ in range(2)]
    end = max(report[1] for report in reports)
    parties.stop()
    verify_readers(spec, [(report[2], report[3]) for report in reports])
    return throughput(spec, end - start)


def verify_readers(spec, counts_and_sums):
    count = sum(c for c, _ in counts_and_sums)
    total = sum(s for _, s in counts_and_sums) & MASK
    expected = checksum(range(spec.count), spec.size)
    if count != spec.count or total != expected:
        raise Failure("the readers received %d messages with checksum %s, expected %d with %s: messages were lost, "
                             "repeated or damaged" % (count, hex64(total), spec.count, hex64(expected)),
                             "this is a bug in the channel or the probe")


def throughput(spec, seconds):
    return {"msgs_per_s": spec.count / seconds, "mb_per_s": spec.count * spec.size / seconds / 1e6}


def round_trips(spec, send, recv, messages, cpu):
    """Times each of spec.count round trips after spec.warmup untimed ones;
    returns the sample and the CPU seconds `cpu()` counted over them."""
    clock = time.perf_counter
    trips = []
    record = trips.append
    before = cpu()
    for seq in range(spec.warmup + spec.count):
        if seq == spec.warmup:
            before = cpu()
        sent = clock()
        send(messages.make(seq))
        reply = recv()
        back = clock()
        if messages.sequence(reply) != seq:
            raise Failure("round trip %d came back as %s" % (seq, "another message" if isinstance(reply, bytes) else repr(reply)),
                                 "this is a bug in the channel or the probe")
        if seq >= spec.warmup:
            record(back - sent)
    return rtt_sample(trips), cpu() - before


def rtt_sample(trips):
    ordered = sorted(trips)
    return {"rtt_p50_us": quantile(ordered, 0.5) * 1e6, "rtt_p99_us": quantile(ordered, 0.99) * 1e6}


# --- threads ----------------------------------------------------------------

def thread_sample(spec):
    import queue
    messages = Messages(spec.size)
    if spec.variant == "2x2":
        channel = queue.Queue()
        go = threading.Event()
        reports = []
        half = (spec.count + 1) // 2

        def writer(first, stop):
            go.wait()
            for seq in range(first, stop):
                channel.put(messages.make(seq))
            channel.put(None)

        def reader():
            seen = []
            while True:
                message = channel.get()
                if message is None:
                    break
                seen.append(messages.sequence(message))
            reports.append((time.perf_counter(), seen))
        threads = [threading.Thread(target=writer, args=(0, half)), threading.Thread(target=writer, args=(half, spec.count)),
                   threading.Thread(target=reader), threading.Thread(target=reader)]
        for thread in threads:
            thread.start()
        start = time.perf_counter()
        go.set()
        for thread in threads:
            thread.join()
        end = max(report[0] for report in reports)
        verify_readers(spec, [(len(seen), checksum(seen, spec.size)) for _, seen in reports])
        return throughput(spec, end - start)
    out, back = queue.Queue(), queue.Queue()
    if spec.variant == "round-trip":
        def echo():
            while True:
                message = out.get()
                if message is None:
                    return
                back.put(message)
        thread = threading.Thread(target=echo)
        thread.start()
        sample, cpu = round_trips(spec, out.put, back.get, messages, own_cpu)
        sample["cpu_us_per_msg"] = cpu * 1e6 / spec.count
        out.put(None)
        thread.join()
        return sample
    result = {}

    def sink():
        ok = True
        for seq in range(spec.warmup):
            ok = messages.sequence(out.get()) == seq and ok
        back.put("warm")
        for seq in range(spec.warmup, spec.warmup + spec.count):
            ok = messages.sequence(out.get()) == seq and ok
        result["end"], result["ok"] = time.perf_counter(), ok
    thread = threading.Thread(target=sink)
    thread.start()
    for seq in range(spec.warmup):
        out.put(messages.make(seq))
    back.get()
    cpu = own_cpu()
    start = time.perf_counter()
    for seq in range(spec.warmup, spec.warmup + spec.count):
        out.put(messages.make(seq))
    thread.join()
    cpu = own_cpu() - cpu
    if not result["ok"]:
        raise Failure("the receiving thread took a message out of order, lost or damaged", "this is a bug in the probe")
    sample = throughput(spec, result["end"] - start)
    sample["cpu_us_per_msg"] = cpu * 1e6 / spec.count
    return sample


# --- asyncio ----------------------------------------------------------------

async def asyncio_sample(spec):
    import asyncio
    messages = Messages(spec.size)
    if spec.variant == "2x2":
        channel = asyncio.Queue()
        go = asyncio.Event()
        reports = []
        half = (spec.count + 1) // 2

        async def writer(first, stop):
            await go.wait()
            for seq in range(first, stop):
                await channel.put(messages.make(seq))
            await channel.put(None)

        async def reader():
            seen = []
            while True:
                message = await channel.get()
                if message is None:
                    break
                seen.append(messages.sequence(message))
            reports.append((time.perf_counter(), seen))
        tasks = [asyncio.ensure_future(coroutine) for coroutine in (writer(0, half), writer(half, spec.count), reader(), reader())]
        await asyncio.sleep(0)
        start = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        end = max(report[0] for report in reports)
        verify_readers(spec, [(len(seen), checksum(seen, spec.size)) for _, seen in reports])
        return throughput(spec, end - start)
    out, back = asyncio.Queue(), asyncio.Queue()
    if spec.variant == "round-trip":
        async def echo():
            while True:
                message = await out.get()
                if message is None:
                    return
                back.put_nowait(message)
        task = asyncio.ensure_future(echo())
        clock = time.perf_counter
        trips = []
        before = own_cpu()
        for seq in range(spec.warmup + spec.count):
            if seq == spec.warmup:
                before = own_cpu()
            sent = clock()
            out.put_nowait(messages.make(seq))
            reply = await back.get()
            back_at = clock()
            if messages.sequence(reply) != seq:
                raise Failure("round trip %d came back wrong" % seq, "this is a bug in the probe")
            if seq >= spec.warmup:
                trips.append(back_at - sent)
        sample = rtt_sample(trips)
        sample["cpu_us_per_msg"] = (own_cpu() - before) * 1e6 / spec.count
        out.put_nowait(None)
        await task
        return sample
    result = {}

    async def sink():
        ok = True
        for seq in range(spec.warmup):
            ok = messages.sequence(await out.get()) == seq and ok
        back.put_nowait("warm")
        for seq in range(spec.warmup, spec.warmup + spec.count):
            ok = messages.sequence(await out.get()) == seq and ok
        result["end"], result["ok"] = time.perf_counter(), ok
    task = asyncio.ensure_future(sink())
    for seq in range(spec.warmup):
        out.put_nowait(messages.make(seq))
    await back.get()
    cpu = own_cpu()
    start = time.perf_counter()
    for seq in range(spec.warmup, spec.warmup + spec.count):
        await out.put(messages.make(seq))
    await task
    cpu = own_cpu() - cpu
    if not result["ok"]:
        raise Failure("the receiving task took a message out of order, lost or damaged", "this is a bug in the probe")
    sample = throughput(spec, result["end"] - start)
    sample["cpu_us_per_msg"] = cpu * 1e6 / spec.count
    return sample


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def parse_spec(text):
    raw = json_object(text, SPEC_KEYS)
    spec = Spec()
    spec.subject = probe_choice(raw, "subject", SUBJECTS)
    spec.variant = probe_choice(raw, "variant", VARIANTS)
    spec.size = probe_integer(raw, "size", 8)
    spec.count = probe_integer(raw, "count", 1)
    spec.warmup = probe_integer(raw, "warmup", 0, 0)
    probe_common(spec, raw)
    return spec


def measure(spec, reporter, deadline):
    import multiprocessing
    context = multiprocessing.get_context()
    samples = []
    for _ in range(spec.samples):
        if spec.subject in PROCESS_SUBJECTS:
            samples.append(process_sample(spec, context, reporter, deadline))
        elif spec.subject == "queue-queue":
            watch = Parties(reporter, deadline)
            watch.start()
            samples.append(thread_sample(spec))
            watch.stop()
        else:
            import asyncio
            watch = Parties(reporter, deadline)
            watch.start()
            loop = asyncio.new_event_loop()
            try:
                samples.append(loop.run_until_complete(asyncio_sample(spec)))
            finally:
                loop.close()
            watch.stop()
    return {"samples": samples, "start_method": context.get_start_method()}


if __name__ == "__main__":
    sys.exit(main_of(measure, parse_spec, _STARTED))
