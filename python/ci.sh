#!/usr/bin/env bash
# The Python package's CI step (.ci/run calls it after the Rust tests; run it
# alone the same way, as root): lints the binding crate, installs the package
# with `pip install ./python` into a fresh virtualenv (maturin builds the
# extension; no libpcap, no C compiler beyond Rust's linker), then runs its
# pytest suite with privileged tests required. RAWCAP_BIN (default
# the newer of target/release/rawcap and target/debug/rawcap) is the command
# line the text and JSON tests compare with.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-python3}"
venv=target/py-ci-venv

echo "==> python: cargo fmt/clippy of the binding crate (python/Cargo.toml)"
cargo fmt --manifest-path python/Cargo.toml -- --check
cargo fmt --manifest-path python/tests/gen/Cargo.toml -- --check
PYO3_PYTHON="$(command -v "$py")" cargo clippy --manifest-path python/Cargo.toml --all-targets -- -D warnings

echo "==> python: fresh virtualenv $venv, pip install ./python pytest (and scapy, dpkt for the interop tests)"
if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "==> python: installing python3-venv python3-pip (apt-get install)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
fi
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q ./python pytest scapy dpkt

echo "==> python: pytest python/tests (RAWCAP_REQUIRE_PRIVILEGED=1)"
# From outside the source tree, so the installed package is the one imported.
(cd python/tests && RAWCAP_REQUIRE_PRIVILEGED=1 "../../$venv/bin/python" -m pytest -q -p no:cacheprovider .)
if ip netns list | grep -q '^rcpy'; then
  echo "the Python tests left a namespace behind" >&2
  exit 1
fi
echo "==> python: OK"
