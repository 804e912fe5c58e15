#!/usr/bin/env python3
"""The same function timed bare, as a loop: what python-function's per-task
time under python-serial is compared with (the harness's own cost per task).

    python3 -S Examples/python/bare_loop.py pkg.module:func TASKS [ROUNDS]

Calls setup() once if the module has one, then ROUNDS times (default 11)
`for t in range(TASKS): pickle.dumps(func(t), 4)` (the same work a
python-function task does, pickling included) and prints the median
round's microseconds per task, and the same without the pickling."""

import importlib
import os
import pickle
import sys
import time


def main(argv):
    if len(argv) not in (2, 3) or ":" not in argv[0]:
        sys.stderr.write("usage: bare_loop.py pkg.module:func TASKS [ROUNDS]\n")
        return 64
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    module_name, function_name = argv[0].split(":", 1)
    module = importlib.import_module(module_name)
    function = module
    for name in function_name.split("."):
        function = getattr(function, name)
    tasks, rounds = int(argv[1]), int(argv[2]) if len(argv) == 3 else 11
    if hasattr(module, "setup"):
        module.setup()
    if asyncio_function(function):
        import asyncio
        loop = asyncio.new_event_loop()
        call = lambda t: loop.run_until_complete(function(t))  # noqa: E731
    else:
        call = function
    for label, pickling in (("with pickle.dumps", True), ("call alone", False)):
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            for t in range(tasks):
                value = call(t)
                if pickling:
                    pickle.dumps(value, 4)
            times.append(time.perf_counter() - start)
        times.sort()
        print("%s %s: %.3f us per task (median of %d rounds of %d tasks)"
              % (argv[0], label, times[len(times) // 2] / tasks * 1e6, rounds, tasks))
    return 0


def asyncio_function(function):
    import inspect
    return inspect.iscoroutinefunction(function)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
