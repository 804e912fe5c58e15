"""How a sample fails: one line, `what — how to fix`."""


class Failure(Exception):
    """A sample that cannot run or did not succeed: what went wrong, how to fix it.
    `usage`: the user's input is wrong (a --callable that does not import),
    which bench reports as bad usage (exit 64) rather than a failed run."""

    def __init__(self, what, fix, usage=False):
        Exception.__init__(self, what)
        self.what = what
        self.fix = fix
        self.usage = usage

    def line(self):
        return one_line("%s — %s" % (self.what, self.fix))


class SampleTimeout(BaseException):
    """Raised by SIGALRM in the main thread; a BaseException so that the
    per-task `except Exception` does not count it as a failed task."""


def one_line(text, limit=600):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def describe(error):
    message = str(error)
    name = type(error).__name__
    return one_line("%s: %s" % (name, message) if message else name, 300)
