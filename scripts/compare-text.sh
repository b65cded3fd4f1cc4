#!/usr/bin/env bash
# rawcap's text output against tcpdump's on any capture, per protocol.
#
#   scripts/compare-text.sh PCAP [TCPDUMP FLAGS...]
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
# tcpdump's.
#
# Env: RAWCAP (default: target/release/rawcap, else target/debug/rawcap,
# else rawcap on PATH), TCPDUMP (default tcpdump), SHOW, MARKDOWN=1 (the
# table as markdown), LABELS=FILE (per-packet protocol lists, one line per
# packet, instead of running tshark).
# Exit status: 0 when every packet is identical, 1 when some differ, 2 on
# a usage error or when a tool fails.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -r "$1" ]; then
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
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

TZ=UTC "$TCPDUMP" "$@" -r "$PCAP" >"$TMP/tcpdump.txt" 2>"$TMP/tcpdump.err" || {
    echo "tcpdump failed: $(head -3 "$TMP/tcpdump.err")" >&2
    exit 2
}
TZ=UTC "$RAWCAP" "$@" -r "$PCAP" >"$TMP/rawcap.txt" 2>"$TMP/rawcap.err" || {
    echo "rawcap failed: $(head -3 "$TMP/rawcap.err")" >&2
    exit 2
}
if [ -n "${LABELS:-}" ]; then
    cp "$LABELS" "$TMP/labels.txt"
elif command -v tshark >/dev/null 2>&1; then
    tshark -r "$PCAP" -T fields -e frame.protocols >"$TMP/labels.txt" 2>/dev/null || : >"$TMP/labels.txt"
else
    : >"$TMP/labels.txt"
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

raw_ours, raw_theirs = lines(tmp + "/rawcap.txt"), lines(tmp + "/tcpdump.txt")
start = None
if raw_theirs:
    for pat in STAMPS:
        if re.match(pat, raw_theirs[0]):
            # tcpdump prints no timestamp for a record it cannot read.
            start = re.compile(pat + r"|\[Invalid header")
            break
ours, theirs = packets(raw_ours, start), packets(raw_theirs, start)
labels = open(tmp + "/labels.txt", encoding="utf-8", errors="replace").read().split("\n")
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

if len(ours) != len(theirs):
    print(f"packet counts differ: rawcap {len(ours)}, tcpdump {len(theirs)} "
          "(the split assumes each packet's first line starts in column 1)")
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
