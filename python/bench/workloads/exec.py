"""exec: shlex.split(command) (POSIX rules, no shell), {task} replaced in
every argument, the program found on PATH before the span; subprocess.run
(asyncio.create_subprocess_exec under asyncio) with stdin /dev/null and
both outputs piped. The raw value is the count of bytes it wrote on standard
output; a status other than 0 fails the task with the status and the first
line of its standard error."""

import os

from bench import fields
from bench.failure import Failure
from bench.workloads.workload import Workload, noop_aclose, noop_close


class ExecFailure(Exception):
    pass


class ExecWorkload(Workload):
    """Runs the command's program per task (shlex.split, no shell, {task}
    replaced); the raw value is the byte count of its standard output."""
    name = "exec"
    parameters = ("command",)
    imports = ("subprocess",)
    async_imports = ("asyncio.subprocess",)

    def __init__(self, command):
        import shlex
        import shutil
        self.command = command
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise Failure("exec: cannot split the command %r into words (%s)" % (command, error),
                          "quote it as sh would")
        if not words:
            raise Failure("exec needs params.command", "pass the program and its arguments")
        program = words[0]
        found = program if "/" in program and os.access(program, os.X_OK) else \
            (shutil.which(program) if "/" not in program else None)
        if found is None:
            raise Failure("exec: no program %r%s" % (program, "" if "/" in program else " on PATH"),
                          "install it, or give its path in the command")
        self.argv = [found] + words[1:]

    @classmethod
    def from_params(cls, params, timeout_s):
        return cls(fields.text(params, "command"))

    def _argv(self, t):
        index = str(t)
        return [self.argv[0]] + [word.replace("{task}", index) for word in self.argv[1:]]

    def _check(self, t, status, output, errors):
        if status != 0:
            how = "exited with status %d" % status if status > 0 else "was killed by signal %d" % -status
            line = errors.decode("utf-8", "replace").split("\n")[0].strip()
            raise ExecFailure("exec task %d: %s %s%s" % (t, self.command, how, ": " + line if line else ""))
        return len(output)

    def session(self, thread):
        import subprocess
        run_program, pipe, null = subprocess.run, subprocess.PIPE, subprocess.DEVNULL
        argv, check = self._argv, self._check

        def run(t):
            done = run_program(argv(t), stdin=null, stdout=pipe, stderr=pipe)
            return check(t, done.returncode, done.stdout, done.stderr)
        return run, noop_close

    def async_session(self):
        import asyncio
        import asyncio.subprocess
        argv, check = self._argv, self._check
        pipe, null = asyncio.subprocess.PIPE, asyncio.subprocess.DEVNULL

        async def arun(t):
            process = await asyncio.create_subprocess_exec(*argv(t), stdin=null, stdout=pipe, stderr=pipe)
            output, errors = await process.communicate()
            return check(t, process.returncode, output, errors)
        return arun, noop_aclose


WORKLOAD = ExecWorkload
