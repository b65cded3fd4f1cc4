#!/usr/bin/env bash
# How long a packet takes to reach the output, with and without
# --immediate-mode, for rawcap and tcpdump: one ping every 200 ms between two
# test namespaces joined by a veth pair (198.18.0.0/15), the capture printing
# `-l -n -tt` lines; the latency of a packet is the time its line is read
# minus the time stamp in it. Prints median and maximum per tool and mode.
#
# Usage (as root): scripts/latency-immediate.sh [PINGS]   (default 25)
# RAWCAP=path/to/rawcap overrides target/release/rawcap (else target/debug).
set -euo pipefail
cd "$(dirname "$0")/.."
PINGS=${1:-25}
RAWCAP=${RAWCAP:-target/release/rawcap}
[ -x "$RAWCAP" ] || RAWCAP=target/debug/rawcap
A=lat$$a
B=lat$$b
cleanup() { ip netns del "$A" 2>/dev/null || true; ip netns del "$B" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$A"
ip netns add "$B"
ip -n "$A" link add va type veth peer name vb netns "$B"
ip -n "$A" addr add 198.18.77.1/24 dev va
ip -n "$B" addr add 198.18.77.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up

measure() { # TOOL FLAGS...
    ip netns exec "$A" python3 - "$PINGS" "$@" <<'EOF'
import subprocess, sys, threading, time, statistics
pings = int(sys.argv[1])
cmd = sys.argv[2:] + ["-l", "-n", "-tt", "-i", "va", "icmp"]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
while "listening on" not in p.stderr.readline():
    if p.poll() is not None:
        sys.exit("%s did not start" % cmd[0])
lat = []
def read():
    for line in p.stdout:
        if not line.strip():
            continue
        lat.append((time.time() - float(line.split()[0])) * 1000)
threading.Thread(target=read, daemon=True).start()
time.sleep(pings * 0.2 + 2)
p.terminate()
p.wait()
if not lat:
    sys.exit("%s: no lines" % " ".join(sys.argv[2:]))
print("%-45s %3d lines  median %7.1f ms  max %7.1f ms" % (
    " ".join(sys.argv[2:]), len(lat), statistics.median(lat), max(lat)))
EOF
}

for tool in "$RAWCAP" tcpdump; do
    for mode in "" "--immediate-mode"; do
        ip netns exec "$B" ping -q -c "$PINGS" -i 0.2 198.18.77.1 >/dev/null 2>&1 &
        ping_pid=$!
        # shellcheck disable=SC2086
        measure "$tool" $mode
        wait "$ping_pid" || true
    done
done
