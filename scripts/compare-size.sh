#!/usr/bin/env bash
# Compares rawcap's optimized program size with libpcap's (tcpdump -ddd) over
# a list of filter expressions: median and geometric mean of ours/libpcap's,
# the share where ours <= libpcap's, and the 20 worst.
#
# `rawcap -ddd` (no -i) prints the userspace-target program, libpcap's own form
# for protochain (a loop that jumps backwards, which tcpdump -ddd prints too).
# The kernel refuses those loops, so what rawcap attaches to a socket
# (`rawcap -i IFACE -ddd`, the kernel target) unrolls them; those expressions
# are listed apart with both sizes, and the statistics are printed a second
# time with the kernel target's sizes.
#
# Usage: scripts/compare-size.sh [EXPRESSIONS_FILE] [LINKTYPE]
#   EXPRESSIONS_FILE: one expression per line, '#' comments and '@markers'
#   ignored (default tests/data/filter-expressions.txt); LINKTYPE default EN10MB.
# Needs tcpdump on PATH and a built rawcap (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-tests/data/filter-expressions.txt}
link=${2:-EN10MB}
rawcap=${RAWCAP:-target/release/rawcap}
[ -x "$rawcap" ] || cargo build --release --quiet
command -v tcpdump >/dev/null || { echo "compare-size: tcpdump not found" >&2; exit 1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
grep -v '^[[:space:]]*#' "$file" | grep -v '@reject' | sed 's/[[:space:]]@[a-z]*//g' |
  grep -v '^[[:space:]]*$' | grep -v '@linux' | while IFS= read -r expr; do
    ours=$("$rawcap" -y "$link" -ddd -- "$expr" 2>/dev/null | head -1) || continue
    prog=$(tcpdump -y "$link" -ddd -- "$expr" 2>/dev/null) || continue
    theirs=$(head -1 <<<"$prog")
    # A `ja` (code 5) with k >= 2^31 jumps backwards: the kernel refuses it.
    kernel=$ours
    if awk 'NR > 1 && $1 == 5 && $4 >= 2147483648 { found = 1 } END { exit !found }' <<<"$prog"; then
      kernel=$("$rawcap" -i lo -y "$link" -ddd -- "$expr" 2>/dev/null | head -1) || continue
    fi
    [ -n "$ours" ] && [ -n "$theirs" ] && printf '%s\t%s\t%s\t%s\n' "$ours" "$theirs" "$expr" "$kernel"
  done >"$tmp"

looped=$(awk -F'\t' '$1 != $4' "$tmp" | wc -l)
if [ "$looped" -gt 0 ]; then
  echo "$looped expressions whose libpcap program loops (protochain); rawcap's kernel target unrolls them:"
  awk -F'\t' '$1 != $4 { printf "  userspace %4d  libpcap %4d  kernel target %4d  %s\n", $1, $2, $4, $3 }' "$tmp" | sort -u | head -5
  [ "$looped" -gt 5 ] && echo "  ..."
fi

# stats COLUMN TITLE: the statistics with our size from COLUMN (1 or 4).
stats() {
  awk -F'\t' -v col="$1" -v title="$2" '
  { ours = $col; r = ours / $2; n++; logsum += log(r); if (ours <= $2) le++; ratios[n] = r
    line[n] = sprintf("%.3f  %5d %5d  %s", r, ours, $2, $3) }
  END {
    if (n == 0) { print "compare-size: no expressions compiled by both"; exit 1 }
    # median by insertion sort (n is a few thousand at most)
    for (i = 2; i <= n; i++) { v = ratios[i]; j = i - 1
      while (j > 0 && ratios[j] > v) { ratios[j + 1] = ratios[j]; j-- } ratios[j + 1] = v }
    med = (n % 2) ? ratios[(n + 1) / 2] : (ratios[n / 2] + ratios[n / 2 + 1]) / 2
    printf "== %s\nexpressions: %d\nmedian ours/libpcap: %.3f\ngeometric mean: %.3f\nours <= libpcap: %.1f%%\n",
      title, n, med, exp(logsum / n), 100 * le / n
    if (col == 1) {
      print "worst 20 (ratio, ours, libpcap, expression):"
      for (i = 1; i <= n; i++) print line[i] | "sort -rn | head -20"
    }
  }' "$tmp"
}
stats 1 "rawcap -ddd (userspace target, as tcpdump -ddd) vs libpcap"
stats 4 "kernel target (rawcap -i IFACE -ddd: what rawcap attaches) vs libpcap"
