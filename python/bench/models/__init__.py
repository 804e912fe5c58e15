"""The python-* models, one per file, each declaring its MODEL; registry.py names them."""
