"""What the driver knows of a Python model: a declaration in the model's
own file (its MODEL), found through registry.tsv."""

ASYNCIO_MODULES = ("asyncio", "asyncio.base_events", "asyncio.selector_events", "asyncio.streams")


class Model:
    """A python-* model.

    - run(spec, workload, timing, deadline, m): one sample; fills the
      Measurement m (python/README.md, "Timing and accounting") or raises
      Failure. deadline is on time.perf_counter.
    - needs: the spec's dimensions it takes ("processes", "threads",
      "in_flight"), each required to be an integer >= 1.
    - asynchronous: its tasks run under asyncio (the workload's asyncio
      sessions and imports).
    - pool: it runs a multiprocessing.Pool, so the spec's start_method applies.
    - imports: further modules its span touches, imported before it.
    - remote: its tasks run in worker programs of its own (not a Pool's).
    - runs_tasks_in_driver: neither pool nor remote, so the driver sets the
      workload up for its tasks (setup_process) and finishes it after them.
    """

    def __init__(self, run, needs=(), asynchronous=False, pool=False, imports=(), remote=False):
        self.run = run
        self.needs = tuple(needs)
        self.asynchronous = asynchronous
        self.pool = pool
        self.imports = tuple(imports)
        self.runs_tasks_in_driver = not (pool or remote)

    def modules(self, start_method):
        """Every module its span touches, the workload's aside."""
        found = list(self.imports)
        if self.asynchronous:
            found += ASYNCIO_MODULES
        if self.pool:
            from bench.pool import modules
            found += modules(start_method)
        return found
