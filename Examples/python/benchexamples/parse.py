"""A JSON parse: json.loads of a 170 KB document, then a sum over it.

The json module's C scanner holds the GIL for the whole parse: threads take
turns, and only processes (or a free-threaded interpreter) parse in parallel."""

import json

DOCUMENT = {}


def setup():
    """The document's text, built once per process outside the measured span."""
    records = [{"id": i, "name": "item-%d" % i, "tags": ["a", "b", "c"][: i % 4], "price": i * 0.25}
               for i in range(2500)]
    DOCUMENT["text"] = json.dumps({"records": records})


def total(task):
    if "text" not in DOCUMENT:  # called without bench: build it now
        setup()
    records = json.loads(DOCUMENT["text"])["records"]
    # The task index picks which records count, so that every task's answer differs.
    return sum(record["id"] for record in records if record["id"] % 7 == task % 7)
