"""Workload name -> the module under bench/workloads/ that declares it (its
WORKLOAD class), as Sources/Workloads/WorkloadRegistry.swift lists bench's.
Adding a workload's Python version = its file + one line here. A module is
imported only when its workload runs."""

import importlib

from bench.fields import refuse_unknown, require
from bench.failure import Failure

MODULES = {
    "xor": "xor",
    "sleep": "sleep",
    "noop": "noop",
    "print": "print",
    "http": "http",
    "profile": "profile",
    "exec": "exec",
    "crawl": "crawl",
    "python-function": "python_function",
}


def names():
    return tuple(MODULES)


def workload_class(name):
    """The named workload's class; KeyError for a name not registered."""
    return importlib.import_module("bench.workloads." + MODULES[name]).WORKLOAD


def make_workload(name, params, timeout_s):
    """The workload from its params: every parameter it declares and no other."""
    if not isinstance(params, dict):
        raise Failure("params must be a JSON object", "fix the spec's params")
    declared = workload_class(name)
    refuse_unknown(params, declared.parameters, "workload %s has no parameter(s)" % name,
                   "its parameters: %s" % (", ".join(sorted(declared.parameters)) or "none"))
    require(params, declared.parameters, "workload %s lacks parameter(s)" % name)
    return declared.from_params(params, timeout_s)
