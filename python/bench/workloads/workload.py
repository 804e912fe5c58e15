"""The shape every workload has. A workload object is plain data (it is
pickled to pool processes): setup_process() builds what one process needs,
session(j) gives thread j's task function run(t) -> raw value and its
close(), async_session() a slot's coroutine function and its aclose();
result(raw, task) maps raw values to results after the span."""

from bench.failure import Failure


def noop_close():
    pass


async def noop_aclose():
    pass


class Workload:
    """Subclasses set `name` and `parameters` (every parameter bench declares
    for the workload, by its flag's name: bench sends them all, and the
    registry refuses a spec that lacks one or has another) and build
    themselves in `from_params`."""
    name = None
    parameters = ()
    timed = True  # per-task timing makes sense
    imports = ()  # modules the blocking sessions use, imported before the span
    async_imports = ()  # and the asyncio ones

    @classmethod
    def from_params(cls, params, timeout_s):
        """The workload from its checked parameters; timeout_s bounds a socket wait."""
        return cls()

    def modules(self, asynchronous):
        return self.async_imports if asynchronous else self.imports

    def prepare(self, tasks):
        """In the driver, before the span."""

    def setup_process(self):
        """In every process that runs tasks, once, before its first task."""

    def finish_process(self):
        """In every process that ran tasks, once, after its last (outside the span)."""

    def session(self, thread):
        raise NotImplementedError

    def async_session(self):
        run, close = self.session(0)

        async def arun(t):
            return run(t)

        async def aclose():
            close()
        return arun, aclose

    def result(self, raw, task):
        return raw

    def flush(self):
        pass

    def runs_through_thread(self, asynchronous):
        """Whether its tasks run on an executor's threads under asyncio (the report's "to_thread")."""
        return False

    def describe_timeout(self, failure):
        """The timeout's Failure, as this workload tells it."""
        return failure

    def describe_failures(self, count, tasks, first):
        return Failure(
            "%d of %d tasks failed; the first: task %d: %s" % (count, tasks, first[0], first[1]),
            "run the same cell with python-serial to see the task's error")
