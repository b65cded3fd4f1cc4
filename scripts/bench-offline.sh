#!/usr/bin/env bash
# Offline throughput: rawcap vs tcpdump reading one big pcap file.
#
# Generates once (cached in bench-data/, git-ignored) a deterministic pcap of
# FRAMES (default 2,000,000) mixed Ethernet frames with
# examples/gen_bench_pcap.rs, and one tenth the size for the memory check. Then
# times, in alternation, RUNS rounds (default 5) of:
#   rawcap  -r F -w OUT 'tcp port 80'    vs  tcpdump -r F -w OUT 'tcp port 80'
#   (OUT removed before each run, outside the timing)
#   rawcap  -nr F 'tcp port 80' >/dev/null  vs  tcpdump's
#   cat F >/dev/null, examples/mmap_walk.rs (map the file, walk the
#   records, hard-coded tcp port 80 check, no output), and benches/floor.c
#   (the same walk in C with libpcap's exact semantics, writing the matches
#   with writev: the floor for -w, built here with cc -O2)
# and prints medians, min-max, peak RSS and the ratios as a markdown table.
# Checks that both tools select the same frames (the -w outputs are compared
# byte for byte, with each other and with the floor's, counted with
# `tcpdump --count`, and against mmap_walk's count)
# and compares the text outputs.
#
# Usage: scripts/bench-offline.sh   (env: RUNS, FRAMES)

source "$(dirname "$0")/bench-lib.sh"

RUNS=${RUNS:-5}
FRAMES=${FRAMES:-2000000}
EXPR='tcp port 80'
DATA="$ROOT/bench-data"
F="$DATA/mixed-v2-$FRAMES.pcap"
SMALL="$DATA/mixed-v2-$((FRAMES / 10)).pcap"
WALK="$ROOT/target/release/examples/mmap_walk"
FLOOR="$ROOT/target/release/floor"

need_gnu_time
build_release --example gen_bench_pcap --example mmap_walk
cc -O2 -o "$FLOOR" "$ROOT/benches/floor.c"
mkdir -p "$DATA"
for pair in "$F:$FRAMES" "$SMALL:$((FRAMES / 10))"; do
    file=${pair%%:*}
    if [ ! -s "$file" ]; then
        echo "generating $file ..." >&2
        "$ROOT/target/release/examples/gen_bench_pcap" "$file.tmp" "${pair##*:}"
        mv "$file.tmp" "$file"
    fi
done

TMP=$(mktemp -d /tmp/rawcap-bench-offline.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# Warm the page cache.
cat "$F" "$SMALL" >/dev/null

NAMES=(rawcap_w tcpdump_w floor_w rawcap_nr tcpdump_nr cat mmap_walk)
# cmd NAME FILE: runs one command under GNU time (peak RSS to $TMP/rss).
cmd() {
    local T=(/usr/bin/time -f '%M %U %S' -o "$TMP/rss")
    case $1 in
    rawcap_w) "${T[@]}" "$RAWCAP" -r "$2" -w "$TMP/rawcap.pcap" "$EXPR" ;;
    tcpdump_w) "${T[@]}" tcpdump -r "$2" -w "$TMP/tcpdump.pcap" "$EXPR" ;;
    floor_w) "${T[@]}" "$FLOOR" "$2" "$TMP/floor.pcap" >/dev/null ;;
    rawcap_nr) "${T[@]}" "$RAWCAP" -nr "$2" "$EXPR" >/dev/null ;;
    tcpdump_nr) "${T[@]}" tcpdump -nr "$2" "$EXPR" >/dev/null ;;
    cat) "${T[@]}" cat "$2" >/dev/null ;;
    mmap_walk) "${T[@]}" "$WALK" "$2" >/dev/null ;;
    esac
}
label() {
    case $1 in
    rawcap_w) echo "rawcap -r F -w OUT '$EXPR'" ;;
    tcpdump_w) echo "tcpdump -r F -w OUT '$EXPR'" ;;
    floor_w) echo "floor F OUT (benches/floor.c)" ;;
    rawcap_nr) echo "rawcap -nr F '$EXPR' >/dev/null" ;;
    tcpdump_nr) echo "tcpdump -nr F '$EXPR' >/dev/null" ;;
    cat) echo "cat F >/dev/null" ;;
    mmap_walk) echo "mmap_walk F (examples/mmap_walk.rs)" ;;
    esac
}

