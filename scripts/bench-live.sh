#!/usr/bin/env bash
# Live capture cost: rawcap vs tcpdump capturing `tcp port 80` to /dev/null
# while trafgen floods a veth pair.
#
# Test bed (DESIGN.md "Test beds"): two network namespaces created here with
# unique names, a veth pair with one end in each, 198.18.0.0/15 addresses,
# nothing in the root namespace; removed on every exit path (trap). The flood
# is bounded: FRAMES frames (default 4,000,000), alternately a TCP frame to
# port 80 and a UDP frame, so half of them match. trafgen (netsniff-ng,
# installed with apt when missing) runs with --no-sock-mem --notouch-irq so it leaves the system's
# socket memory and IRQ settings alone.
#
# For each placement (pinned: trafgen on CPU 0, captures on CPU 1 with
# taskset; unpinned: the scheduler decides), ROUNDS rounds (default 2) of:
# rawcap alone, tcpdump alone, both at the same time. For each capture:
# frames captured, kernel drops, CPU seconds (user+sys from getrusage), peak
# RSS (VmHWM just before SIGINT; the mapped ring counts as it is touched), frames per CPU second; then the ratios (medians).
#
# Then the start-up tax: IDLE rounds (default 10) of each tool started on
# the idle veth (no traffic) and stopped with SIGINT as soon as it says it
# is listening; CPU seconds (user+sys) of the whole process, medians and the
# ratio. Opening the ring (allocating and zeroing it in setsockopt) is most
# of the kernel's part.
#
# Usage: scripts/bench-live.sh   (env: FRAMES, ROUNDS, IDLE; RAWCAP_ARGS,
# extra rawcap flags such as "-B 8192" to try another ring; FLOOD=0 skips
# the flood; root required)

source "$(dirname "$0")/bench-lib.sh"

FRAMES=${FRAMES:-4000000}
ROUNDS=${ROUNDS:-2}
IDLE=${IDLE:-10}
FLOOD=${FLOOD:-1}
read -r -a EXTRA <<<"${RAWCAP_ARGS:-}"
EXPR='tcp port 80'
MATCHING=$((FRAMES / 2))

if [ "$(id -u)" != 0 ]; then
    echo "bench-live.sh: needs root (network namespaces, AF_PACKET)" >&2
    exit 1
fi
if ! command -v trafgen >/dev/null; then
    apt-get install -y netsniff-ng >/dev/null
fi
build_release

