#!/usr/bin/env python3
"""The seeds' distributed worker, started by python-distributed's master
(python/bench/models/distributed.py has the protocol):

    BENCH_DISTRIBUTED_AUTHKEY=<hex> python3 -S distributed_worker.py HOST PORT WORKLOAD PARAMS_JSON TASKS TIMING TIMEOUT_S
"""

if __name__ == "__main__":
    import sys
    from bench.models.distributed import worker_main
    sys.exit(worker_main(sys.argv[1:]))