# run_one NAME FILE: appends the wall time (µs) to $TMP/NAME.t, the CPU time
# (user + sys, µs) to $TMP/NAME.cpu and the peak RSS (KiB) to $TMP/NAME.rss.
#
# The previous round's -w output is removed before the clock starts: O_TRUNC
# on a 108 MB file costs the filesystem 35-95 ms (freeing its pages and
# blocks) whoever truncates it, and the walk writes nothing. Both tools get a
# fresh OUT, as tcpdump's own figures in the issue (-w /dev/null) had none.
run_one() {
    local t0 t1
    case $1 in rawcap_w | tcpdump_w | floor_w) rm -f "$TMP/${1%_w}.pcap" ;; esac
    t0=$(now_us)
    cmd "$1" "$2" 2>/dev/null
    t1=$(now_us)
    echo $((t1 - t0)) >>"$TMP/$1.t"
    read -r rss user sys < <(tail -1 "$TMP/rss")
    echo "$rss" >>"$TMP/$1.rss"
    awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d\n", (u + s) * 1e6 }' >>"$TMP/$1.cpu"
}

echo "machine: $(machine)"
echo "file: $F ($(stat -L -c %s "$F") bytes, $FRAMES frames), $RUNS rounds in alternation"
for ((r = 1; r <= RUNS; r++)); do
    for n in "${NAMES[@]}"; do
        run_one "$n" "$F"
    done
done

declare -A MED CPU
echo
echo "| command | median wall s | min-max wall s | median CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for n in "${NAMES[@]}"; do
    read -r med lo hi < <(stats "$TMP/$n.t")
    MED[$n]=$med
    CPU[$n]=$(stats "$TMP/$n.cpu" | cut -d' ' -f1)
    rss=$(sort -n "$TMP/$n.rss" | tail -1)
    printf '| `%s` | %s | %s-%s | %s | %.1f |\n' "$(label "$n")" "$med" "$lo" "$hi" "${CPU[$n]}" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
done

# The same frames selected, and the same number of text lines.
hits=$("$WALK" "$F")
n_r=$(tcpdump --count -r "$TMP/rawcap.pcap" 2>/dev/null | awk '{print $1}')
n_t=$(tcpdump --count -r "$TMP/tcpdump.pcap" 2>/dev/null | awk '{print $1}')
same=no
cmp -s "$TMP/rawcap.pcap" "$TMP/tcpdump.pcap" && same=yes
floor_same=no
cmp -s "$TMP/floor.pcap" "$TMP/tcpdump.pcap" && floor_same=yes
"$RAWCAP" -nr "$F" "$EXPR" 2>/dev/null >"$TMP/rawcap.txt"
tcpdump -nr "$F" "$EXPR" 2>/dev/null >"$TMP/tcpdump.txt"
l_r=$(wc -l <"$TMP/rawcap.txt")
l_t=$(wc -l <"$TMP/tcpdump.txt")
text_same=no
cmp -s "$TMP/rawcap.txt" "$TMP/tcpdump.txt" && text_same=yes

