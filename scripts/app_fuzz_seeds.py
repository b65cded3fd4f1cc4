#!/usr/bin/env python3
"""Seeds for the fuzz `decode` target (fuzz/corpus/decode/app-NAME-NN) from
the application corpus: up to 24 frames of each tests/data/decode/NAME.pcap
(evenly spaced, the largest skipped), in the target's input layout (link
type index 0 = Ethernet, two bytes of display flags, a wire-length byte,
the frame; fuzz/src/checks.rs) with -n, -nv and -nvv flag bytes in turn.

    scripts/app_fuzz_seeds.py NAME...        # e.g. dns mdns real-dns
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "decode")
OUT = os.path.join(ROOT, "fuzz", "corpus", "decode")


def frames(path):
    with open(path, "rb") as f:
        b = f.read()
    at = 24
    while at + 16 <= len(b):
        incl = struct.unpack_from("<I", b, at + 8)[0]
        yield b[at + 16:at + 16 + incl]
        at += 16 + incl


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:]:
        fs = [f for f in frames(os.path.join(DATA, name + ".pcap")) if len(f) <= 2048]
        step = max(1, len(fs) // 24)
        for n, f in enumerate(fs[::step][:24]):
            verbose = n % 3
            seed = bytes([0, 1, verbose, 0]) + f
            with open(os.path.join(OUT, f"app-{name}-{n:02}"), "wb") as out:
                out.write(seed)


if __name__ == "__main__":
    main()
