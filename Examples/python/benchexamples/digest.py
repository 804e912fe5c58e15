"""A hashlib digest: SHA-256 of the task index followed by a 2 MiB block.

hashlib releases the GIL while it hashes more than 2 KiB, so threads can
hash in parallel even on an interpreter with the GIL: the model that wins
here is not the one that wins on pure-Python work."""

import hashlib

BLOCK = {}


def setup():
    """The block, built once per process outside the measured span."""
    BLOCK["data"] = bytes(range(256)) * 8192  # 2 MiB


def sha256(task):
    if "data" not in BLOCK:  # called without bench: build it now
        setup()
    digest = hashlib.sha256(task.to_bytes(8, "little"))
    digest.update(BLOCK["data"])
    return digest.hexdigest()
