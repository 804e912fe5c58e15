"""bench's checksum arithmetic, equal to Swift's bit for bit (modulo 2**64):
Sources/Workloads/Checksum.swift and Results/ResultBytes.swift."""

import sys

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


def mix(z):
    """SplitMix64's finaliser, modulo 2**64."""
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def term(task, result):
    """One task's contribution to the checksum."""
    return mix(result ^ mix(task + GOLDEN))


def checksum(results):
    """The checksum of results[t] for every task t (order-independent sum)."""
    total = 0
    for task, result in enumerate(results):
        total += term(task, result)
    return total & MASK


def hex64(value):
    return "0x%016x" % (value & MASK)


def body_digest(body):
    """FNV-1a 64 over the bytes, finished as mix(state ^ length)."""
    state = FNV_OFFSET
    for byte in body:
        state = ((state ^ byte) * FNV_PRIME) & MASK
    return mix(state ^ len(body))


def repeated_bytes(word, count):
    """`count` bytes of the 64-bit word repeated, little-endian (ResultBytes.swift)."""
    return (word.to_bytes(8, "little") * (count // 8 + 1))[:count]


def result_digest(data):
    """ResultBytes.digest: the wrapping sum of the little-endian 64-bit words
    (the last one zero-padded), finished as mix(sum ^ mix(length))."""
    count = len(data)
    padded = bytes(data) + b"\0" * (-count % 8)
    total = sum(memoryview(padded).cast("Q")) if sys.byteorder == "little" else \
        sum(int.from_bytes(padded[i:i + 8], "little") for i in range(0, len(padded), 8))
    return mix((total & MASK) ^ mix(count))


def repeated_digest(word, count):
    """result_digest(repeated_bytes(word, count)) without the bytes."""
    remainder = count % 8
    tail = word & ((1 << (8 * remainder)) - 1)
    return mix(((word * (count // 8) + tail) & MASK) ^ mix(count))
