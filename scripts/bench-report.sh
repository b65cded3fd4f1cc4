#!/usr/bin/env bash
# Runs every benchmark and writes their tables, with the commands and the
# date, to stdout as markdown (docs/bench.md is this output plus a summary).
#
# Usage: scripts/bench-report.sh > /tmp/bench.md   (root; about 5 minutes)

source "$(dirname "$0")/bench-lib.sh"

section() {
    echo
    echo "## $1"
    echo
    echo "Command: \`$2\` ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
}

cd "$ROOT"
echo "# rawcap benchmarks"
section "Offline: -r with -w and with -nr" "RUNS=${RUNS:-5} scripts/bench-offline.sh"
scripts/bench-offline.sh 2>&1 | grep -v '^generating'
section "Live capture" "ROUNDS=${ROUNDS:-2} scripts/bench-live.sh"
scripts/bench-live.sh 2>&1
section "Filter compile" "scripts/bench-compile.sh"
scripts/bench-compile.sh 2>&1
section "VM and compiler micro-benchmarks" "cargo bench --bench vm"
cargo bench --quiet --bench vm 2>/dev/null
