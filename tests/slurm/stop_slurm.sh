#!/usr/bin/env bash
# Stop the one-node SLURM cluster started by tests/slurm/start_slurm.sh.
set -uo pipefail
for daemon in slurmd slurmctld munged; do
    pkill -x "$daemon" 2>/dev/null && echo "stopped $daemon"
done
for _ in $(seq 20); do
    pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || exit 0
    sleep 0.5
done
exit 0
