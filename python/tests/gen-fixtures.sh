#!/usr/bin/env bash
# Regenerates python/tests/data/corpus.pcap and corpus-verdicts.txt (the Rust
# VM's verdicts the Python tests compare rawcap.Program.matches with) from
# tests/data/libpcap-programs.txt and the packet corpus (crates/corpus).
# Run it after either changes: python/tests/gen-fixtures.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
cargo run --quiet --release --manifest-path python/tests/gen/Cargo.toml -- \
  tests/data/libpcap-programs.txt python/tests/data
