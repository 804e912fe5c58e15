"""The python-* models, one per file, each declaring its MODEL; registry.tsv names them (for bench too)."""
