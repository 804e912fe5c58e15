"""Model name -> the module under bench/models/ that declares it (its MODEL).
The order is bench's (Sources/Harness/Python/PythonModels.swift gives each
its shapes). Adding a Python model = its file + one line here (+ its line
in PythonModels.swift). A module is imported only when its model runs."""

import importlib

MODULES = {
    "python-serial": "serial",
    "python-thread": "thread",
    "python-process-pool": "process_pool",
    "python-hybrid": "hybrid",
    "python-async": "asyncio_window",
    "python-process-async": "process_async",
    "python-distributed": "distributed",
}


def names():
    return tuple(MODULES)


def model(name):
    """The named model's declaration; KeyError for a name not registered."""
    return importlib.import_module("bench.models." + MODULES[name]).MODEL
