#!/usr/bin/env bash
# rawcap's text output against tcpdump's on any capture, per protocol.
#
#   scripts/compare-text.sh PCAP [TCPDUMP FLAGS...]
#   scripts/compare-text.sh DIR [TCPDUMP FLAGS...]   # every DIR/*.pcap, labelled by file
#   scripts/compare-text.sh trace.pcap -nv
#   RAWCAP=target/release/rawcap SHOW=3 scripts/compare-text.sh trace.pcap -n -e
#
# Runs `tcpdump FLAGS -r PCAP` and `rawcap FLAGS -r PCAP` (TZ=UTC for both),
# splits each output into packets (a packet is its line plus the indented
# lines after it: `-v` continuations and hex dumps), and compares them in
# order. Each packet is counted under every protocol tshark finds in it
# (`frame.protocols`, e.g. eth:vlan:ip:tcp; without tshark everything is
# "all"), so a table row says: of the packets that contain this protocol,
# how many print identically. For each protocol with a difference, the
# first SHOW (default 1) differing packets are printed, rawcap's then
# tcpdump's. Given a directory, each packet of DIR/NAME.pcap is counted
# under NAME instead (the decode corpus: tests/data/decode).
#
# Env: RAWCAP (default: target/release/rawcap, else target/debug/rawcap,
# else rawcap on PATH), TCPDUMP (default tcpdump), SHOW, MARKDOWN=1 (the
# table as markdown), LABELS=FILE (per-packet protocol lists, one line per
# packet, instead of running tshark).
# Exit status: 0 when every packet is identical, 1 when some differ, 2 on
# a usage error or when a tool fails.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -r "$1" ]; then
    sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
PCAP=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${RAWCAP:-}" ]; then
    for c in "$ROOT/target/release/rawcap" "$ROOT/target/debug/rawcap"; do
        if [ -x "$c" ]; then RAWCAP=$c; break; fi
    done
    RAWCAP=${RAWCAP:-rawcap}
fi
TCPDUMP=${TCPDUMP:-tcpdump}

TMP=$(mktemp -d /tmp/rawcap-compare.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# run N PCAP LABEL: both tools' text and the per-packet labels into $TMP/N.*
run() {
    local n=$1 pcap=$2 label=$3
    TZ=UTC "$TCPDUMP" "${FLAGS[@]}" -r "$pcap" >"$TMP/$n.tcpdump" 2>"$TMP/tcpdump.err" || {
        echo "tcpdump failed on $pcap: $(head -3 "$TMP/tcpdump.err")" >&2
        exit 2
    }
    TZ=UTC "$RAWCAP" "${FLAGS[@]}" -r "$pcap" >"$TMP/$n.rawcap" 2>"$TMP/rawcap.err" || {
        echo "rawcap failed on $pcap: $(head -3 "$TMP/rawcap.err")" >&2
        exit 2
    }
    if [ -n "$label" ]; then
        echo "$label" >"$TMP/$n.label"
    elif [ -n "${LABELS:-}" ]; then
        cp "$LABELS" "$TMP/$n.labels"
    elif command -v tshark >/dev/null 2>&1; then
        tshark -r "$pcap" -T fields -e frame.protocols >"$TMP/$n.labels" 2>/dev/null || : >"$TMP/$n.labels"
    else
        : >"$TMP/$n.labels"
    fi
}
FLAGS=("$@")
if [ -d "$PCAP" ]; then
    n=0
    for f in "$PCAP"/*.pcap; do
        run $n "$f" "$(basename "$f" .pcap)"
        n=$((n + 1))
    done
else
    run 0 "$PCAP" ""
fi

python3 - "$TMP" "${SHOW:-1}" "${MARKDOWN:-0}" "$*" <<'EOF'
import re
import sys

tmp, show, markdown, flags = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]

# A packet starts with a timestamp in one of tcpdump's -t formats; without
# timestamps (-t), with any line that does not start with white space.
STAMPS = [r"\d\d:\d\d:\d\d\.\d{6,9} ", r"\d+\.\d{6,9} ", r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ",
          r"[ -]\d\d:\d\d:\d\d\.\d{6,9} "]

def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return text[:-1].split("\n") if text.endswith("\n") else (text.split("\n") if text else [])

def packets(ls, start):
    out = []
    for line in ls:
        new = start.match(line) if start else (line[:1] not in ("", " ", "\t"))
        if new or not out:
            out.append(line)
        else:
            out[-1] += "\n" + line
    return out

import os
ours, theirs, labels = [], [], []
n = 0
while os.path.exists(f"{tmp}/{n}.tcpdump"):
    raw_ours, raw_theirs = lines(f"{tmp}/{n}.rawcap"), lines(f"{tmp}/{n}.tcpdump")
    start = None
    if raw_theirs:
        for pat in STAMPS:
            if re.match(pat, raw_theirs[0]):
                # tcpdump prints no timestamp for a record it cannot read.
                start = re.compile(pat + r"|\[Invalid header")
                break
    o, t = packets(raw_ours, start), packets(raw_theirs, start)
    m = max(len(o), len(t))
    if len(o) != len(t):
        print(f"file {n}: packet counts differ: rawcap {len(o)}, tcpdump {len(t)} "
              "(the split assumes each packet's first line starts with a timestamp)")
    o += ["(missing)"] * (m - len(o))
    t += ["(missing)"] * (m - len(t))
    if os.path.exists(f"{tmp}/{n}.label"):
        lab = [open(f"{tmp}/{n}.label").read().strip()] * m
    else:
        lab = lines(f"{tmp}/{n}.labels")
        lab += [""] * (m - len(lab))
    ours += o
    theirs += t
    labels += lab[:m]
    n += 1
# tshark's names that say nothing about the printers.
skip = {"ethertype", "data", "frame", ""}
n = max(len(ours), len(theirs))
rows = {}  # protocol -> [compared, identical, examples]
order = []
for i in range(n):
    o = ours[i] if i < len(ours) else "(missing)"
    t = theirs[i] if i < len(theirs) else "(missing)"
    protos = ["all"]
    if i < len(labels) and labels[i]:
        for p in labels[i].split(":"):
            if p not in skip and p not in protos:
                protos.append(p)
    for p in protos:
        if p not in rows:
            rows[p] = [0, 0, []]
            order.append(p)
        r = rows[p]
        r[0] += 1
        if o == t:
            r[1] += 1
        elif len(r[2]) < show:
            r[2].append((i + 1, o, t))

title = f"flags: {flags or '(none)'}"
if markdown:
    print(f"| protocol ({title}) | packets | identical | % |")
    print("|---|---:|---:|---:|")
else:
    print(f"{title}\n{'protocol':<16} {'packets':>8} {'identical':>10} {'%':>7}")
for p in order:
    c, s, _ = rows[p]
    pct = 100.0 * s / c if c else 100.0
    if markdown:
        print(f"| {p} | {c} | {s} | {pct:.1f} |")
    else:
        print(f"{p:<16} {c:>8} {s:>10} {pct:>6.1f}%")
for p in order:
    for (i, o, t) in rows[p][2]:
        if p == "all" and len(order) > 1:
            continue
        print(f"\n{p}: packet {i} differs\n  rawcap:  " + o.replace("\n", "\n           ")
              + "\n  tcpdump: " + t.replace("\n", "\n           "))
sys.exit(0 if rows.get("all", [0, 0])[0] == rows.get("all", [0, 0])[1] else 1)
EOF
