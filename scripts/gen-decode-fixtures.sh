#!/usr/bin/env bash
# Regenerates the decode corpus and tcpdump's text for it, the fixtures
# tests/output_corpus.rs compares rawcap's text with:
#
#   tests/data/decode/NAME.pcap        frames (scripts/decode_corpus.py and, for
#                                      the application protocols,
#                                      scripts/app_corpus.py, scapy; real-*.pcap:
#                                      traffic captured in test namespaces by
#                                      scripts/decode_capture.sh and
#                                      scripts/app_capture.sh)
#   tests/data/decode/NAME.FLAGS.txt   `TZ=UTC tcpdump -FLAGS -r NAME.pcap` for
#                                      FLAGS in n, nv, nvv, ne (and nS for tcp)
#   tests/data/decode/VERSIONS         tcpdump's and scapy's versions
#
#   scripts/gen-decode-fixtures.sh            # everything but the captures
#   scripts/gen-decode-fixtures.sh --capture  # also recapture real-*.pcap (root)
#   scripts/gen-decode-fixtures.sh arp tcp    # only these synthetic files
#
# scapy comes from PyPI into a venv (default /tmp/rawcap-scapy-venv, VENV=...).
# The expected text is whatever the installed tcpdump prints: the fixtures
# were made with the version recorded in VERSIONS (4.99.3 on Debian 12).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/tests/data/decode
VENV=${VENV:-/tmp/rawcap-scapy-venv}
SCAPY_VERSION=2.8.0

capture=0
names=()
for a in "$@"; do
    case $a in
    --capture) capture=1 ;;
    *) names+=("$a") ;;
    esac
done

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import scapy" 2>/dev/null; then
    "$VENV/bin/pip" install -q "scapy==$SCAPY_VERSION"
fi
mkdir -p "$OUT"
"$VENV/bin/python" "$ROOT/scripts/decode_corpus.py" "$OUT" "${names[@]}"
# The application protocols (issue 16): dns, mdns, dhcp, ...
"$VENV/bin/python" "$ROOT/scripts/app_corpus.py" "$OUT" "${names[@]}"
if [ $capture = 1 ]; then
    if [ -x "$ROOT/scripts/decode_capture.sh" ]; then
        "$ROOT/scripts/decode_capture.sh" "$OUT"
    fi
    "$ROOT/scripts/app_capture.sh" "$OUT" >/dev/null
fi

for pcap in "$OUT"/*.pcap; do
    name=$(basename "$pcap" .pcap)
    if [ ${#names[@]} -gt 0 ] && [[ ! " ${names[*]} " == *" $name "* ]] && [ $capture = 0 ]; then
        continue
    fi
    for flags in n nv nvv ne; do
        TZ=UTC tcpdump "-$flags" -r "$pcap" >"$OUT/$name.$flags.txt" 2>/dev/null
    done
    # -S (absolute sequence numbers): the library's TextOptions::absolute_seq.
    if [ "$name" = tcp ]; then
        TZ=UTC tcpdump -nS -r "$pcap" >"$OUT/$name.nS.txt" 2>/dev/null
    fi
done
{
    tcpdump --version 2>&1 | head -2
    echo "scapy $("$VENV/bin/python" -c 'import scapy; print(scapy.__version__)')"
} >"$OUT/VERSIONS"
echo "fixtures in $OUT:"
ls "$OUT" | sed -n 's/\.pcap$//p' | tr '\n' ' '
echo
