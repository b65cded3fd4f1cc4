"""rawcap.read / rawcap.write against tcpdump on the same files, and the
packet methods (summary, decode) against tcpdump's text."""

import json
import os
import subprocess

import pytest

import rawcap
from conftest import DATA, rawcap_cli, require_tool

CORPUS = os.path.join(DATA, "corpus.pcap")
# Protocols whose text rawcap already prints exactly as tcpdump 4.99 does
# (the decode work goes on; tests/output_*.rs hold the full comparison).
PRINTED_ALIKE = "tcp port 80 or icmp or arp"


def tcpdump(*args):
    require_tool("tcpdump")
    r = subprocess.run(["tcpdump", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def records(path, flt=None):
    return [(p.ts_ns, p.data, p.length) for p in rawcap.read(path, flt)]


def test_write_round_trip_is_read_by_tcpdump(tmp_path):
    out = tmp_path / "copy.pcap"
    with rawcap.read(CORPUS) as r, rawcap.write(out) as w:
        assert (r.linktype, r.snaplen, r.format) == ("EN10MB", 262144, "pcap")
        for p in r:
            w.write(p)
        assert w.count == r.counts[0] == r.counts[1] >= 3000
    assert records(out) == records(CORPUS)
    # tcpdump reads our file as it reads the original, packet for packet.
    assert tcpdump("-nr", str(out)) == tcpdump("-nr", CORPUS)
    with open(out, "rb") as a, open(CORPUS, "rb") as b:
        assert a.read() == b.read()


def test_nanosecond_files_and_packets_from_bytes(tmp_path):
    out = tmp_path / "nano.pcap"
    frame = bytes.fromhex("ffffffffffff020000000001" "0806") + bytes(46)
    with rawcap.write(out, "EN10MB", snaplen=50, nanos=True) as w:
        w.write(frame, ts_ns=1700000000123456789)
        w.write(rawcap.Packet(frame, timestamp=1700000001.5, length=1000))
        w.write(memoryview(frame), length=70)
        assert w.count == 3
    got = list(rawcap.read(out))
    assert [p.ts_ns for p in got] == [1700000000123456789, 1700000001500000000, 0]
    assert [(p.caplen, p.length) for p in got] == [(50, 60), (50, 1000), (50, 70)]
    assert got[0].data == frame[:50]
    text = tcpdump("--time-stamp-precision=nano", "-tt", "-nr", str(out)).splitlines()
    assert text[0].startswith("1700000000.123456789 ARP")
    assert len(text) == 3


def test_writer_refusals(tmp_path):
    w = rawcap.write(tmp_path / "x.pcap", "RAW")
    sll = rawcap.Packet(bytes(20), linktype="LINUX_SLL")
    with pytest.raises(ValueError, match="LINUX_SLL packet in a RAW file"):
        w.write(sll)
    with pytest.raises(TypeError):
        w.write(12)  # not bytes(12)
    with pytest.raises(TypeError):
        w.write("text")
    w.close()
    w.close()
    with pytest.raises(ValueError, match="closed"):
        w.write(b"x")
    with pytest.raises(OSError):
        rawcap.write(tmp_path / "no" / "such" / "dir.pcap")


def test_writer_dropped_without_close_keeps_every_record(tmp_path):
    out = tmp_path / "dropped.pcap"
    w = rawcap.write(out)
    for i in range(100):
        w.write(bytes(60), timestamp=i)
    del w
    assert len(records(out)) == 100


@pytest.mark.parametrize("flt", [
    "tcp port 80", "udp", "ip6 and tcp", "vlan", "arp or icmp", "ip[6:2] & 0x1fff != 0",
    "tcp[tcpflags] & tcp-syn != 0", "not ip",
])
def test_filtered_read_equals_tcpdump(tmp_path, flt):
    out = tmp_path / "filtered.pcap"
    tcpdump("-r", CORPUS, "-w", str(out), flt)
    theirs = records(out)
    assert theirs, "the filter must match some frames"
    assert len(theirs) < 6262
    assert records(CORPUS, flt) == theirs
    # A Program does the same job.
    prog = rawcap.compile(flt, target="userspace")
    assert records(CORPUS, prog) == theirs


def test_pcapng_reads_as_the_same_packets(tmp_path):
    require_tool("editcap")
    ng = tmp_path / "corpus.pcapng"
    subprocess.run(["editcap", "-F", "pcapng", CORPUS, str(ng)], check=True, timeout=60)
    with rawcap.read(ng) as r:
        assert (r.format, r.linktype) == ("pcapng", "EN10MB")
        assert [(p.ts_ns, p.data, p.length) for p in r] == records(CORPUS)
    assert records(ng, "tcp port 80") == records(CORPUS, "tcp port 80")


def test_summary_is_tcpdumps_line():
    """summary() on a packet alone is tcpdump -S's line (absolute sequence
    numbers); the flags map to -n, -e, -tt."""
    pkts = list(rawcap.read(CORPUS, PRINTED_ALIKE))
    assert len(pkts) > 300
    for flags, kw in [(["-S"], {}), (["-S", "-n"], {"numeric": True}),
                      (["-S", "-n", "-e"], {"numeric": True, "link_header": True}),
                      (["-S", "-n", "-tt"], {"numeric": True, "time": "epoch"}),
                      (["-S", "-n", "-t"], {"numeric": True, "time": False})]:
        want = tcpdump("-r", CORPUS, *flags, PRINTED_ALIKE)
        assert "".join(p.summary(**kw) + "\n" for p in pkts) == want, flags


def test_printer_keeps_tcpdumps_state_across_packets():
    want = tcpdump("-nr", CORPUS, "-ttt", PRINTED_ALIKE)
    pr = rawcap.Printer(numeric=True, time="delta")
    assert "".join(pr.format(p) + "\n" for p in rawcap.read(CORPUS, PRINTED_ALIKE)) == want


@pytest.mark.parametrize("flags,kw", [
    ([], {}),
    (["-n", "-e"], {"numeric": True, "link_header": True}),
    (["-n", "-v"], {"numeric": True, "verbose": 1}),
    (["-n", "-vv", "-tttt"], {"numeric": True, "verbose": 2, "time": "date"}),
    (["-n", "-X"], {"numeric": True, "hex_ascii": 1}),
    (["-n", "-xx", "-q"], {"numeric": True, "hex": 2, "quiet": True}),
    (["-n", "-S", "-K", "-A", "-ttttt"],
     {"numeric": True, "absolute_seq": True, "no_checksum": True, "ascii": 1,
      "time": "since_first"}),
])
def test_printer_prints_what_the_command_line_prints(flags, kw):
    """Every corpus frame, every form: Printer's text is `rawcap -r`'s."""
    cli = subprocess.run([rawcap_cli(), "-r", CORPUS, *flags], capture_output=True, text=True,
                         timeout=120)
    assert cli.returncode == 0, cli.stderr
    pr = rawcap.Printer(**kw)
    assert "".join(pr.format(p) + "\n" for p in rawcap.read(CORPUS)) == cli.stdout


def test_printer_numbers_packets_as_the_command_line_does():
    cli = subprocess.run([rawcap_cli(), "-r", CORPUS, "-#", PRINTED_ALIKE], capture_output=True,
                         text=True, timeout=120)
    pr = rawcap.Printer(number=True)
    assert "".join(pr.format(p) + "\n" for p in rawcap.read(CORPUS, PRINTED_ALIKE)) == cli.stdout


def test_decode_is_the_command_lines_json():
    cli = subprocess.run([rawcap_cli(), "-r", CORPUS, "--json"], capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    want = [json.loads(line) for line in cli.stdout.splitlines()]
    assert [p.decode() for p in rawcap.read(CORPUS)] == want


def test_decode_gives_the_json_fields():
    p = next(iter(rawcap.read(CORPUS, "ip and tcp dst port 80")))
    d = p.decode()
    assert d["net"] == "ipv4" and d["proto"] == "tcp" and d["dport"] == 80
    assert d["ts_ns"] == p.ts_ns and d["caplen"] == p.caplen and d["len"] == p.length
    assert f"IP {d['src']}.{d['sport']} > {d['dst']}.80: " in p.summary(numeric=True)
    arp = next(iter(rawcap.read(CORPUS, "arp"))).decode()
    assert "arp_op" in arp


def test_packet_attributes():
    p = next(iter(rawcap.read(CORPUS)))
    assert p.timestamp == pytest.approx(1700000000.0)
    assert p.ts_ns == 1700000000 * 10**9
    assert len(p) == p.caplen == len(p.data) == len(bytes(p))
    assert p.length >= p.caplen
    assert (p.ifindex, p.direction, p.pkttype) == (None, None, None)
    assert p.linktype == "EN10MB"
    assert "rawcap.Packet" in repr(p)
    q = rawcap.Packet(p.data, timestamp=p.timestamp)
    assert q.data == p.data and q.summary() == rawcap.Packet(p.data, p.timestamp).summary()
    with pytest.raises(ValueError):
        rawcap.Packet(b"x", timestamp=-1)
