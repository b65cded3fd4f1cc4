"""The README's dpkt and scapy examples: rawcap reads and filters, they parse
the same bytes; scapy-built frames go into rawcap's files. (python/ci.sh
installs both; elsewhere their absence skips these tests.)"""

import os

import pytest

import rawcap
from conftest import DATA

CORPUS = os.path.join(DATA, "corpus.pcap")


def test_dpkt_parses_what_rawcap_filtered():
    dpkt = pytest.importorskip("dpkt")
    seen = 0
    for p in rawcap.read(CORPUS, "ip and tcp port 80 and not ip[6:2] & 0x1fff != 0"):
        if p.caplen < p.length:
            continue  # cut frames: dpkt refuses them
        ip = dpkt.ethernet.Ethernet(p.data).data
        tcp = ip.data
        assert 80 in (tcp.sport, tcp.dport)
        d = p.decode()
        assert (d["sport"], d["dport"]) == (tcp.sport, tcp.dport)
        seen += 1
    assert seen > 20


def test_scapy_dissects_rawcaps_packets_and_fills_its_files(tmp_path):
    scapy = pytest.importorskip("scapy.all")
    n = 0
    for p in rawcap.read(CORPUS, "ip and udp port 53"):
        if p.caplen < p.length:
            continue  # cut frames: scapy leaves the cut layer raw
        pkt = scapy.Ether(p.data)
        assert scapy.UDP in pkt and 53 in (pkt[scapy.UDP].sport, pkt[scapy.UDP].dport)
        assert pkt.summary()
        n += 1
    assert n > 20
    out = tmp_path / "made.pcap"
    frame = scapy.Ether() / scapy.IP(dst="198.18.0.2") / scapy.UDP(dport=9) / b"made by scapy"
    with rawcap.write(out) as w:
        w.write(bytes(frame), timestamp=1700000000)
    (p,) = list(rawcap.read(out, "udp port 9"))
    assert p.data == bytes(frame) and p.timestamp == 1700000000
    assert p.decode()["dst"] == "198.18.0.2"
