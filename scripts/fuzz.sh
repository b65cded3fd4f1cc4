#!/usr/bin/env bash
# Runs the cargo-fuzz targets under fuzz/ one after another, SECONDS each
# (default 30), and prints each target's executions and crashes.
#
#   scripts/fuzz.sh            # every target, 30 s each
#   scripts/fuzz.sh 600 vm     # the vm target for 10 minutes
#
# libFuzzer needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. The address sanitizer is off (-s none): the code
# under test is safe Rust, and without it a run makes about twice the
# executions. The committed seeds (fuzz/corpus/<target>/) and crash
# reproducers (fuzz/regressions/<target>/) are read, never written: new
# inputs go to fuzz/target/corpus/<target>/, crashes to fuzz/artifacts/<target>/.
# Exit status 1 when any target crashed, 2 when cargo-fuzz cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-30}
shift || true
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  if ! cargo install cargo-fuzz --locked; then
    echo "cargo-fuzz could not be installed; tests/fuzz_corpus.rs still replays the seeds" >&2
    exit 2
  fi
fi
export RUSTC_BOOTSTRAP=1
flags=(-s none)

(cd fuzz && cargo fuzz build "${flags[@]}")

mkdir -p fuzz/target/logs
summary=()
crashed=0
for t in "${targets[@]}"; do
  work=fuzz/target/corpus/$t
  mkdir -p "$work" "fuzz/artifacts/$t"
  dirs=("$work" "fuzz/corpus/$t")
  [ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  log=fuzz/target/logs/$t.log
  echo "== $t: ${secs}s (log: $log)"
  status=0
  (cd fuzz && cargo fuzz run "${flags[@]}" "$t" "${dirs[@]/#fuzz\//}" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) \
    >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  found=$(($(find "fuzz/artifacts/$t" -type f | wc -l) - before))
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    crashed=1
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -5 || true
  fi
  line="$t: ${execs:-?} executions in ${secs}s, $found crash(es), exit $status"
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$crashed"
