"""The spec of one sample (python/README.md, "The spec"): every key is
required; the workload's params hold every parameter it declares."""

import json

from bench import fields
from bench.failure import Failure
from bench.models import registry as models
from bench.workloads import registry as workloads

REQUIRED_KEYS = ("model", "workload", "params", "tasks", "processes", "threads", "in_flight",
                 "chunksize", "start_method", "timeout_s", "task_timing")
# parent_pid: the parent checks that it is still the driver's parent; a driver run by hand may leave it out.
SPEC_KEYS = REQUIRED_KEYS + ("parent_pid",)
DIMENSIONS = ("processes", "threads", "in_flight")


class Spec:
    """The checked spec: the JSON's keys as attributes, the model's
    declaration (`model_declaration`) and the workload built from its
    params (`workload_object`); `report_fd` is the driver's to set."""
    report_fd = None


def parse_spec(text):
    raw = fields.json_object(text, SPEC_KEYS)
    fields.require(raw, REQUIRED_KEYS, "the spec lacks key(s)")
    spec = Spec()
    spec.model = raw["model"]
    if not isinstance(spec.model, str) or spec.model not in models.MODULES:
        raise Failure("model %s has no Python version" % json.dumps(spec.model),
                      "models with a Python version: %s" % ", ".join(models.names()))
    spec.model_declaration = model = models.model(spec.model)
    spec.workload = raw["workload"]
    if not isinstance(spec.workload, str) or spec.workload not in workloads.MODULES:
        raise Failure("workload %s has no Python version" % json.dumps(spec.workload),
                      "workloads with a Python version: %s" % ", ".join(sorted(workloads.names())))
    spec.tasks = fields.integer(raw, "tasks", 1)
    spec.timeout_s = raw["timeout_s"]
    if isinstance(spec.timeout_s, bool) or not isinstance(spec.timeout_s, (int, float)) \
            or not 0 < spec.timeout_s < 1e9:
        raise Failure("timeout_s must be a number > 0, got %s" % json.dumps(spec.timeout_s), "fix the spec's timeout_s")
    spec.task_timing = fields.flag(raw, "task_timing")
    spec.parent_pid = raw.get("parent_pid")
    if spec.parent_pid is not None:
        fields.integer(raw, "parent_pid", 1)
    for key in DIMENSIONS + ("chunksize",):
        if raw[key] is not None:
            fields.integer(raw, key, 1)
    for key in model.needs:
        if raw[key] is None:
            raise Failure("%s needs %s" % (spec.model, key), "set %s to an integer >= 1" % key)
    # A dimension the model does not take is ignored (null allowed): 1 keeps arithmetic on it harmless.
    spec.processes = raw["processes"] or 1
    spec.threads = raw["threads"] or 1
    spec.in_flight = raw["in_flight"] or 1
    spec.chunksize = raw["chunksize"]  # null: Pool's own rule, ceil(tasks / (4 x processes))
    spec.start_method = _start_method(raw["start_method"], model.pool)
    spec.params = raw["params"]
    spec.workload_object = workloads.make_workload(spec.workload, spec.params, spec.timeout_s)
    return spec


def _start_method(method, pool):
    """A pool model's start method (null: the interpreter's default); None for the others."""
    if not pool:
        if method is not None and not isinstance(method, str):
            raise Failure("start_method must be a string or null", "fix the spec's start_method")
        return None
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    if method is not None and method not in methods:
        raise Failure("start_method %s is not available" % json.dumps(method),
                      "use one of %s, or null for the default" % ", ".join(methods))
    return method or multiprocessing.get_start_method()
