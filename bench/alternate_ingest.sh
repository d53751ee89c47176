#!/usr/bin/env bash
# Alternating `ais ingest` runs of one file through the CLI, this checkout against a baseline
# commit, in fresh homes, with wall time, user CPU and peak RSS from /usr/bin/time.
#   bench/alternate_ingest.sh FILE BASELINE_COMMIT [ROUNDS]
# The baseline is checked out with `git worktree add /tmp/base COMMIT` and imported through
# PYTHONPATH (ahead of the editable install). Results: bench/RESULTS.md, AIS store section.
set -euo pipefail
F=${1:?file to ingest}
BASE=${2:?baseline commit}
ROUNDS=${3:-3}
cd "$(dirname "$0")/.."
[ -d /tmp/base ] || git worktree add -f /tmp/base "$BASE" -q
for round in $(seq "$ROUNDS"); do
  for which in new base; do
    H=/tmp/alt-home-$which; rm -rf $H
    if [ $which = base ]; then export PYTHONPATH=/tmp/base/src; else unset PYTHONPATH; fi
    /usr/bin/time -f "$which round $round: %e s wall, %U s user, %M KB peak" \
        .venv/bin/python -m sanctionwatch --home $H ais ingest "$F" >/dev/null 2>/tmp/alt-$which.err
    tail -1 /tmp/alt-$which.err
  done
done
