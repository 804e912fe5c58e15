"""Typed fields of the spec's JSON (its keys and a workload's params), each
checked with an error that names it. No defaults: bench sends every key and
every parameter it resolved, and a missing one is an error."""

import json

from bench.failure import Failure


def json_object(text, keys):
    """The spec's JSON object, with only `keys` allowed (a typo must not silently change a sample)."""
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise Failure("the spec is not valid JSON (%s)" % error, "pass one JSON object as SPEC_JSON")
    if not isinstance(raw, dict):
        raise Failure("the spec must be a JSON object", "pass one JSON object as SPEC_JSON")
    refuse_unknown(raw, keys, "unknown spec key(s)", "use only: %s" % ", ".join(keys))
    return raw


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def require(container, keys, what):
    """Fails unless `container` has every one of `keys`; `what` starts the
    error, e.g. "the spec lacks key(s)"."""
    missing = [key for key in keys if key not in container]
    if missing:
        raise Failure("%s %s" % (what, ", ".join(missing)),
                      "pass every one: bench sends them all (python/README.md lists them)")


def refuse_unknown(container, keys, what, fix):
    unknown = sorted(set(container) - set(keys))
    if unknown:
        raise Failure("%s %s" % (what, ", ".join(unknown)), fix)


def integer(container, key, minimum, what=None):
    what = what or key
    value = container.get(key)
    if not is_integer(value) or value < minimum:
        raise Failure("%s must be an integer >= %d, got %s" % (what, minimum, json.dumps(value)),
                      "fix the spec's %s" % what)
    return value


def flag(container, key, what=None):
    what = what or key
    value = container.get(key)
    if not isinstance(value, bool):
        raise Failure("%s must be true or false, got %s" % (what, json.dumps(value)), "fix the spec's %s" % what)
    return value


def choice(container, key, choices, fix):
    value = container.get(key)
    if value not in choices:
        raise Failure("%s %s is not one of %s" % (key, json.dumps(value), ", ".join(choices)), fix)
    return value


def text(container, key):
    value = container.get(key)
    if not isinstance(value, str):
        raise Failure("%s must be a string, got %s" % (key, json.dumps(value)), "fix params.%s" % key)
    return value
