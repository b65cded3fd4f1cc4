"""Program.matches equals the Rust VM (bpf::vm::run) on the packet corpus.

python/tests/data/corpus.pcap is the corpus (crates/corpus); corpus-verdicts.txt
holds, per EN10MB fixture expression, a hash of the verdicts the Rust
reference interpreter returned on every frame for rawcap's program and for
libpcap's optimized and unoptimized programs (python/tests/gen-fixtures.sh).
Here the frames come back through rawcap.read and every verdict through
Program.matches (the bpf::Machine engines), for the same programs.
"""

import os

import pytest

import rawcap
from conftest import DATA, fixtures_en10mb

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = (1 << 64) - 1


def fold(verdicts):
    h = FNV_OFFSET
    for v in verdicts:
        h = ((h ^ v) * FNV_PRIME) & MASK
    return h


@pytest.fixture(scope="module")
def corpus():
    """(bytes, length on the wire) of every corpus frame."""
    return [(p.data, p.length) for p in rawcap.read(os.path.join(DATA, "corpus.pcap"))]


def expected():
    table = {}
    with open(os.path.join(DATA, "corpus-verdicts.txt")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            expr, *cols = line.rstrip("\n").split("\t")
            table[expr] = [None if c == "refused" else (int(c.split()[0], 16), int(c.split()[1]))
                           for c in cols]
    return table


def run(prog, frames):
    verdicts = [prog.matches(data, length) for data, length in frames]
    return fold(verdicts), sum(1 for v in verdicts if v)


def test_corpus_is_the_one_the_verdicts_were_taken_on(corpus):
    with open(os.path.join(DATA, "corpus-verdicts.txt")) as f:
        f.readline()
        assert f"# {len(corpus)} frames in corpus.pcap" in f.readline()
    assert len(corpus) >= 3000


def test_matches_equals_the_rust_vm_on_the_corpus(corpus):
    table = expected()
    fixtures = fixtures_en10mb()
    assert len(table) == len(fixtures)
    mismatches = []
    checked = 0
    for f in fixtures:
        ours, opt, unopt = table[f["expr"]]
        programs = [(rawcap.Program.from_ddd(f["unoptimized"]), unopt, "libpcap -O")]
        if f["optimized"] is not None:
            programs.append((rawcap.Program.from_ddd(f["optimized"]), opt, "libpcap"))
        if ours is not None:
            prog = rawcap.compile(f["expr"], netmask=0, linux_ext=f["linux"], resolve=False)
            programs.append((prog, ours, "rawcap"))
        for prog, want, who in programs:
            checked += 1
            got = run(prog, corpus)
            if got != want:
                mismatches.append(f"{f['expr']} ({who}): accepted {got[1]}, the Rust VM {want[1]}")
    print(f"{checked} programs x {len(corpus)} frames")
    assert mismatches == []


def test_matches_returns_the_snapshot_length_and_reads_packets_and_buffers(corpus):
    p = rawcap.compile("tcp port 80", snaplen=200)
    web = [data for data, length in corpus if length == len(data) and p.matches(data)]
    assert web and len(web) < len(corpus)
    assert {p.matches(f) for f in web} == {200}
    f = web[0]
    assert p.matches(bytearray(f)) == 200
    assert p.matches(memoryview(f)) == 200
    assert p.matches(rawcap.Packet(f)) == 200
    assert p.matches(f[:20]) == 0  # cut before the ports: a load past the end drops it
    # `len` reads the wire length: `greater 1000` on a 60-byte capture of a 1500-byte frame.
    big = rawcap.compile("greater 1000")
    assert big.matches(f[:60]) == 0
    assert big.matches(f[:60], length=1500) == rawcap.SNAPLEN
