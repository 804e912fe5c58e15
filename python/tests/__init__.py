"""The tests of python/: one module per part of the package (support.py has what they share)."""
