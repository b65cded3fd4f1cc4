# Shared helpers for scripts/bench-*.sh (sourced, not run).
#
# Timing: bash's $EPOCHREALTIME around each command (microseconds); peak RSS
# from GNU time (`/usr/bin/time -f %M`, installed with apt if missing).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RAWCAP="${RAWCAP:-$ROOT/target/release/rawcap}"

need_gnu_time() {
    if [ ! -x /usr/bin/time ]; then
        apt-get install -y time >/dev/null
    fi
}

# build_release [cargo args...]: the release binary and any examples named.
build_release() {
    (cd "$ROOT" && cargo build --release --quiet --bin rawcap "$@")
}

# now_us: microseconds since the epoch.
now_us() {
    local t=${EPOCHREALTIME/./}
    echo "$t"
}

# stats FILE [DECIMALS]: "median min max" of the numbers in FILE (one a
# line), in seconds with DECIMALS (default three) decimals (the numbers are
# microseconds).
stats() {
    sort -n "$1" | awk -v d="${2:-3}" '{v[NR]=$1} END {
        m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
        f = "%." d "f %." d "f %." d "f\n";
        printf f, m/1e6, v[1]/1e6, v[NR]/1e6 }'
}

# ratio A B: A / B with two decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f\n", a / b }'
}

# machine: one line naming the box and the tool versions.
machine() {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load $(cut -d' ' -f1-3 /proc/loadavg), $(tcpdump --version 2>&1 | head -1), $(tcpdump --version 2>&1 | sed -n 2p), rawcap $(git -C "$ROOT" rev-parse --short HEAD)"
}