# Peak RSS of rawcap -r on a file a tenth the size (memory independent of size).
/usr/bin/time -f '%M 0 0' -o "$TMP/rss.small" "$RAWCAP" -r "$SMALL" -w "$TMP/small.pcap" "$EXPR" 2>/dev/null
/usr/bin/time -f '%M 0 0' -o "$TMP/rss.small.nr" "$RAWCAP" -nr "$SMALL" "$EXPR" >/dev/null 2>/dev/null
# The same split into the heap and stacks (RssAnon) and mapped files
# (RssFile: the binary and the savefile's mapped window), the largest values
# seen when sampling /proc/PID/status while rawcap runs (the target sets
# mapped pages aside).
# anon_file OUT_VAR CMD...: runs CMD in the background, samples it.
anon_file() {
    local var=$1 pid a f ma=0 mf=0
    shift
    "$@" >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        read -r a f < <(awk '/^RssAnon/ {a=$2} /^RssFile/ {f=$2} END {print a+0, f+0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
        [ "${a:-0}" -gt "$ma" ] && ma=$a
        [ "${f:-0}" -gt "$mf" ] && mf=$f
    done
    wait "$pid" || true
    printf -v "$var" '%s KiB anon + %s KiB file' "$ma" "$mf"
}
anon_file split_small_w "$RAWCAP" -r "$SMALL" -w "$TMP/small.pcap" "$EXPR"
anon_file split_big_w "$RAWCAP" -r "$F" -w "$TMP/big.pcap" "$EXPR"
anon_file split_small_nr "$RAWCAP" -nr "$SMALL" "$EXPR"
anon_file split_big_nr "$RAWCAP" -nr "$F" "$EXPR"
rm -f "$TMP/big.pcap"
rss_big_w=$(sort -n "$TMP/rawcap_w.rss" | tail -1)
rss_big_nr=$(sort -n "$TMP/rawcap_nr.rss" | tail -1)

echo
echo "| check | value |"
echo "|---|---|"
echo "| frames selected: rawcap -w / tcpdump -w / mmap_walk | $n_r / $n_t / $hits |"
echo "| -w outputs byte-identical | $same |"
echo "| floor's output byte-identical to tcpdump's | $floor_same |"
echo "| -nr lines: rawcap / tcpdump | $l_r / $l_t |"
echo "| -nr text byte-identical | $text_same |"
echo "| rawcap peak RSS -w: $((FRAMES / 10)) vs $FRAMES frames | $(tail -1 "$TMP/rss.small" | cut -d' ' -f1) KiB vs $rss_big_w KiB |"
echo "| rawcap peak RSS -nr: $((FRAMES / 10)) vs $FRAMES frames | $(tail -1 "$TMP/rss.small.nr" | cut -d' ' -f1) KiB vs $rss_big_nr KiB |"
echo "| rawcap -w largest sampled RssAnon + RssFile: $((FRAMES / 10)) vs $FRAMES frames | $split_small_w vs $split_big_w |"
echo "| rawcap -nr largest sampled RssAnon + RssFile: $((FRAMES / 10)) vs $FRAMES frames | $split_small_nr vs $split_big_nr |"

echo
echo "| ratio (medians) | wall | CPU | target |"
echo "|---|---:|---:|---|"
echo "| -w throughput, rawcap / tcpdump | $(ratio "${MED[tcpdump_w]}" "${MED[rawcap_w]}")x | $(ratio "${CPU[tcpdump_w]}" "${CPU[rawcap_w]}")x | >= 3x |"
echo "| -w time, rawcap / C floor | $(ratio "${MED[rawcap_w]}" "${MED[floor_w]}")x | $(ratio "${CPU[rawcap_w]}" "${CPU[floor_w]}")x | <= 1.2x |"
echo "| -w time, rawcap / mmap_walk (no output) | $(ratio "${MED[rawcap_w]}" "${MED[mmap_walk]}")x | $(ratio "${CPU[rawcap_w]}" "${CPU[mmap_walk]}")x | |"
echo "| -nr throughput, rawcap / tcpdump | $(ratio "${MED[tcpdump_nr]}" "${MED[rawcap_nr]}")x | $(ratio "${CPU[tcpdump_nr]}" "${CPU[rawcap_nr]}")x | >= 5x |"
echo "| mmap_walk time / cat time | $(ratio "${MED[mmap_walk]}" "${MED[cat]}")x | $(ratio "${CPU[mmap_walk]}" "${CPU[cat]}")x | |"

status=0
[ "$n_r" = "$n_t" ] && [ "$n_r" = "$hits" ] || { echo "MISMATCH: frames selected differ" >&2; status=1; }
[ "$l_r" = "$l_t" ] || { echo "MISMATCH: -nr line counts differ" >&2; status=1; }
[ "$floor_same" = yes ] || { echo "MISMATCH: the C floor's output differs from tcpdump's" >&2; status=1; }
exit $status
