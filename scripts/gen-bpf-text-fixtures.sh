#!/usr/bin/env bash
# Regenerates the text-format oracle fixtures for src/bpf/text.rs and tests/cli_dump.rs.
#
# tests/data/bpf_text_all.ddd is a hand-written program (in -ddd form) that uses
# every opcode, signed and symbolic operands and unknown codes; this script feeds
# it through libpcap's own bpf_dump() (the function tcpdump -d/-dd/-ddd calls)
# and stores its output. tests/data/tcp_port_80.{d,dd,ddd}.txt come from tcpdump.
# Needs gcc and libpcap 1.10 (libpcap.so.1 or .so.0.8) plus tcpdump 4.99.
set -euo pipefail
cd "$(dirname "$0")/.."
data=tests/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lib=$(ls /usr/lib/*/libpcap.so.1* /usr/lib/*/libpcap.so.0.8 2>/dev/null | head -n1)
cat >"$tmp/dump.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
struct bpf_insn { unsigned short code; unsigned char jt, jf; unsigned int k; };
struct bpf_program { unsigned int bf_len; struct bpf_insn *bf_insns; };
void bpf_dump(const struct bpf_program *, int);
int main(int argc, char **argv) {
    unsigned n, i, code, jt, jf, k;
    if (argc != 2 || scanf("%u", &n) != 1) return 2;
    struct bpf_insn *insns = calloc(n, sizeof *insns);
    for (i = 0; i < n; i++) {
        if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4) return 2;
        insns[i].code = code; insns[i].jt = jt; insns[i].jf = jf; insns[i].k = k;
    }
    struct bpf_program p = { n, insns };
    bpf_dump(&p, atoi(argv[1]));
    return 0;
}
C
gcc -o "$tmp/dump" "$tmp/dump.c" "$lib"
for level in 1 2 3; do
    suffix=$(printf 'd%.0s' $(seq $level))
    "$tmp/dump" "$level" <"$data/bpf_text_all.ddd" >"$data/bpf_text_all.$suffix.txt"
    tcpdump -y EN10MB "-$suffix" 'tcp port 80' >"$data/tcp_port_80.$suffix.txt"
done
echo "generated with $(tcpdump --version 2>&1 | head -n2 | tr '\n' ' ')"
