"""The package's shape (DESIGN "v3 deltas", Python): each registry entry
resolves to its declaration, no module imports another that imports it
back, no Python file is over 600 lines, every file parses on 3.6."""

import ast
import os
import unittest

from tests.support import PYTHON_DIR

from bench.models import registry as models
from bench.models.model import Model
from bench.workloads import registry as workloads
from bench.workloads.workload import Workload

MAX_LINES = 600


def source(path):
    with open(path, "rb") as file:
        return file.read()


def python_files():
    for folder, _, names in os.walk(PYTHON_DIR):
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def module_name(path):
    relative = os.path.relpath(path, PYTHON_DIR)[:-3].split(os.sep)
    if relative[-1] == "__init__":
        relative = relative[:-1]
    return ".".join(relative)


def bench_imports(path):
    """The bench.* modules a file imports, at any depth (an import inside a function counts too)."""
    found = set()
    tree = ast.parse(source(path), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "bench")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bench":
            found.add(node.module)
            # `from bench import pool`: the name may be a module of the package
            for alias in node.names:
                candidate = node.module + "." + alias.name
                if os.path.exists(os.path.join(PYTHON_DIR, *candidate.split(".")) + ".py"):
                    found.add(candidate)
    return found


class LayoutTests(unittest.TestCase):
    def test_every_registered_model_declares_itself(self):
        self.assertEqual(models.names()[0], "python-serial")
        for name in models.names():
            with self.subTest(model=name):
                model = models.model(name)
                self.assertIsInstance(model, Model)
                self.assertTrue(callable(model.run))
                self.assertTrue(set(model.needs) <= {"processes", "threads", "in_flight"}, model.needs)
                # bench gives it the shapes of its layout in registry.tsv: the dimensions the driver then requires.
                self.assertEqual(set(model.needs), set(models.LAYOUT_NEEDS[models.LAYOUTS[name]]))

    def test_every_registered_workload_declares_itself(self):
        for name in workloads.names():
            with self.subTest(workload=name):
                declared = workloads.workload_class(name)
                self.assertTrue(issubclass(declared, Workload))
                self.assertEqual(declared.name, name)
                self.assertIsInstance(declared.parameters, tuple)

    def test_no_import_cycle(self):
        graph = {module_name(path): bench_imports(path) for path in python_files()
                 if module_name(path).split(".")[0] == "bench"}
        # A package's __init__ is imported before any of its modules: an edge to it is no cycle of ours.
        graph = {module: {d for d in deps if d in graph and not d == module.rsplit(".", 1)[0]}
                 for module, deps in graph.items()}
        state = {}

        def visit(module, path):
            if state.get(module) == "done":
                return
            self.assertNotEqual(state.get(module), "open", "import cycle: %s" % " -> ".join(path + [module]))
            state[module] = "open"
            for dependency in sorted(graph[module]):
                visit(dependency, path + [module])
            state[module] = "done"
        for module in sorted(graph):
            visit(module, [])

    def test_no_python_file_over_600_lines(self):
        for path in python_files():
            with self.subTest(file=os.path.relpath(path, PYTHON_DIR)):
                self.assertLessEqual(source(path).count(b"\n"), MAX_LINES)

    def test_every_file_parses_on_python_3_6(self):
        # An old interpreter must reach the driver's version error, not a SyntaxError.
        for path in python_files():
            with self.subTest(file=os.path.relpath(path, PYTHON_DIR)):
                ast.parse(source(path), path, feature_version=(3, 6))


if __name__ == "__main__":
    unittest.main()
