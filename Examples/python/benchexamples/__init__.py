"""Example functions for bench's python-function workload (see ../README.md):
each module has one task function f(task_index) and, where it needs one,
setup() to build its input once per process."""
