"""Model name -> the module under bench/models/ that declares it (its MODEL),
from registry.tsv, the list bench reads too (for each model's shapes and
summary), so that a Python model is registered once for both languages:
adding one = its file + one line in registry.tsv. The order is bench's; the
first is the baseline. A module is imported only when its model runs."""

import importlib
import os

REGISTRY_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "registry.tsv")

# The dimensions of the spec a layout takes: what a model's `needs` must be.
LAYOUT_NEEDS = {
    "serial": (),
    "threads": ("threads",),
    "processes": ("processes",),
    "processes-x-threads": ("processes", "threads"),
    "in-flight": ("in_flight",),
    "processes-x-in-flight": ("processes", "in_flight"),
}


def _read(path):
    """name -> (module, layout, summary), in the file's order; '#' lines are comments."""
    entries = []
    with open(path, encoding="utf-8") as file:  # universal newlines: "\r\n" reads as "\n"
        for number, line in enumerate(file, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4 or not fields[0] or not fields[1] or fields[2] not in LAYOUT_NEEDS:
                raise ValueError("%s:%d: expected name, module, layout (one of %s) and summary, tab-separated"
                                 % (path, number, ", ".join(LAYOUT_NEEDS)))
            if any(name == fields[0] for name, _ in entries):
                raise ValueError("%s:%d: a second model named %s" % (path, number, fields[0]))
            if not entries and fields[2] != "serial":
                raise ValueError("%s:%d: the first model is the baseline, so its layout must be serial" % (path, number))
            entries.append((fields[0], tuple(fields[1:])))
    if not entries:
        raise ValueError("%s lists no model" % path)
    return entries


_ENTRIES = _read(REGISTRY_FILE)
MODULES = dict((name, entry[0]) for name, entry in _ENTRIES)
LAYOUTS = dict((name, entry[1]) for name, entry in _ENTRIES)


def names():
    return tuple(name for name, _ in _ENTRIES)


def model(name):
    """The named model's declaration; KeyError for a name not registered."""
    return importlib.import_module("bench.models." + MODULES[name]).MODEL