TAG="rcb$$"
NS_TX="${TAG}tx"
NS_RX="${TAG}rx"
TMP=$(mktemp -d /tmp/rawcap-bench-live.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do
        kill -INT "$p" 2>/dev/null || true
    done
    ip netns del "$NS_TX" 2>/dev/null || true
    ip netns del "$NS_RX" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$NS_TX"
ip netns add "$NS_RX"
ip -n "$NS_TX" link add veth0 type veth peer name veth1 netns "$NS_RX"
ip -n "$NS_TX" link set veth0 address 02:00:00:00:00:01
ip -n "$NS_RX" link set veth1 address 02:00:00:00:00:02
# No addresses and IPv6 off: the receiving stack answers nothing (no RSTs or
# ICMP errors back onto the wire), and the frames go to a MAC that is not
# veth1's, so the stack drops them as PACKET_OTHERHOST right away.
for ns in "$NS_TX" "$NS_RX"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done

ip netns exec "$NS_TX" sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1
ip netns exec "$NS_RX" sysctl -qw net.ipv6.conf.veth1.disable_ipv6=1
ip -n "$NS_TX" link set veth0 up
ip -n "$NS_RX" link set veth1 up

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

# rusage.py OUT CMD...: runs CMD, then writes "user_s sys_s maxrss_kib" of it
# to OUT with microsecond precision (GNU time rounds to 10 ms). The maxrss
# there includes the forked Python; stop_capture reads VmHWM instead.
# RUSAGE_CHILDREN is taken before the fork and subtracted: a `python3` that
# is a wrapper script (pyenv's shim) leaves its own children's CPU (~65 ms
# here) in the counter that exec hands on, which would be charged to the tool.
cat >"$TMP/rusage.py" <<'EOF'
import os, resource, sys
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
os.waitpid(pid, 0)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("%.6f %.6f %d\n" % (r.ru_utime - r0.ru_utime, r.ru_stime - r0.ru_stime, r.ru_maxrss))
EOF

# start_capture NAME CPUSET: starts one capture in the receiving namespace
# under GNU time; sets CAP_PID (the capture itself) and TIME_PID.
start_capture() {
    local name=$1 cpus=$2 bin=$RAWCAP pin=() extra=("${EXTRA[@]}")
    [ "$name" = tcpdump ] && bin=tcpdump extra=()
    [ -n "$cpus" ] && pin=(taskset -c "$cpus")
    ip netns exec "$NS_RX" "${pin[@]}" python3 "$TMP/rusage.py" "$TMP/$name.time" \
        "$bin" "${extra[@]}" -i veth1 -w /dev/null "$EXPR" 2>"$TMP/$name.err" &
    TIME_PID=$!
    PIDS+=("$TIME_PID")
    for _ in $(seq 1000); do
        CAP_PID=$(cat "/proc/$TIME_PID/task/$TIME_PID/children" 2>/dev/null | awk '{print $1}')
        if [ -n "$CAP_PID" ] && grep -q listening "$TMP/$name.err" 2>/dev/null; then
            PIDS+=("$CAP_PID")
            eval "CAP_$name=$CAP_PID; TIME_$name=$TIME_PID"
            return 0
        fi
        sleep 0.005
    done
    echo "bench-live.sh: $name did not start: $(cat "$TMP/$name.err")" >&2
    exit 1
}

# stop_capture NAME: SIGINT, wait, and set CAPTURED DROPPED CPU RSS.
stop_capture() {
    local name=$1 cap tpid
    eval "cap=\$CAP_$name; tpid=\$TIME_$name"
    RSS=$(awk '/^VmHWM/ {print $2}' "/proc/$cap/status")
    kill -INT "$cap"
    wait "$tpid" || true
    local captured dropped
    captured=$(awk '/packets? captured/ {print $1}' "$TMP/$name.err")
    dropped=$(awk '/dropped by kernel/ {print $1}' "$TMP/$name.err")
    read -r u s _ < <(tail -1 "$TMP/$name.time")
    CAPTURED=${captured:-?}
    DROPPED=${dropped:-?}
    CPU=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.3f", u + s}')
}

# rx_packets: frames received so far on the capturing end of the veth pair.
rx_packets() {
    ip -n "$NS_RX" -s -j link show veth1 | sed 's/.*"rx":{[^}]*"packets":\([0-9]*\).*/\1/'
}

# flood CPUSET: sends FRAMES frames from the sending namespace; sets RATE
# (Mpps) and WIRE (frames that arrived on veth1).
flood() {
    local pin=() t0 t1 rx0
    [ -n "$1" ] && pin=(taskset -c "$1")
    rx0=$(rx_packets)
    t0=$(now_us)
    ip netns exec "$NS_TX" "${pin[@]}" timeout 120 trafgen --no-sock-mem --notouch-irq --no-cpu-stats -P 1 -o veth0 \
        -i "$TMP/flood.cfg" -n "$FRAMES" >/dev/null 2>&1
    t1=$(now_us)
    RATE=$(awk -v n="$FRAMES" -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", n / us }')
    WIRE=$(($(rx_packets) - rx0))
}

echo "machine: $(machine)"
[ ${#EXTRA[@]} -gt 0 ] && echo "rawcap flags: ${EXTRA[*]}"
if [ "$FLOOD" = 0 ]; then
    ROUNDS=0
else
    echo "flood: $FRAMES frames (trafgen, one process), $MATCHING match '$EXPR'; $ROUNDS rounds"
fi
if [ "$FLOOD" != 0 ]; then
echo
echo "| placement | run | tool | Mpps sent | frames on veth | captured | dropped | CPU s | peak RSS MiB | frames/CPU-s |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for placement in pinned unpinned; do
    cap_cpu="" tx_cpu=""
    if [ $placement = pinned ]; then
        cap_cpu=1
        tx_cpu=0
    fi
    for ((r = 1; r <= ROUNDS; r++)); do
        for run in rawcap tcpdump both; do
            tools=$run
            [ $run = both ] && tools="rawcap tcpdump"
            for t in $tools; do
                start_capture "$t" "$cap_cpu"
            done
            sleep 0.2
            flood "$tx_cpu"
            sleep 0.5
            for t in $tools; do
                stop_capture "$t"
                cap=$CAPTURED drop=$DROPPED cpu=$CPU rss=$RSS
                fpc=$(awk -v c="$cap" -v s="$cpu" 'BEGIN { if (s > 0) printf "%.0f", c / s; else print "-" }')
                printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |\n' \
                    "$placement" "$run" "$t" "$RATE" "$WIRE" "$cap" "$drop" "$cpu" \
                    "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$fpc"
                echo "$placement $run $t $cap $drop $cpu $rss" >>"$TMP/results"
            done
            PIDS=()
        done
    done
done

echo
echo "| placement | run | rawcap CPU s / tcpdump CPU s (median) | rawcap drops (max) | tcpdump drops (max) | all $MATCHING captured by rawcap |"
echo "|---|---|---:|---:|---:|---|"
for placement in pinned unpinned; do
    for run in alone both; do
        sel=$run
        sel_r=rawcap sel_t=tcpdump
        [ $run = both ] && sel_r=both sel_t=both
        awk -v p=$placement -v r=$sel_r '$1 == p && $2 == r && $3 == "rawcap" {print $6 * 1e6}' "$TMP/results" >"$TMP/rc"
        awk -v p=$placement -v r=$sel_t '$1 == p && $2 == r && $3 == "tcpdump" {print $6 * 1e6}' "$TMP/results" >"$TMP/tc"
        rc=$(stats "$TMP/rc" 6 | cut -d' ' -f1)
        tc=$(stats "$TMP/tc" 6 | cut -d' ' -f1)
        rd=$(awk -v p=$placement -v r=$sel_r '$1 == p && $2 == r && $3 == "rawcap" && $5 > m {m = $5} END {print m + 0}' "$TMP/results")
        td=$(awk -v p=$placement -v r=$sel_t '$1 == p && $2 == r && $3 == "tcpdump" && $5 > m {m = $5} END {print m + 0}' "$TMP/results")
        all=$(awk -v p=$placement -v r=$sel_r -v n=$MATCHING '$1 == p && $2 == r && $3 == "rawcap" && $4 != n {bad = 1} END {print bad ? "no" : "yes"}' "$TMP/results")
        echo "| $placement | $sel | $(ratio "$rc" "$tc")x | $rd | $td | $all |"
    done
done
fi

if [ "$IDLE" -gt 0 ]; then
# The start-up tax: start on the idle link, stop as soon as listening.
echo
echo "Idle start/stop, $IDLE rounds in alternation (CPU s of the whole process, user+sys):"
echo
for ((r = 1; r <= IDLE; r++)); do
    for t in rawcap tcpdump; do
        start_capture "$t" ""
        stop_capture "$t"
        read -r u s _ < <(tail -1 "$TMP/$t.time")
        awk -v u="$u" -v s="$s" 'BEGIN { printf "%d\n", (u + s) * 1e6 }' >>"$TMP/idle.$t"
        awk -v s="$s" 'BEGIN { printf "%d\n", s * 1e6 }' >>"$TMP/idle-sys.$t"
        PIDS=()
    done
done
echo "| tool | median CPU s | min-max CPU s | median sys s |"
echo "|---|---:|---:|---:|"
for t in rawcap tcpdump; do
    read -r med lo hi < <(stats "$TMP/idle.$t" 4)
    echo "| $t | $med | $lo-$hi | $(stats "$TMP/idle-sys.$t" 4 | cut -d' ' -f1) |"
done
echo
echo "| ratio (medians) | value | target |"
echo "|---|---:|---|"
echo "| idle start/stop CPU, rawcap / tcpdump | $(ratio "$(stats "$TMP/idle.rawcap" 6 | cut -d' ' -f1)" "$(stats "$TMP/idle.tcpdump" 6 | cut -d' ' -f1)")x | <= 1x |"
fi
