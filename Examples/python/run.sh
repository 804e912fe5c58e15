#!/usr/bin/env bash
# Examples/python/run.sh [BENCH_RUN_FLAGS...]
#
# Every example function of benchexamples/ under every python-* model at 1,
# 2 and 4 workers (python-hybrid and python-process-async: 2 processes x 1,
# 2 and 4), one bench run folder per function under results/. Extra
# arguments go to each `bench run`, e.g. --python python3.12,python3.13t
# or --runs 6. Builds bench (release) first when .build/release/bench is missing.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
package=$(cd -- "$here/../.." && pwd -P)
bench=${BENCH:-$package/.build/release/bench}
if [[ ! -x $bench ]]; then
    (cd -- "$package" && swift build -c release --product bench)
fi
for callable in benchexamples.digest:sha256 benchexamples.parse:total \
        benchexamples.sleepy:wait_then_sum benchexamples.sleepy:await_then_sum; do
    "$bench" run --workload python-function --callable "$callable" --python-path "$here" \
        --workers 1,2,4 --processes 2 --label "example-${callable##*:}" "$@"
done
