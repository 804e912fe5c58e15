#!/usr/bin/env python3
"""bench's CPython driver: one sample of a python-* model (bench starts it as
`python3 -S bench_driver.py --report-fd FD SPEC_JSON`). The driver is the
package beside this file, python/bench/ (bench/driver.py); python/README.md
describes its interface."""

import time

_STARTED = time.perf_counter()  # first: the spec's timeout_s counts from the interpreter's start

if __name__ == "__main__":
    # Only as the program: a spawned pool process imports this file as
    # __mp_main__ and must not run the driver (nor import what it does not need).
    import sys
    from bench.driver import main
    sys.exit(main(sys.argv[1:], _STARTED))
