"""bench's Python side: the CPython twins of bench's models and workloads.

The layout mirrors the Swift registries (python/README.md has the driver's
interface):

    driver.py           one sample of a python-* model: spec in, one JSON line out
    spec.py, fields.py  the spec, read and checked (every key and parameter required)
    workloads/          one file per workload + registry.py (name -> module)
    models/             one file per model + registry.tsv (name, module, layout, summary)
    tasks.py, pool.py   running tasks: loops, thread teams, asyncio windows, Pool plumbing
    measurement.py      the span's figures, the timeout alarm
    process.py          what every process of a sample does (parent death, signals, usage)
    reaping.py          stopping pools and reaping every child
    checksum.py         bench's checksum arithmetic, bit for bit as Swift's
    http_client.py, crawl_client.py   the http and crawl workloads' client side
    failure.py, report.py   the error line and the report descriptor
    probe.py            what the experiments' probes (python/seed_*.py) share

Standard library only. Every module parses on Python 3.6 so that an old
interpreter gets the driver's version error, not a SyntaxError.
"""
