#!/usr/bin/env python3
"""Seeds for the fuzz `decode` target from the decode corpus: a few frames
of every tests/data/decode/*.pcap, each with display flags that reach its
printer's detail (-v, -vv, -e, -x), in the layout fuzz/src/checks.rs's
decode_input writes: link type index (into DECODE_LINKTYPES), two flag
bytes, a byte added to the wire length, the frame.

    decode_fuzz_seeds.py [CORPUS_DIR [SEED_DIR]]
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests/data/decode")
seeds = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "fuzz/corpus/decode")
# DECODE_LINKTYPES in fuzz/src/checks.rs, by pcap link type number.
INDEX = {1: 0, 101: 1, 113: 2, 0: 3, 108: 4, 276: 5, 228: 6, 229: 7}
# (flags a, flags b): -nv, -nevv, -nx, -n -vv -e -X, -q.
FLAGS = [(0x01, 0x01), (0x03, 0x02), (0x11, 0x00), (0x43, 0x22), (0x05, 0x00)]
PER_FILE = 6

for name in sorted(os.listdir(corpus)):
    if not name.endswith(".pcap"):
        continue
    data = open(os.path.join(corpus, name), "rb").read()
    linktype = struct.unpack("<I", data[20:24])[0]
    frames = []
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, wire = struct.unpack("<IIII", data[off:off + 16])
        frames.append((data[off + 16:off + 16 + caplen], wire - caplen))
        off += 16 + caplen
    step = max(1, len(frames) // PER_FILE)
    for i, (frame, extra) in enumerate(frames[::step][:PER_FILE]):
        a, b = FLAGS[i % len(FLAGS)]
        seed = bytes([INDEX[linktype], a, b, min(extra, 255)]) + frame
        with open(os.path.join(seeds, "%s-%d" % (name[:-5], i)), "wb") as f:
            f.write(seed)
