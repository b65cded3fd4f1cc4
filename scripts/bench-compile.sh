#!/usr/bin/env bash
# Filter compile time and program size: rawcap -d vs tcpdump -d.
#
# 1. The fixture corpus tests/data/filter-expressions.txt (expressions both
#    accept; markers and comments stripped): total time of compiling every
#    expression once with each tool (one process per expression), and the
#    instruction counts summed, plus how many expressions compile to more
#    instructions with rawcap than with libpcap.
# 2. ORs of N `tcp port P` for N in 100, 300, 1000, 3000 (env SIZES): wall
#    time of one `-d` run of each tool (best of RUNS, default 3; tcpdump is
#    run once at sizes over 300 and given TIMEOUT seconds, default 120),
#    and the instruction counts.
#
# Usage: scripts/bench-compile.sh   (env: RUNS, SIZES, TIMEOUT)

source "$(dirname "$0")/bench-lib.sh"

RUNS=${RUNS:-3}
SIZES=${SIZES:-"100 300 1000 3000"}
TIMEOUT=${TIMEOUT:-120}
LIST="$ROOT/tests/data/filter-expressions.txt"

build_release
TMP=$(mktemp -d /tmp/rawcap-bench-compile.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

echo "machine: $(machine)"

# time_d TOOL EXPR: "seconds insns" of one `TOOL -d EXPR`, or ">TIMEOUT -" on timeout.
time_d() {
    local tool=$1 expr=$2 t0 t1 n
    local rc=0
    t0=$(now_us)
    timeout "$TIMEOUT" "$tool" -d "$expr" >"$TMP/d.txt" 2>/dev/null || rc=$?
    t1=$(now_us)
    if [ "$rc" -eq 124 ]; then
        echo ">$TIMEOUT -"
        return
    fi
    n=$(grep -c '^(' "$TMP/d.txt" || true)
    awk -v us=$((t1 - t0)) -v n="$n" 'BEGIN { printf "%.3f %s\n", us / 1e6, n }'
}

# 1. The fixture corpus.
grep -v '^#' "$LIST" | grep -v '^[[:space:]]*$' | grep -v '@reject\|@linux' |
    sed 's/ @.*//' >"$TMP/exprs"
total=$(wc -l <"$TMP/exprs")
declare -A T N
for tool in rawcap tcpdump; do
    bin=$tool
    [ $tool = rawcap ] && bin=$RAWCAP
    t0=$(now_us)
    : >"$TMP/$tool.n"
    while IFS= read -r e; do
        n=$("$bin" -d "$e" 2>/dev/null | grep -c '^(' || true)
        echo "$n" >>"$TMP/$tool.n"
    done <"$TMP/exprs"
    t1=$(now_us)
    T[$tool]=$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", us / 1e6 }')
    N[$tool]=$(awk '{s += $1} END {print s}' "$TMP/$tool.n")
done
longer=$(paste "$TMP/rawcap.n" "$TMP/tcpdump.n" | awk '$1 > $2 && $2 > 0 {c++} END {print c + 0}')
shorter=$(paste "$TMP/rawcap.n" "$TMP/tcpdump.n" | awk '$1 < $2 && $1 > 0 {c++} END {print c + 0}')
failed=$(awk '$1 == 0 {c++} END {print c + 0}' "$TMP/rawcap.n")

echo
echo "Fixture corpus: $total expressions (one -d process each)"
echo
echo "| tool | total s | total insns | longer than libpcap | shorter | refused |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| rawcap -d | ${T[rawcap]} | ${N[rawcap]} | $longer | $shorter | $failed |"
echo "| tcpdump -d | ${T[tcpdump]} | ${N[tcpdump]} | | | $(awk '$1 == 0 {c++} END {print c + 0}' "$TMP/tcpdump.n") |"

# 2. ORed ports.
echo
echo "| N x \`tcp port P\` ORed | rawcap s | rawcap insns | tcpdump s | tcpdump insns | time ratio |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
    expr=$(for ((i = 0; i < n; i++)); do printf 'tcp port %d or ' $((1000 + i)); done)
    expr=${expr% or }
    best=""
    for ((r = 0; r < RUNS; r++)); do
        read -r s ni < <(time_d "$RAWCAP" "$expr")
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s
            rn=$ni
        fi
    done
    truns=1
    [ "$n" -le 300 ] && truns=$RUNS
    tbest=""
    for ((r = 0; r < truns; r++)); do
        read -r s ni < <(time_d tcpdump "$expr")
        if [ -z "$tbest" ] || [ "${s:0:1}" = ">" ] || awk -v a="$s" -v b="$tbest" 'BEGIN { exit !(a < b) }'; then
            tbest=$s
            tn=$ni
        fi
        [ "${s:0:1}" = ">" ] && break
    done
    if [ "${tbest:0:1}" = ">" ]; then
        rat=">$(ratio "${tbest#>}" "$best")x"
    else
        rat="$(ratio "$tbest" "$best")x"
    fi
    echo "| $n | $best | $rn | $tbest | $tn | $rat |"
done
