"""python-function: the user's own function, func(t), once per task t.

params: `callable` "pkg.module:func" (the part after the colon may be a
dotted attribute path, "pkg.module:Class.method"); `python-path` a folder
put first on sys.path before the import ("" adds none; a relative one is
taken from the driver's working directory, which is bench's).

A task: func(t), then pickle.dumps(value, protocol=4); the raw value is
those bytes. Pickling in the task, under every model, keeps one rule for
all of them (the pool models send a result back pickled anyway) and fails
a result that cannot be pickled in the task that made it. An `async def`
is awaited: on the loop of the asyncio models, elsewhere on an event loop
of the calling thread's own. A plain function under the asyncio models
runs through asyncio.to_thread (loop.run_in_executor before 3.9): the
loop's default executor, at most min(32, cores + 4) threads; the report
says so ("to_thread": true).

result = result_digest(bytes) (ResultBytes.digest, bench/checksum.py), so
bench's checksum is the sum over tasks of term(t, digest of func(t)'s
pickled bytes): equal across models exactly when every task's pickled
result is.

setup() and teardown(), when the module defines them, run once in every
process that runs tasks: in the driver for python-serial, python-thread and
python-async, before the span and after it; in each pool process, and each
python-distributed worker, when it starts (pool processes start inside the
span, as every pool's do) and when it exits, after the span.

Everything that goes wrong is the function's and says so, naming the
callable: an import that fails, a name that is missing or not callable, an
exception (with the last frame of its traceback), a result that cannot be
pickled. The import errors are usage errors ("usage": true in the error
line: bench exits 64)."""

import os
import sys

from bench import fields
from bench.checksum import result_digest
from bench.failure import Failure, SampleTimeout, describe
from bench.workloads.workload import Workload, noop_aclose, noop_close

PROTOCOL = 4  # fixed: the default changes with the interpreter (5 from 3.14)
UNPICKLABLE = "its result cannot be pickled"
CALL_FIX = "fix the function (bench reports the first failing task; the others ran too)"


class CallFailed(Exception):
    """A call of the user's function (or pickling its result) failed: the text says how, naming the callable."""


def split_callable(text):
    """("pkg.module", ["Class", "method"]) from "pkg.module:Class.method", or a usage Failure."""
    module, colon, attribute = text.partition(":")
    if not text:
        raise Failure("python-function needs --callable", "e.g. --callable pkg.module:func", usage=True)
    if not colon:
        raise Failure("--callable %s has no colon" % text, "write it as module:function, e.g. pkg.module:func",
                      usage=True)
    words = attribute.split(".")
    if not all(_identifiers(part) for part in (module.split("."), words)):
        raise Failure("--callable %s is not module:function" % text,
                      "write dotted Python names on both sides of the colon, e.g. pkg.module:func", usage=True)
    return module, words


def _identifiers(names):
    return all(name.isidentifier() for name in names)


def last_frame(error):
    """` (file.py:12 in func)`: the last frame of the error's traceback that is
    not the import machinery's, or "" without one."""
    import importlib
    import traceback
    machinery = os.path.dirname(importlib.__file__) + os.sep
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.startswith(("<frozen ", machinery)) and frame.filename != __file__]
    if not frames:
        return ""
    frame = frames[-1]
    return " (%s:%s in %s)" % (frame.filename, frame.lineno, frame.name)


def call_error(error):
    """`raised ValueError: bad (mod.py:12 in func)`."""
    return "raised %s%s" % (describe(error), last_frame(error))


