#!/usr/bin/env bash
# Compares rawcap's optimized program size with libpcap's (tcpdump -ddd) over
# a list of filter expressions: median and geometric mean of ours/libpcap's,
# the share where ours <= libpcap's, and the 20 worst. Expressions whose libpcap
# program jumps backwards (protochain: the kernel refuses it) are listed apart.
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
    # A `ja` (code 5) with k >= 2^31 jumps backwards: the kernel refuses such a
    # program (libpcap then filters in userland), so its size is no yardstick
    # for ours, which attaches (protochain, see docs/filter.md).
    attachable=yes
    awk 'NR > 1 && $1 == 5 && $4 >= 2147483648 { found = 1 } END { exit !found }' <<<"$prog" && attachable=no
    [ -n "$ours" ] && [ -n "$theirs" ] && printf '%s\t%s\t%s\t%s\n' "$ours" "$theirs" "$expr" "$attachable"
  done >"$tmp"

unattachable=$(awk -F'\t' '$4 == "no"' "$tmp" | wc -l)
if [ "$unattachable" -gt 0 ]; then
  echo "left out: $unattachable expressions whose libpcap program jumps backwards (the kernel refuses it):"
  awk -F'\t' '$4 == "no" { printf "  ours %5d  libpcap %5d (not attachable)  %s\n", $1, $2, $3 }' "$tmp" | sort -u | head -5
  [ "$unattachable" -gt 5 ] && echo "  ..."
fi

awk -F'\t' '
  $4 == "no" { next }
  { r = $1 / $2; n++; logsum += log(r); if ($1 <= $2) le++; ratios[n] = r;
    line[n] = sprintf("%.3f  %5d %5d  %s", r, $1, $2, $3) }
  END {
    if (n == 0) { print "compare-size: no expressions compiled by both"; exit 1 }
    # median by insertion sort (n is a few thousand at most)
    for (i = 2; i <= n; i++) { v = ratios[i]; j = i - 1
      while (j > 0 && ratios[j] > v) { ratios[j + 1] = ratios[j]; j-- } ratios[j + 1] = v }
    med = (n % 2) ? ratios[(n + 1) / 2] : (ratios[n / 2] + ratios[n / 2 + 1]) / 2
    printf "expressions: %d\nmedian ours/libpcap: %.3f\ngeometric mean: %.3f\nours <= libpcap: %.1f%%\n",
      n, med, exp(logsum / n), 100 * le / n
    print "worst 20 (ratio, ours, libpcap, expression):"
    for (i = 1; i <= n; i++) print line[i] | "sort -rn | head -20"
  }' "$tmp"
