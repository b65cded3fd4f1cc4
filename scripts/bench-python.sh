#!/usr/bin/env bash
# The Python package's speed against scapy (sniff/rdpcap), dpkt and pcapy+dpkt
# (the seed program's stack) on the same file and the same traffic (issue 19).
#
# 1. A virtualenv (target/py-bench-venv; FRESH=1 rebuilds it) with
#    `pip install ./python`, scapy, dpkt and pcapy-ng (pcapy-ng is a libpcap
#    binding: its wheel uses the system's libpcap; when it cannot be
#    installed its rows say so).
# 2. Offline: python/bench/bench.py writes FILE_FRAMES frames (default
#    100,000; a quarter match `tcp port 80`) and times every reader over the
#    same file, best of ROUNDS (default 3; readers slower than 10 s per pass
#    run once): records per second from file to the matching packets.
# 3. Live: two namespaces created here (veth pair, 198.18.0.0/15, no
#    addresses on the receiving end, removed on every exit path by the trap);
#    trafgen sends FLOOD frames (default 1,000,000, half TCP port 80,
#    bounded) at full speed while ONE receiver at a time takes `tcp port 80`
#    in Python: `for p in rawcap.capture(...)`, scapy's sniff(prn=...),
#    pcapy's dispatch(). Figures: packets that reached Python, kernel drops, and
#    packets per second between the first and the last one. A receiver that
#    kept up (nothing dropped) is limited by the sender: its rate is then a
#    lower bound, and so is its ratio.
#
# Usage (root): scripts/bench-python.sh   env: FILE_FRAMES ROUNDS FLOOD FRESH
# Timings are only comparable within one run; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE_FRAMES=${FILE_FRAMES:-100000}
ROUNDS=${ROUNDS:-3}
FLOOD=${FLOOD:-1000000}
venv=target/py-bench-venv
py="$venv/bin/python"
bench=python/bench/bench.py

if [ "$(id -u)" != 0 ]; then
    echo "bench-python.sh: needs root (network namespaces, AF_PACKET)" >&2
    exit 1
fi
command -v trafgen >/dev/null || apt-get install -y netsniff-ng >/dev/null
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null  # scapy's offline filter

if [ "${FRESH:-0}" = 1 ] || [ ! -x "$py" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q scapy dpkt
    "$venv/bin/pip" install -q pcapy-ng || echo "pcapy-ng is not installable here: no pcapy rows"
fi
"$venv/bin/pip" install -q --force-reinstall --no-deps ./python

TAG="rcpyb$$"
NS_TX="${TAG}tx"
NS_RX="${TAG}rx"
TMP=$(mktemp -d /tmp/rawcap-bench-python.XXXXXX)
RX_PID=
cleanup() {
    [ -n "$RX_PID" ] && kill "$RX_PID" 2>/dev/null || true
    ip netns del "$NS_TX" 2>/dev/null || true
    ip netns del "$NS_RX" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

echo "machine: $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); python $("$py" -c 'import platform; print(platform.python_version())')"
echo "versions: $("$py" -c '
import importlib.metadata as m
out = []
for d in ("rawcap", "scapy", "dpkt", "pcapy-ng"):
    try:
        out.append(d + " " + m.version(d))
    except m.PackageNotFoundError:
        out.append(d + " (not installed)")
print(", ".join(out))')"
echo

# ------------------------------------------------------------ offline
"$py" "$bench" gen "$TMP/bench.pcap" "$FILE_FRAMES" >/dev/null
"$py" "$bench" offline "$TMP/bench.pcap" "$ROUNDS" 2>/dev/null
echo

# ------------------------------------------------------------ live
ip netns add "$NS_TX"
ip netns add "$NS_RX"
for ns in "$NS_TX" "$NS_RX"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$NS_TX" link add veth0 type veth peer name veth1 netns "$NS_RX"
ip -n "$NS_TX" link set veth0 address 02:00:00:00:00:01
ip -n "$NS_RX" link set veth1 address 02:00:00:00:00:02
ip -n "$NS_TX" link set veth0 up
ip -n "$NS_RX" link set veth1 up
# Frames to a MAC that is not veth1's: the receiving stack drops them as
# PACKET_OTHERHOST (promiscuous captures see them) and answers nothing.
cat >"$TMP/flood.cfg" <<'EOF'
{
  eth(da=02:00:00:00:00:99, sa=02:00:00:00:00:01),
  ipv4(saddr=198.18.0.1, daddr=198.18.0.2, ttl=64),
  tcp(sp=40000, dp=80, seq=1, ack),
  fill(0x41, 6)
}
{
  eth(da=02:00:00:00:00:99, sa=02:00:00:00:00:01),
  ipv4(saddr=198.18.0.1, daddr=198.18.0.2, ttl=64),
  udp(sp=40000, dp=5001),
  fill(0x42, 18)
}
EOF

echo "live: trafgen sends $FLOOD frames at full speed, $((FLOOD / 2)) match 'tcp port 80'; one receiver at a time"
echo
echo "| receiver | sent frames/s | reached Python | dropped by kernel | first-to-last s | packets/s in Python | rawcap / this |"
echo "|---|---:|---:|---:|---:|---:|---:|"
declare -A PPS
tools=(rawcap)
avail=$("$py" "$bench" available)
for t in scapy pcapy; do
    case " $avail " in *" $t "*) tools+=("$t") ;; esac
done
rows=()
for tool in "${tools[@]}"; do
    ip netns exec "$NS_RX" timeout 300 "$py" "$bench" live "$tool" veth1 20 >"$TMP/$tool.out" 2>"$TMP/$tool.err" &
    RX_PID=$!
    for _ in $(seq 200); do
        grep -q '^ready' "$TMP/$tool.out" 2>/dev/null && break
        sleep 0.05
    done
    sleep 0.5
    t0=$(date +%s%N)
    ip netns exec "$NS_TX" timeout 120 trafgen --no-sock-mem --notouch-irq --no-cpu-stats -P 1 \
        -o veth0 -i "$TMP/flood.cfg" -n "$FLOOD" >/dev/null 2>&1
    t1=$(date +%s%N)
    wait "$RX_PID" || true
    RX_PID=
    read -r _ n span drops < <(tail -1 "$TMP/$tool.out")
    rate=$(awk -v n="$FLOOD" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
    pps=$(awk -v n="$n" -v s="$span" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')
    PPS[$tool]=$pps
    # Everything arrived, nothing dropped: the sender set the pace, the
    # receiver could have gone faster (a lower bound).
    bound=""
    [ "$n" = "$((FLOOD / 2))" ] && [ "$drops" = 0 ] && bound=">= "
    rows+=("$tool|$rate|$n|$drops|$span|$bound$pps")
done
for r in "${rows[@]}"; do
    IFS='|' read -r tool rate n drops span pps <<<"$r"
    ratio=$(awk -v a="${PPS[rawcap]}" -v b="${pps#>= }" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
    # rawcap's rate a lower bound and the other's not: so is the ratio.
    case ${rows[0]} in *"|>= "*) [ "${pps#>= }" = "$pps" ] && ratio=">= $ratio" ;; esac
    case $tool in
        rawcap) name='for p in rawcap.capture(...)' ;;
        scapy) name="scapy sniff(prn=...)" ;;
        pcapy) name="pcapy dispatch() (libpcap)" ;;
    esac
    echo "| $name | $rate | $n | $drops | $span | $pps | $ratio |"
done