class PythonFunctionWorkload(Workload):
    """Calls the function of `callable` once per task; the raw value is its pickled result."""
    name = "python-function"
    parameters = ("callable", "python-path")

    def __init__(self, target, path):
        self.callable = target
        self.module_name, self.attributes = split_callable(target)
        self.path = os.path.abspath(path) if path else ""
        self.coroutine = False
        self._function = None
        self._module = None
        self._setup_pid = None
        self._finished = False
        # Imported before the span: what a task touches (an async def also needs asyncio under the blocking models).
        self.imports = ("pickle",)
        self.async_imports = ("pickle", "concurrent.futures.thread")

    @classmethod
    def from_params(cls, params, timeout_s):
        workload = cls(fields.text(params, "callable"), fields.text(params, "python-path"))
        workload.load()  # in the driver, before the span: a bad callable is one usage error up front
        return workload

    def __getstate__(self):
        # Pickled to spawned pool processes: the names, not the module (loaded again there).
        state = dict(self.__dict__)
        state["_function"] = state["_module"] = None
        return state

    def load(self):
        """Imports the module (python-path first on sys.path) and finds the function; usage Failures."""
        if self._function is not None:
            return
        import importlib
        import inspect
        if self.path:
            if not os.path.isdir(self.path):
                raise Failure("--python-path %s is not a folder" % self.path,
                              "give the folder that holds %s's package" % self.module_name, usage=True)
            if self.path not in sys.path:
                sys.path.insert(0, self.path)
        try:
            module = importlib.import_module(self.module_name)
        except BaseException as error:  # noqa: B902 — the module's own code may raise anything, SystemExit too
            raise Failure("--callable %s: module %s does not import: %s%s"
                          % (self.callable, self.module_name, describe(error), last_frame(error)),
                          "check --callable and --python-path (sys.path starts %s)" % sys.path[0], usage=True)
        found = module
        for depth, attribute in enumerate(self.attributes):
            try:
                found = getattr(found, attribute)
            except AttributeError:
                owner = ".".join([self.module_name] + self.attributes[:depth])
                raise Failure("--callable %s: %s has no %s" % (self.callable, owner, attribute),
                              "check the name after the colon", usage=True)
        if not callable(found):
            raise Failure("--callable %s is a %s, not a function" % (self.callable, type(found).__name__),
                          "name a function that takes the task index", usage=True)
        self._module, self._function = module, found
        self.coroutine = inspect.iscoroutinefunction(found)
        if self.coroutine:
            self.imports = ("pickle", "asyncio", "asyncio.base_events", "asyncio.selector_events")

    def setup_process(self):
        """The module's setup(), once per process; its teardown() registered for this process's exit."""
        self.load()
        if self._setup_pid == os.getpid():
            return
        self._setup_pid = os.getpid()
        self._finished = False
        self._hook("setup")
        # A pool process exits through multiprocessing, which runs these; the driver and
        # a distributed worker call finish_process() themselves.
        from multiprocessing.util import Finalize
        Finalize(None, self.finish_process, exitpriority=10)

    def finish_process(self):
        if self._finished or self._setup_pid != os.getpid():
            return
        self._finished = True
        self._hook("teardown")

    def _hook(self, name):
        hook = getattr(self._module, name, None)
        if hook is None:
            return
        what = "%s:%s()" % (self.module_name, name)
        try:
            hook()
        except BaseException as error:  # noqa: B902 — the user's code
            raise Failure("%s %s" % (what, call_error(error)), "fix %s; it runs once in every process that runs tasks" % what)

    def _blocking_call(self):
        """func(t) for a thread: an async def runs on this thread's own event loop."""
        function = self._function
        if not self.coroutine:
            return function, noop_close
        import asyncio
        loop = asyncio.new_event_loop()

        def call(t):
            return loop.run_until_complete(function(t))
        return call, loop.close

    def session(self, thread):
        call, close = self._blocking_call()
        return self._pickling(call), close

    def _pickling(self, call):
        """The task around `call`: its result pickled, anything it raises one CallFailed naming the callable."""
        import pickle
        dumps = pickle.dumps

        def run(t):
            try:
                value = call(t)
            except SampleTimeout:
                raise
            except BaseException as error:  # noqa: B902 — SystemExit in a user's function is its failure too
                raise CallFailed(call_error(error))
            try:
                return dumps(value, PROTOCOL)
            except BaseException as error:  # noqa: B902 — pickling may raise anything
                raise CallFailed("%s (%s)" % (UNPICKLABLE, describe(error)))
        return run

    def async_session(self):
        import asyncio
        if not self.coroutine:
            # A plain function: on a thread of the loop's default executor, pickled there too.
            run = self._pickling(self._function)
            to_thread = getattr(asyncio, "to_thread", None)

            if to_thread is None:  # Python 3.8
                async def offloaded(t):
                    return await asyncio.get_event_loop().run_in_executor(None, run, t)
                return offloaded, noop_aclose

            async def threaded(t):
                return await to_thread(run, t)
            return threaded, noop_aclose

        function = self._function
        pickled = self._pickling(lambda value: value)

        async def arun(t):
            try:
                value = await function(t)
            except (SampleTimeout, asyncio.CancelledError):
                raise
            except BaseException as error:  # noqa: B902
                raise CallFailed(call_error(error))
            return pickled(value)
        return arun, noop_aclose

    def runs_through_thread(self, asynchronous):
        return asynchronous and not self.coroutine

    def result(self, raw, task):
        return result_digest(raw)

    def describe_failures(self, count, tasks, first):
        description = first[1]
        if description.startswith("CallFailed: "):
            description = description[len("CallFailed: "):]
        usage = description.startswith(UNPICKLABLE)
        fix = "return a picklable value (bench checksums its pickled bytes)" if usage else CALL_FIX
        return Failure("%s failed in %d of %d tasks; the first, task %d: %s"
                       % (self.callable, count, tasks, first[0], description), fix, usage=usage)

    def describe_timeout(self, failure):
        return Failure("%s: %s" % (self.callable, failure.what),
                       "a task of %s hung or is slower than --timeout allows: raise --timeout, or fix the function"
                       % self.callable)


WORKLOAD = PythonFunctionWorkload
