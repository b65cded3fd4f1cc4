"""FilterError and the other errors: what libpcap refuses is refused, with
the expression and carets in str(), and wrong arguments are clear."""

import os

import pytest

import rawcap
from conftest import DATA, RUST_DATA


def rejects_en10mb():
    with open(os.path.join(RUST_DATA, "libpcap-rejects.txt")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            link, expr, message = line.rstrip("\n").split("\t")
            if link == "EN10MB":
                yield expr, message


def test_everything_libpcap_refuses_raises_filter_error_with_a_caret():
    refused = list(rejects_en10mb())
    assert len(refused) >= 60
    for expr, _ in refused:
        with pytest.raises(rawcap.FilterError) as info:
            rawcap.compile(expr, netmask=0, resolve=False)
        e = info.value
        assert isinstance(e, ValueError)
        assert e.expression == expr
        lines = str(e).split("\n")
        assert lines[0] == e.message
        if expr and expr.isprintable() and len(expr) <= 100:
            assert lines[1] == "  " + expr
            assert set(lines[2].strip()) <= {"^"}
            assert 0 <= e.start <= e.end <= len(expr)


def test_caret_points_at_the_offending_text():
    with pytest.raises(rawcap.FilterError) as info:
        rawcap.compile("tcp port 70000")
    e = info.value
    assert str(e) == "illegal port number 70000 > 65535\n  tcp port 70000\n           ^^^^^"
    assert (e.start, e.end) == (9, 14)
    assert e.expression[e.start:e.end] == "70000"


def test_span_counts_characters_not_bytes():
    with pytest.raises(rawcap.FilterError) as info:
        rawcap.compile("host é and bogus")
    e = info.value
    assert 0 <= e.start <= e.end <= len(e.expression)
    assert "é" in str(e)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown link type"):
        rawcap.compile("ip", linktype="BOGUS")
    with pytest.raises(ValueError, match="link type number"):
        rawcap.compile("ip", linktype=99999)
    with pytest.raises(ValueError, match="target"):
        rawcap.compile("ip", target="bpf")
    with pytest.raises(ValueError, match="netmask"):
        rawcap.compile("ip broadcast", netmask="24x")
    with pytest.raises(rawcap.FilterError):
        rawcap.compile("ip broadcast")  # no netmask: refused, as newer libpcap does
    with pytest.raises(rawcap.FilterError, match="host"):
        rawcap.compile("host some-name", resolve=False)


def test_invalid_programs_are_refused_before_the_kernel_sees_them():
    bad = rawcap.Program([(0x20, 0, 0, 0)])  # ld [0] and no return
    with pytest.raises(ValueError, match="insn"):
        bad.validate()
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        with pytest.raises(ValueError):
            bad.attach(s)
    with pytest.raises(ValueError, match="-ddd"):
        rawcap.Program.from_ddd("2\n6 0 0 1\n")
    with pytest.raises(ValueError, match="length 4"):
        rawcap.Program([(1, 2, 3)])
    with pytest.raises(OverflowError):
        rawcap.Program([(6, 0, 0, 1 << 32)])


def test_savefile_errors_name_the_offset(tmp_path):
    with pytest.raises(FileNotFoundError):
        rawcap.read(tmp_path / "missing.pcap")
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"not a pcap file at all")
    with pytest.raises(rawcap.SavefileError, match="magic"):
        rawcap.read(junk)
    # A good file cut in the middle of its third record: two packets, then the error.
    with open(os.path.join(DATA, "corpus.pcap"), "rb") as f:
        good = f.read()
    recs = []
    at = 24
    for _ in range(3):
        caplen = int.from_bytes(good[at + 8:at + 12], "little")
        recs.append(at)
        at += 16 + caplen
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(good[:recs[2] + 20])
    got = []
    with pytest.raises(rawcap.SavefileError) as info:
        for p in rawcap.read(cut):
            got.append(p)
    assert len(got) == 2
    assert info.value.offset == recs[2]
    with pytest.raises(rawcap.FilterError):
        rawcap.read(os.path.join(DATA, "corpus.pcap"), "tcp port")
