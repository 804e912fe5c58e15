"""The workloads, one per file, each declaring its WORKLOAD class; registry.py names them."""
