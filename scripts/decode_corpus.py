#!/usr/bin/env python3
"""The decode corpus: frames for every protocol rawcap prints (issue 15),
one pcap per protocol or family, built with scapy.

    decode_corpus.py OUTDIR

Every file is deterministic (fixed timestamps, fixed random seeds) and
holds, for its protocol: the common forms, the rare forms tcpdump prints
differently (unknown types, bad lengths, bad checksums), copies cut short
by a snapshot length at several points (caplen < wire length), and a few
malformed variants (one header byte replaced). Addresses come from
198.18.0.0/15, 2001:db8::/32, multicast groups and locally administered
MACs only.

Run by scripts/gen-decode-fixtures.sh, which also runs tcpdump over the
files to make the expected outputs.
"""

import os
import random
import struct
from socket import AF_INET6, inet_pton
import sys

from scapy.all import (  # noqa: E402
    AH, ARP, ESP, GRE, GRE_PPTP, ICMP, IP, LLC, SNAP, STP, TCP, UDP, Dot1AD,
    Dot1Q, Dot3, EAPOL, Ether, ICMPv6DestUnreach, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6MLDone, ICMPv6MLQuery, ICMPv6MLReport,
    ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6ND_RS,
    ICMPv6NDOptDNSSL, ICMPv6NDOptMTU, ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRDNSS, ICMPv6NDOptRedirectedHdr, ICMPv6NDOptRouteInfo,
    ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, ICMPv6NIQueryName,
    ICMPv6NIReplyName, ICMPv6PacketTooBig, ICMPv6ParamProblem,
    ICMPv6TimeExceeded, ICMPv6MLQuery2, ICMPv6MLReport2, ICMPv6MLDMultAddrRec,
    IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting, IPv6ExtHdrSegmentRouting, Jumbo, PadN, Pad1,
    RouterAlert, PPP, PPPoE, PPPoED, PPP_LCP, PPP_LCP_Configure,
    PPP_LCP_MRU_Option, PPP_LCP_Magic_Number_Option, PPP_LCP_Echo,
    PPP_IPCP, PPP_IPCP_Option_IPAddress, PPP_CHAP, PPP_PAP_Request, Raw,
    SCTP, SCTPChunkData, SCTPChunkInit, SCTPChunkInitAck, SCTPChunkSACK,
    SCTPChunkHeartbeatReq, SCTPChunkHeartbeatAck, SCTPChunkAbort,
    SCTPChunkShutdown, SCTPChunkShutdownAck, SCTPChunkCookieEcho,
    SCTPChunkCookieAck, SCTPChunkError, SCTPChunkShutdownComplete,
    EAP, conf,
)
from scapy.contrib.igmp import IGMP  # noqa: E402
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mq, IGMPv3mr, IGMPv3gr  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402

conf.verb = 0

MAC_A = "02:00:00:00:00:01"
MAC_B = "02:00:00:00:00:02"
V4_A, V4_B, V4_C = "198.18.0.1", "198.18.0.2", "198.19.1.7"
V6_A, V6_B = "2001:db8::1", "2001:db8::2"
LL_A, LL_B = "fe80::1", "fe80::200:ff:fe00:2"

T0 = 1_700_000_000


class Pcap:
    """A pcap file being built: records with their own caplen and wire length."""

    def __init__(self, linktype=1, snaplen=262144):
        self.linktype = linktype
        self.snaplen = snaplen
        self.records = []

    def add(self, frame, caplen=None, wire=None):
        data = bytes(frame)
        wire = len(data) if wire is None else wire
        if caplen is not None:
            data = data[:caplen]
        self.records.append((data, max(wire, len(data))))

    def add_cuts(self, frame, cuts):
        """The frame whole, then cut to each length in `cuts` (negative: from the end)."""
        data = bytes(frame)
        self.add(data)
        for c in cuts:
            n = c if c >= 0 else len(data) + c
            if 0 < n < len(data):
                self.add(data, caplen=n)

    def add_every_cut(self, frame, start, step=1):
        """The frame cut at every length from `start` (a snapshot ending in each field)."""
        data = bytes(frame)
        for n in range(start, len(data), step):
            self.add(data, caplen=n)
        self.add(data)

    def add_mutants(self, frame, lo, hi, count, rng):
        """`count` copies with one byte in [lo, hi) replaced by a random value."""
        data = bytearray(bytes(frame))
        hi = min(hi, len(data))
        for _ in range(count):
            if lo >= hi:
                return
            m = bytearray(data)
            m[rng.randrange(lo, hi)] = rng.randrange(256)
            self.add(bytes(m))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen, self.linktype))
            for i, (data, wire) in enumerate(self.records):
                f.write(struct.pack("<IIII", T0 + i // 1000, (i % 1000) * 1000, len(data), wire))
                f.write(data)


def eth(payload, src=MAC_A, dst=MAC_B, type=None):
    e = Ether(src=src, dst=dst)
    if type is not None:
        e.type = type
    return e / payload


# ---------------------------------------------------------------- ARP

A6, B6, Z6 = bytes.fromhex("020000000001"), bytes.fromhex("020000000002"), bytes(6)
A4, B4 = bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2])


def arp_raw(htype, ptype, op, sha, spa, tha, tpa, hlen=None, plen=None):
    """An ARP packet with any field values (scapy checks address forms)."""
    hlen = len(sha) if hlen is None else hlen
    plen = len(spa) if plen is None else plen
    return Raw(struct.pack(">HHBBH", htype, ptype, hlen, plen, op) + sha + spa + tha + tpa)


def arp_eth(payload, dst="ff:ff:ff:ff:ff:ff", type=0x0806):
    return Ether(src=MAC_A, dst=dst, type=type) / payload

def arp_file():
    p = Pcap()
    rng = random.Random(1)
    bc = "ff:ff:ff:ff:ff:ff"
    base = [
        Ether(src=MAC_A, dst=bc) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B),
        Ether(src=MAC_B, dst=MAC_A) / ARP(op=2, hwsrc=MAC_B, psrc=V4_B, hwdst=MAC_A, pdst=V4_A),
        # Request with a target hardware address filled in.
        Ether(src=MAC_A, dst=bc) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, hwdst=MAC_B, pdst=V4_B),
        # Gratuitous ARP (request and reply forms).
        Ether(src=MAC_A, dst=bc) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_A),
        Ether(src=MAC_A, dst=bc) / ARP(op=2, hwsrc=MAC_A, psrc=V4_A, hwdst=bc, pdst=V4_A),
        # Probe: sender protocol address 0.
        Ether(src=MAC_A, dst=bc) / ARP(op=1, hwsrc=MAC_A, psrc="0.0.0.0", pdst=V4_B),
        # RARP request/reply, InARP request/reply, other operations.
        Ether(src=MAC_A, dst=bc, type=0x8035) / ARP(op=3, hwsrc=MAC_A, hwdst=MAC_A),
        Ether(src=MAC_B, dst=MAC_A, type=0x8035) / ARP(op=4, hwsrc=MAC_B, psrc=V4_B, hwdst=MAC_A, pdst=V4_A),
        Ether(src=MAC_A, dst=MAC_B) / ARP(op=8, hwsrc=MAC_A, psrc=V4_A, hwdst=MAC_B),
        Ether(src=MAC_B, dst=MAC_A) / ARP(op=9, hwsrc=MAC_B, psrc=V4_B, hwdst=MAC_A, pdst=V4_A),
        Ether(src=MAC_A, dst=bc) / ARP(op=5, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B),
        Ether(src=MAC_A, dst=bc) / ARP(op=10, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B),
        Ether(src=MAC_A, dst=bc) / ARP(op=0x1234, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B),
        # Unknown hardware types (tcpdump dumps those), token ring, frame relay.
        arp_eth(arp_raw(6, 0x0800, 1, A6, A4, Z6, B4)),
        arp_eth(arp_raw(0x99, 0x0800, 1, A6, A4, Z6, B4)),
        arp_eth(arp_raw(15, 0x0800, 8, b"\x01\x02", A4, b"\x00\x00", b"\x00" * 4)),
        # Other protocol types and address lengths.
        arp_eth(arp_raw(1, 0x86dd, 1, A6, b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01",
                                           Z6, b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x02")),
        arp_eth(arp_raw(1, 0x1234, 1, A6, A4, Z6, B4)),
        arp_eth(arp_raw(1, 0x0800, 1, A6 + b"\x00\x00", A4, Z6 + b"\x00\x00", B4)),
        arp_eth(arp_raw(1, 0x0800, 1, b"", A4, b"", B4)),
        arp_eth(arp_raw(1, 0x0800, 1, A6, b"", B6, b"")),
        # A length byte larger than the packet.
        arp_eth(arp_raw(1, 0x0800, 1, A6, A4, Z6, B4, plen=200)),
        # ATM ARP (hardware type 19): request, reply, NAK, an unknown operation.
        arp_eth(Raw(bytes.fromhex("0013 0800 14 00 0001 04 14 00 04") + bytes(range(20)) + A4
                    + bytes(20) + B4)),
        arp_eth(Raw(bytes.fromhex("0013 0800 14 00 0002 04 14 00 04") + bytes(range(20)) + A4
                    + bytes(range(20)) + B4)),
        arp_eth(Raw(bytes.fromhex("0013 0800 14 00 000a 04 00 00 04") + bytes(range(20)) + A4 + B4)),
        arp_eth(Raw(bytes.fromhex("0013 0800 14 00 0063 04 00 00 04") + bytes(range(20)) + A4 + B4)),
        # Frame relay InARP.
        arp_eth(arp_raw(15, 0x0800, 8, bytes.fromhex("1841"), A4, b"\x00\x00", bytes(4))),
        # IEEE 1394, InfiniBand hardware types; the trailer protocol type.
        arp_eth(arp_raw(24, 0x0800, 1, bytes(range(16)), A4, bytes(16), B4)),
        arp_eth(arp_raw(32, 0x0800, 2, bytes(range(20)), A4, bytes(range(20)), B4)),
        arp_eth(arp_raw(1, 0x1000, 1, A6, A4, Z6, B4)),
    ]
    for f in base:
        p.add(f)
    for f in base[:3] + base[6:8] + base[13:14]:
        p.add_every_cut(f, 14, 3)
    for f in base[:2]:
        p.add_mutants(f, 14, 42, 10, rng)
    # VLAN-tagged ARP.
    p.add(Ether(src=MAC_A, dst=bc) / Dot1Q(vlan=7) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B))
    return p


# ---------------------------------------------------------------- VLAN

def vlan_file():
    p = Pcap()
    rng = random.Random(2)
    inner = IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=1024, dport=4000) / Raw(b"x" * 8)
    base = [
        eth(Dot1Q(vlan=100) / inner),
        eth(Dot1Q(vlan=4095, prio=7, id=1) / inner),
        eth(Dot1Q(vlan=0, prio=5) / IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000)),
        eth(Dot1AD(vlan=10) / Dot1Q(vlan=20) / inner),
        eth(Dot1Q(vlan=10) / Dot1Q(vlan=20) / inner, type=0x9100),
        eth(Dot1Q(vlan=10) / Dot1Q(vlan=20) / inner, type=0x9200),
        eth(Dot1Q(vlan=10) / Dot1Q(vlan=20) / Dot1Q(vlan=30) / inner),
        eth(Dot1Q(vlan=5) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B)),
        eth(Dot1Q(vlan=5, type=0x88b5) / Raw(b"local experimental ethertype")),
        eth(Dot1Q(vlan=5) / LLC(dsap=0x42, ssap=0x42, ctrl=3) / STP()),
        eth(Dot1Q(vlan=5, type=0x8847) / MPLS(label=16, s=1, ttl=64) / inner),
    ]
    for f in base:
        p.add(f)
    for f in base[:4]:
        p.add_every_cut(f, 12, 2)
    for f in base[:2]:
        p.add_mutants(f, 12, 18, 6, rng)
    # Arista's vendor EtherType: 64-bit and 48-bit timestamps before the
    # real EtherType (IPv4, a tag, MPLS), unknown subtype and format, cuts.
    def arista(hdr, rest):
        return Ether(src=MAC_A, dst=MAC_B, type=0xd28b) / Raw(hdr + bytes(rest))
    ts64 = struct.pack(">HBBII", 1, 0, 0x10, 1559162199, 944724424)
    ts48 = struct.pack(">HBBHI", 1, 1, 0x21, 300, 1999999999)
    a64 = arista(ts64, b"\x08\x00" + bytes(inner))
    p.add(a64)
    p.add(arista(ts48, b"\x86\xdd" + bytes(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000))))
    p.add(arista(ts64, b"\x81\x00" + bytes(Dot1Q(vlan=100) / inner)))
    p.add(arista(ts64, b"\x88\x47" + bytes(MPLS(label=1024, s=1, ttl=64) / inner)))
    p.add(arista(struct.pack(">HBB", 2, 0, 0x10), b"\x08\x00" + bytes(inner)))
    p.add(arista(struct.pack(">HBBII", 1, 5, 0x31, 0, 0), b"\x08\x00" + bytes(inner)))
    p.add(arista(ts64, b"\xd2\x8b" + ts48 + b"\x08\x00" + bytes(inner)))
    p.add_every_cut(a64, 14, 1)
    return p


# ---------------------------------------------------------------- TCP

def tcp_file():
    p = Pcap()
    rng = random.Random(3)
    opts_sets = [
        [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (12345, 0)), ("NOP", None), ("WScale", 7)],
        [("NOP", None), ("NOP", None), ("Timestamp", (4294967295, 1))],
        [("NOP", None), ("NOP", None), ("SAck", (5000, 6000, 7000, 8000))],
        [("MSS", 536), ("EOL", None)],
        [(19, b"\x11" * 16)],  # md5
        [(28, b"\x80\x0a")],  # user timeout in minutes
        [(28, b"\x00\x1e")],  # in seconds
        [(34, b"")],  # TFO cookie request
        [(34, b"\x01\x02\x03\x04\x05\x06\x07\x08")],  # TFO cookie
        [(254, b"\xf9\x89\x01\x02")],  # experimental TFO (RFC 6994 ExID)
        [(254, b"\x12\x34\x56")],
        [(253, b"\xab\xcd")],
        [(99, b"\x01\x02\x03")],  # unknown
        [(29, b"\x01\x02\x03\x04")],  # TCP-AO
        [(6, b"\x00\x00\x00\x01")],  # echo
        [(7, b"\x00\x00\x00\x01")],  # echo reply
        [(5, b"\x00\x00\x00\x01")],  # bad sack length
        [(2, b"\x05")],  # bad mss length
        [(3, b"")],  # bad wscale length
        [(8, b"\x00\x00\x00\x01")],  # bad timestamp length
        [("NOP", None), (0, None), ("NOP", None)],
        [(1, None)] * 3,
    ]
    # MPTCP (kind 30): every subtype tcpdump decodes.
    mptcp = [
        bytes.fromhex("0081") + bytes(8),  # MP_CAPABLE SYN, key
        bytes.fromhex("0081") + bytes(range(16)),  # capable with both keys
        bytes.fromhex("0081") + bytes(range(16)) + bytes.fromhex("0010"),
        bytes.fromhex("1001") + bytes.fromhex("0a0b0c0d") + bytes.fromhex("01020304"),  # MP_JOIN SYN
        bytes.fromhex("1001") + bytes(8) + bytes.fromhex("01020304"),  # JOIN SYN/ACK
        bytes.fromhex("1000") + bytes(18),  # JOIN ACK
        bytes.fromhex("2001"),  # DSS with nothing
        bytes.fromhex("2001") + bytes.fromhex("00000001"),  # DSS ack
        bytes.fromhex("200f") + bytes.fromhex("0000000100000002") + bytes.fromhex("0000000300000004")
        + bytes.fromhex("00000005") + bytes.fromhex("00100000"),
        bytes.fromhex("2005") + bytes.fromhex("00000001") + bytes.fromhex("00000002")
        + bytes.fromhex("00000003") + bytes.fromhex("0010") + bytes.fromhex("abcd"),
        bytes.fromhex("3004") + bytes.fromhex("c6120001"),  # ADD_ADDR v4
        bytes.fromhex("3006") + bytes.fromhex("20010db8000000000000000000000001") ,
        bytes.fromhex("3104") + bytes.fromhex("c6120001") + bytes.fromhex("1f90"),
        bytes.fromhex("4001") + bytes.fromhex("05"),  # REMOVE_ADDR
        bytes.fromhex("4001") + bytes.fromhex("0506"),
        bytes.fromhex("5001") + bytes.fromhex("00"),  # MP_PRIO
        bytes.fromhex("5000"),
        bytes.fromhex("6000") + bytes.fromhex("0000000000000001"),  # MP_FAIL
        bytes.fromhex("7000") + bytes.fromhex("0102030405060708"),  # MP_FASTCLOSE
        bytes.fromhex("8000"),  # TCPRST
        bytes.fromhex("f000"),  # unknown subtype
    ]
    for m in mptcp:
        opts_sets.append([(30, m)])
    ip_pair = [(V4_A, V4_B, False), (V6_A, V6_B, True)]
    def seg(sport, dport, flags, seq=1000, ack=0, opts=None, payload=b"", v6=False, **kw):
        t = TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=65535, **kw)
        if opts is not None:
            t.options = opts
        if v6:
            ip = IPv6(src=V6_A, dst=V6_B)
        else:
            ip = IP(src=V4_A, dst=V4_B, id=7)
        return eth(ip / t / Raw(payload)) if payload else eth(ip / t)
    base = []
    for opts in opts_sets:
        base.append(seg(40000, 5001, "S", opts=opts))
    # Flags: every single flag and common combinations, the ECN nonce bit.
    for fl in ["", "F", "S", "R", "P", "A", "U", "E", "C", "SA", "FA", "PA", "RA", "FPU",
               "SEC", "FSRPAUEC", "N", "SN", "AN"]:
        base.append(seg(40001, 5001, fl, seq=2000, ack=3000, urgptr=7))
    # A connection: SYN, SYN/ACK, data both ways, SACK, FIN (relative sequence numbers).
    conn = [
        seg(40002, 5002, "S", seq=1000, opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]),
        seg(5002, 40002, "SA", seq=9000, ack=1001, opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]),
        seg(40002, 5002, "A", seq=1001, ack=9001),
        seg(40002, 5002, "PA", seq=1001, ack=9001, payload=b"hello\n"),
        seg(5002, 40002, "A", seq=9001, ack=1007, opts=[("NOP", None), ("NOP", None), ("SAck", (1500, 1600))]),
        seg(5002, 40002, "PA", seq=9001, ack=1007, payload=b"world\n"),
        seg(40002, 5002, "FA", seq=1007, ack=9007),
        seg(5002, 40002, "FA", seq=9007, ack=1008),
        seg(40002, 5002, "A", seq=1008, ack=9008),
    ]
    base += conn
    # The same on IPv6.
    base += [seg(40003, 5003, "S", seq=5, opts=[("MSS", 1440)], v6=True),
             seg(5003, 40003, "SA", seq=7, ack=6, v6=True),
             seg(40003, 5003, "PA", seq=6, ack=8, payload=b"abc", v6=True)]
    # Reset with data (printed with -v), urgent data, a zero window.
    base.append(seg(5004, 40004, "R", seq=1, payload=b"connection refused\r\n\x01\xff"))
    base.append(seg(5004, 40004, "RA", seq=1, ack=1, payload=b"x" * 40))
    base.append(seg(40005, 5005, "PAU", seq=1, ack=1, urgptr=3, payload=b"urgent"))
    # Bad checksum, bad data offset (below 5, past the segment).
    b = seg(40006, 5006, "S")
    b[TCP].chksum = 0x1234
    base.append(b)
    for off in (0, 4, 15):
        b = seg(40007, 5007, "S")
        b[TCP].dataofs = off
        base.append(b)
    # Fragmented TCP (checksum not checked) and a later fragment.
    f = eth(IP(src=V4_A, dst=V4_B, id=9, flags="MF") / TCP(sport=1, dport=2, flags="S") / Raw(b"x" * 16))
    base.append(f)
    for f in base:
        p.add(f)
    for f in [base[0], base[3], base[9], base[22 + 9]]:
        p.add_every_cut(f, 34, 1)
    for f in base[:4]:
        p.add_mutants(f, 34, 66, 8, rng)
    return p


# ---------------------------------------------------------------- ICMPv6

def icmp6_file():
    p = Pcap()
    rng = random.Random(4)
    mac_a = MAC_A
    def v6(payload, src=LL_A, dst="ff02::1", hlim=255):
        return eth(IPv6(src=src, dst=dst, hlim=hlim) / payload, dst="33:33:00:00:00:01")
    inner = IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=33434) / Raw(b"x" * 8)
    inner_tcp = IPv6(src=V6_A, dst=V6_B) / TCP(sport=1024, dport=80)
    base = [
        eth(IPv6(src=V6_A, dst=V6_B) / ICMPv6EchoRequest(id=1, seq=1, data=b"abcdefgh")),
        eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6EchoReply(id=1, seq=1, data=b"abcdefgh")),
    ]
    for code in range(0, 8):
        base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6DestUnreach(code=code) / inner))
    base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6DestUnreach(code=4) / inner_tcp))
    base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6PacketTooBig(mtu=1280) / inner))
    base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6TimeExceeded(code=0) / inner))
    base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6TimeExceeded(code=1) / inner))
    base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6TimeExceeded(code=5) / inner))
    for code in range(0, 4):
        base.append(eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6ParamProblem(code=code, ptr=6) / inner))
    # Neighbor discovery.
    base += [
        v6(ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=mac_a), dst="ff02::2"),
        v6(ICMPv6ND_RS(), src="::", dst="ff02::2"),
        v6(ICMPv6ND_RA(chlim=64, M=1, O=1, routerlifetime=1800, reachabletime=30000, retranstimer=1000)
           / ICMPv6NDOptSrcLLAddr(lladdr=mac_a) / ICMPv6NDOptMTU(mtu=1500)
           / ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64, validlifetime=86400,
                                   preferredlifetime=14400)),
        v6(ICMPv6ND_RA(prf=1, H=1) / ICMPv6NDOptRDNSS(dns=[V6_A, V6_B], lifetime=600)
           / ICMPv6NDOptDNSSL(searchlist=["example.com.", "test."], lifetime=600)
           / ICMPv6NDOptRouteInfo(prefix="2001:db8:1::", plen=48, prf=3, rtlifetime=300)),
        v6(ICMPv6ND_RA(routerlifetime=0, prf=2) / ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64,
                                                                  L=0, A=0, validlifetime=0xffffffff,
                                                                  preferredlifetime=0xffffffff)),
        v6(ICMPv6ND_NS(tgt=LL_B) / ICMPv6NDOptSrcLLAddr(lladdr=mac_a), dst="ff02::1:ff00:2"),
        v6(ICMPv6ND_NS(tgt=V6_B), src="::", dst="ff02::1:ff00:2"),
        v6(ICMPv6ND_NA(tgt=LL_B, R=1, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=MAC_B), src=LL_B, dst=LL_A),
        v6(ICMPv6ND_NA(tgt=LL_B, R=0, S=0, O=0), src=LL_B, dst=LL_A),
        v6(ICMPv6ND_Redirect(tgt=LL_B, dst=V6_B) / ICMPv6NDOptDstLLAddr(lladdr=MAC_B)
           / ICMPv6NDOptRedirectedHdr(pkt=bytes(inner)[:48]), src=LL_A, dst=V6_A),
        # An unknown ND option and a zero-length option.
        v6(ICMPv6ND_RA() / Raw(bytes.fromhex("fe010102030405")) , dst="ff02::1"),
        v6(ICMPv6ND_RA() / Raw(bytes.fromhex("0100")), dst="ff02::1"),
        # MLD v1, v2.
        v6(ICMPv6MLQuery(mladdr="::", mrd=10000), dst="ff02::1", hlim=1),
        v6(ICMPv6MLQuery(mladdr="ff02::fb", mrd=1000), dst="ff02::fb", hlim=1),
        v6(ICMPv6MLReport(mladdr="ff02::fb"), dst="ff02::fb", hlim=1),
        v6(ICMPv6MLDone(mladdr="ff02::fb"), dst="ff02::2", hlim=1),
        v6(ICMPv6MLQuery2(mladdr="::", mrd=10000, S=1, QRV=2, QQIC=125, sources_number=0),
           dst="ff02::1", hlim=1),
        v6(ICMPv6MLQuery2(mladdr="ff02::fb", sources=[V6_A, V6_B]), dst="ff02::fb", hlim=1),
        v6(ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(rtype=4, dst="ff02::fb"),
                                    ICMPv6MLDMultAddrRec(rtype=1, dst="ff02::1:3", sources=[V6_A])]),
           dst="ff02::16", hlim=1),
        v6(ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(rtype=t, dst="ff02::1:2") for t in range(1, 7)]),
           dst="ff02::16", hlim=1),
        # Node information.
        eth(IPv6(src=V6_A, dst=V6_B) / ICMPv6NIQueryName(data="example.com")),
        eth(IPv6(src=V6_B, dst=V6_A) / ICMPv6NIReplyName(data=b"\x00\x00\x00\x00\x07example\x03com\x00")),
        # Types tcpdump names but does not decode, and unknown ones.
        eth(IPv6(src=V6_A, dst=V6_B, nh=58) / Raw(bytes.fromhex("8a00000000000000"))),  # renumbering
        eth(IPv6(src=V6_A, dst=V6_B, nh=58) / Raw(bytes.fromhex("99000000"))),
        eth(IPv6(src=V6_A, dst=V6_B, nh=58) / Raw(bytes.fromhex("c8000000" + "00" * 8))),
        eth(IPv6(src=V6_A, dst=V6_B, nh=58) / Raw(bytes.fromhex("fa00000001020304"))),
    ]
    for f in base:
        if f.haslayer(IPv6):
            del f[IPv6].plen
        p.add(f)
    # Bad checksum.
    b = eth(IPv6(src=V6_A, dst=V6_B) / ICMPv6EchoRequest(id=1, seq=2, cksum=0x1234))
    p.add(b)
    # ICMPv6 over IPv4 is invalid.
    p.add(eth(IP(src=V4_A, dst=V4_B, proto=58) / Raw(bytes.fromhex("80000000000100010000"))))
    for f in [base[0], base[2], base[len(base) - 30], base[len(base) - 27], base[len(base) - 23]]:
        p.add_every_cut(f, 54, 2)
    for f in base[:3]:
        p.add_mutants(f, 54, 70, 8, rng)
    # Router renumbering: a command with a match part and use parts (flags,
    # infinite and finite lifetimes), a result, a bad match length, cuts.
    def rr(code, flags, body):
        hdr = struct.pack(">BBHIBBHI", 138, code, 0, 7, 1, flags, 500, 0)
        return eth(IPv6(src=V6_A, dst="ff05::2", nh=58) / Raw(hdr + body))
    match = struct.pack(">BBBBBBH", 1, 3 + 8, 2, 48, 40, 64, 0) + inet_pton(AF_INET6, "fec0::")
    use1 = struct.pack(">BBBBIII", 48, 16, 0xc0, 0x80, 0xffffffff, 0xffffffff, 0xc0000000) \
        + inet_pton(AF_INET6, "3ffe:501:fffe::")
    use2 = struct.pack(">BBBBIII", 64, 0, 0, 0, 86400, 3600, 0) + inet_pton(AF_INET6, "2001:db8:7::")
    rr_cmd = rr(0, 0xf8, match + use1 + use2)
    p.add(rr_cmd)
    p.add(rr(0, 0, struct.pack(">BBBBBBH", 3, 3, 0, 64, 0, 0, 0) + inet_pton(AF_INET6, "2001:db8::")))
    p.add(rr(0, 0x40, struct.pack(">BBBBBBH", 9, 5, 0, 64, 0, 0, 0) + inet_pton(AF_INET6, "2001:db8::")))
    p.add(rr(1, 0, b""))
    p.add(rr(255, 0, b""))
    p.add(rr(7, 0, b""))
    p.add_every_cut(rr_cmd, 54, 6)
    # Node information queries for node addresses, each flag.
    for flags in [0x0002, 0x0004, 0x0008, 0x0010, 0x0020, 0x0040, 0x007e, 0x0001]:
        body = struct.pack(">BBHHH", 139, 0, 0, 3, flags) + bytes(8) + inet_pton(AF_INET6, V6_B)
        p.add(eth(IPv6(src=V6_A, dst=V6_B, nh=58) / Raw(body)))
    return p


# ---------------------------------------------------------------- IGMP

def igmp_file():
    p = Pcap()
    rng = random.Random(5)
    ra = [b"\x94\x04\x00\x00"]
    def ip(dst, payload, ttl=1, opts=True):
        i = IP(src=V4_A, dst=dst, ttl=ttl, id=1, proto=2)
        if opts:
            i.options = ra
        return eth(i / payload, dst="01:00:5e:00:00:01")
    base = [
        ip("224.0.0.1", IGMP(type=0x11, mrcode=100, gaddr="0.0.0.0")),
        ip("224.0.0.1", IGMP(type=0x11, mrcode=0, gaddr="0.0.0.0")),  # v1 query
        ip("239.1.2.3", IGMP(type=0x12, gaddr="239.1.2.3")),  # v1 report
        ip("239.1.2.3", IGMP(type=0x16, gaddr="239.1.2.3")),  # v2 report
        ip("224.0.0.2", IGMP(type=0x17, gaddr="239.1.2.3")),  # leave
        ip("239.1.2.3", IGMP(type=0x11, mrcode=50, gaddr="239.1.2.3")),  # group query
        ip("224.0.0.1", IGMPv3(type=0x11, mrcode=100) / IGMPv3mq(gaddr="0.0.0.0", qrv=2, qqic=125)),
        ip("239.1.2.3", IGMPv3(type=0x11, mrcode=200) / IGMPv3mq(gaddr="239.1.2.3", s=1, srcaddrs=[V4_B, V4_C])),
        ip("224.0.0.22", IGMPv3(type=0x22) / IGMPv3mr(records=[
            IGMPv3gr(rtype=2, maddr="239.1.2.3"), IGMPv3gr(rtype=1, maddr="239.1.2.4", srcaddrs=[V4_B]),
            IGMPv3gr(rtype=3, maddr="239.1.2.5", srcaddrs=[V4_B, V4_C]), IGMPv3gr(rtype=4, maddr="239.1.2.6"),
            IGMPv3gr(rtype=5, maddr="239.1.2.7", srcaddrs=[V4_C]), IGMPv3gr(rtype=6, maddr="239.1.2.8"),
            IGMPv3gr(rtype=9, maddr="239.1.2.9")])),
        ip("224.0.0.1", IGMP(type=0x11, mrcode=128, gaddr="0.0.0.0")),
        ip("224.0.0.1", IGMPv3(type=0x11, mrcode=0x9a) / IGMPv3mq(gaddr="0.0.0.0", qqic=0x9a)),
        # mtrace, mresp, unknown types.
        ip(V4_B, Raw(bytes.fromhex("1f000000efe00001c6120001c6120002c612000300000000")), ttl=64),
        ip(V4_B, Raw(bytes.fromhex("1e000000efe00001c6120001c6120002c612000300000000")), ttl=64),
        ip("224.0.0.1", Raw(bytes.fromhex("99000000c6120001"))),
        ip("224.0.0.1", Raw(bytes.fromhex("11640000")), opts=False),  # too short
    ]
    for f in base:
        p.add(f)
    b = ip("224.0.0.1", IGMP(type=0x11, mrcode=100, gaddr="0.0.0.0", chksum=0x1234))
    p.add(b)
    p.add(eth(IPv6(src=V6_A, dst=V6_B, nh=2) / Raw(bytes.fromhex("1164ee9b00000000"))))
    for f in [base[0], base[7], base[8]]:
        p.add_every_cut(f, 38, 2)
    for f in base[:3] + base[6:9]:
        p.add_mutants(f, 38, 60, 6, rng)
    return p


# ---------------------------------------------------------------- GRE

def gre_file():
    p = Pcap()
    rng = random.Random(6)
    in4 = IP(src=V4_C, dst=V4_B, id=3) / ICMP(id=1, seq=1)
    in6 = IPv6(src=V6_A, dst=V6_B) / ICMPv6EchoRequest(id=1, seq=1)
    def outer(g):
        return eth(IP(src=V4_A, dst=V4_B, id=2) / g)
    base = [
        outer(GRE() / in4),
        outer(GRE(key_present=1, key=0x1234) / in4),
        outer(GRE(seqnum_present=1, seqence_number=7) / in4),
        outer(GRE(chksum_present=1, key_present=1, seqnum_present=1, key=1, seqence_number=2) / in4),
        outer(GRE() / in6),
        outer(GRE(proto=0x6558) / Ether(src=MAC_B, dst=MAC_A) / in4),
        outer(GRE(proto=0x8847) / MPLS(label=100, s=1) / in4),
        outer(GRE(proto=0x0806) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B)),
        outer(GRE(proto=0x88be) / Raw(b"\x10\x00\x00\x01" + b"x" * 8)),  # ERSPAN
        outer(GRE(proto=0x1234) / Raw(b"unknown payload")),
        outer(GRE(routing_present=1) / Raw(b"\x00\x00\x00\x00") / in4),
        outer(GRE(strict_route_source=1, recursion_control=3, flags=5) / in4),
        outer(GRE(version=1, proto=0x880b, key_present=1, seqnum_present=1)
              / Raw(bytes.fromhex("0004 0001 00000001")) / PPP(proto=0x21) / in4),
        outer(GRE_PPTP(payload_len=4, call_id=1, seqnum_present=1, sequence_number=2,
                       acknum_present=1, ack_number=3) / Raw(b"\xff\x03\x00\x21")),
        outer(GRE_PPTP(payload_len=0, call_id=9, seqnum_present=0, acknum_present=1, ack_number=3)),
        outer(GRE(version=2) / in4),
        eth(IPv6(src=V6_A, dst=V6_B) / GRE() / in4),
    ]
    for f in base:
        p.add(f)
    for f in [base[3], base[12], base[13]]:
        p.add_every_cut(f, 34, 1)
    for f in base[:4]:
        p.add_mutants(f, 34, 46, 6, rng)
    return p


# ---------------------------------------------------------------- IPv4

def ip_file():
    p = Pcap()
    rng = random.Random(7)
    udp = UDP(sport=1024, dport=4000) / Raw(b"payload!")
    def ip(**kw):
        return IP(src=V4_A, dst=V4_B, id=kw.pop("id", 1), **kw)
    base = [
        eth(ip() / udp),
        eth(ip(tos=0x10) / udp), eth(ip(tos=0x01) / udp), eth(ip(tos=0x02) / udp), eth(ip(tos=0xb8 | 3) / udp),
        eth(ip(ttl=0) / udp), eth(ip(flags="DF") / udp), eth(ip(flags="evil") / udp),
        # Options: every kind tcpdump names, and malformed ones.
        eth(ip(options=[b"\x01\x01\x01\x00"]) / udp),  # NOP NOP NOP EOL
        eth(ip(options=[b"\x07\x0b\x04" + bytes([198, 18, 0, 9]) + bytes(4) + b"\x00"]) / udp),  # RR
        eth(ip(options=[b"\x83\x0b\x08" + bytes([198, 18, 0, 9]) + bytes([198, 18, 0, 10]) + b"\x00"]) / udp),  # LSRR
        eth(ip(options=[b"\x89\x07\x04" + bytes([198, 18, 0, 9]) + b"\x00"]) / udp),  # SSRR
        eth(ip(options=[b"\x94\x04\x00\x00"]) / udp),  # RA
        eth(ip(options=[b"\x94\x04\x00\x01"]) / udp),  # RA value
        eth(ip(options=[b"\x44\x0c\x05\x00" + bytes(8)]) / udp),  # TS only
        eth(ip(options=[b"\x44\x14\x0d\x01" + bytes([198, 18, 0, 9]) + bytes(4) + bytes(8)]) / udp),  # TS+ADDR
        eth(ip(options=[b"\x44\x0c\x05\x13" + bytes(8)]) / udp),  # hops overflowed
        eth(ip(options=[b"\x44\x0c\x05\x02" + bytes(8)]) / udp),  # bad type
        eth(ip(options=[b"\x82\x0b" + bytes(9)]) / udp),  # security
        eth(ip(options=[b"\x52\x0c" + bytes(10)]) / udp),  # traceroute
        eth(ip(options=[b"\x9e\x04\x00\x00"]) / udp),  # unknown
        eth(ip(options=[b"\x07\x01\x00\x00"]) / udp),  # bad length 1
        eth(ip(options=[b"\x07\x28\x00\x00"]) / udp),  # length past the options
        eth(ip(options=[b"\x07\x03\x04\x00"]) / udp),  # RR too short for an address
        # Fragments: first, middle, last; non-TCP/UDP protocols.
        eth(ip(flags="MF", id=5) / UDP(sport=1, dport=2) / Raw(b"x" * 24)),
        eth(IP(src=V4_A, dst=V4_B, id=5, flags="MF", frag=4, proto=17) / Raw(b"x" * 24)),
        eth(IP(src=V4_A, dst=V4_B, id=5, frag=7, proto=17) / Raw(b"x" * 8)),
        eth(IP(src=V4_A, dst=V4_B, id=6, frag=3, proto=6) / Raw(b"x" * 8)),
        eth(IP(src=V4_A, dst=V4_B, proto=99) / Raw(b"unknown protocol")),
        eth(IP(src=V4_A, dst=V4_B, proto=94) / Raw(b"x" * 20)),
        eth(IP(src=V4_A, dst=V4_B, proto=255) / Raw(b"x" * 4)),
        eth(IP(src=V4_A, dst=V4_B, proto=59) / Raw(b"")),
        # IP in IP, IPv6 in IP (6in4).
        eth(IP(src=V4_A, dst=V4_B) / IP(src=V4_C, dst=V4_B) / udp),
        eth(IP(src=V4_A, dst=V4_B) / IPv6(src=V6_A, dst=V6_B) / udp),
    ]
    for f in base:
        p.add(f)
    # Damaged headers: bad checksum, bad lengths, bad versions.
    good = bytes(eth(ip() / udp))
    def patch(frame, at, value):
        b = bytearray(frame)
        b[at:at + len(value)] = value
        return bytes(b)
    p.add(patch(good, 24, b"\x12\x34"))  # checksum
    p.add(patch(good, 16, b"\x00\x10"))  # total length below the header
    p.add(patch(good, 16, b"\x01\x00"))  # total length past the frame
    p.add(patch(good, 14, b"\x44"))  # header length 16
    p.add(patch(good, 14, b"\x40"))  # header length 0
    p.add(patch(good, 14, b"\x46"))  # header length 24, options cut
    p.add(patch(good, 14, b"\x55"))  # version 5
    p.add(patch(good, 14, b"\x65"))  # version 6 behind an IPv4 type
    p.add(patch(good, 14, b"\x05"))
    # Snapshot cuts through the header, options and payload.
    for f in [base[0], base[9], base[14]]:
        p.add_every_cut(f, 14, 1)
    # The wire length shorter than the IP length (a frame cut on the wire).
    p.add(good, wire=len(good) - 4)
    for f in base[:3]:
        p.add_mutants(f, 14, 34, 10, rng)
    return p


# ---------------------------------------------------------------- IPv6

def ip6_file():
    p = Pcap()
    rng = random.Random(8)
    udp = UDP(sport=1024, dport=4000) / Raw(b"payload!")
    tcp = TCP(sport=1024, dport=5000, flags="S")
    def v6(*layers, **kw):
        pkt = IPv6(src=V6_A, dst=V6_B, **kw)
        for l in layers:
            pkt = pkt / l
        return eth(pkt)
    base = [
        v6(udp), v6(udp, tc=0xb8), v6(udp, fl=0x12345), v6(udp, tc=3, fl=1, hlim=1),
        v6(IPv6ExtHdrHopByHop(options=[RouterAlert()]), udp),
        v6(IPv6ExtHdrHopByHop(options=[Pad1(), PadN(optdata=b"\x00\x00\x00")]), udp),
        v6(IPv6ExtHdrHopByHop(options=[PadN(otype=0x3e, optdata=b"\x00\x00\x00\x00")]), tcp),
        v6(IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00\x00\x00\x00")]), udp),
        v6(IPv6ExtHdrDestOpt(options=[PadN(otype=0xc9, optdata=bytes(16) + b"\x00\x00")]), udp),
        v6(IPv6ExtHdrRouting(addresses=[V6_A, "2001:db8::3"]), udp),
        v6(IPv6ExtHdrRouting(type=2, addresses=[V6_A]), udp),
        v6(IPv6ExtHdrSegmentRouting(addresses=[V6_B, "2001:db8::4"]), udp),
        v6(IPv6ExtHdrRouting(type=3, addresses=[V6_A]), udp),
        v6(IPv6ExtHdrFragment(id=0x1234, m=1), udp),
        v6(IPv6ExtHdrFragment(id=0x1234, offset=100, nh=17), Raw(b"x" * 16)),
        v6(IPv6ExtHdrHopByHop(), IPv6ExtHdrRouting(addresses=[V6_A]), IPv6ExtHdrFragment(), IPv6ExtHdrDestOpt(), tcp),
        v6(IPv6ExtHdrHopByHop(), IPv6ExtHdrHopByHop(), udp),
        v6(IPv6ExtHdrDestOpt(), IPv6ExtHdrHopByHop(), udp),
        v6(Raw(bytes.fromhex("3b00 0000 0000 0000")), nh=135),  # mobility BRR
        v6(Raw(bytes.fromhex("3b01 0500 0000 0007 8000 0004 0104 0000")), nh=135),  # BU
        v6(Raw(bytes.fromhex("3b01 0600 0000 8000 0007 0004 0000")), nh=135),  # BA
        v6(Raw(bytes.fromhex("3b01 0100 0000 0000 0102 0304 0506 0708")), nh=135),  # HoTI
        v6(AH(spi=0x100, seq=1, icv=b"\x01\x02\x03\x04"), udp),
        v6(Raw(bytes.fromhex("00000100000000020102030405060708")), nh=50),  # ESP
        v6(Raw(bytes.fromhex("11000001")), nh=108),  # IPComp
        v6(IPv6(src="2001:db8::5", dst="2001:db8::6") / udp),  # 6in6
        v6(IP(src=V4_A, dst=V4_B) / udp),  # 4in6
        v6(Raw(b""), nh=59),
        v6(Raw(bytes.fromhex("0800000000000000")), nh=1),  # ICMP over IPv6
        v6(Raw(b"xx"), nh=2),
        v6(Raw(b"unknown"), nh=253),
    ]
    for f in base:
        p.add(f)
    good = bytes(v6(udp))
    def patch(frame, at, value):
        b = bytearray(frame)
        b[at:at + len(value)] = value
        return bytes(b)
    p.add(patch(good, 14, b"\x40"))  # version 4 behind IPv6's type
    p.add(patch(good, 14, b"\x70"))
    p.add(patch(good, 18, b"\x00\x00"))  # payload length 0, no jumbo option
    p.add(patch(good, 18, b"\x01\x00"))  # payload length past the frame
    p.add(patch(good, 18, b"\x00\x04"))  # shorter than the UDP header
    # A jumbogram: payload length 0 and a jumbo option.
    jumbo = IPv6(src=V6_A, dst=V6_B, plen=0) / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000)]) / UDP(sport=1, dport=2, len=0) / Raw(b"x" * 8)
    p.add(eth(jumbo), wire=70054)
    for f in [base[4], base[9], base[11], base[13], base[15]]:
        p.add_every_cut(f, 54, 2)
    for f in base[:2]:
        p.add_mutants(f, 14, 54, 8, rng)
    # Ethernet in IPv6 (protocol 143, SRv6), and the same in IPv4 (invalid).
    inner_eth = Ether(src=MAC_B, dst=MAC_A) / IPv6(src="2001:db8::5", dst="2001:db8::6") / udp
    p.add(v6(Raw(bytes(inner_eth)), nh=143))
    p.add_every_cut(v6(Raw(bytes(inner_eth)), nh=143), 54, 4)
    p.add(eth(IP(src=V4_A, dst=V4_B, proto=143) / Raw(bytes(inner_eth))))
    return p


# ---------------------------------------------------------------- ICMP

def icmp_file():
    p = Pcap()
    rng = random.Random(9)
    inner_udp = IP(src=V4_B, dst=V4_C, id=9) / UDP(sport=1024, dport=33434) / Raw(b"x" * 8)
    inner_tcp = IP(src=V4_B, dst=V4_C, id=9) / TCP(sport=1024, dport=80, flags="S")
    def icmp(*layers):
        pkt = IP(src=V4_A, dst=V4_B, id=3) / layers[0]
        for l in layers[1:]:
            pkt = pkt / l
        return eth(pkt)
    base = [icmp(ICMP(type=8, id=1, seq=2) / Raw(b"abcdefgh")), icmp(ICMP(type=0, id=1, seq=2))]
    for code in range(0, 17):
        base.append(icmp(ICMP(type=3, code=code), inner_udp))
    base.append(icmp(ICMP(type=3, code=3), inner_tcp))
    base.append(icmp(ICMP(type=3, code=3), IP(src=V4_B, dst=V4_C, proto=47) / Raw(b"\x00" * 8)))
    base.append(icmp(ICMP(type=3, code=4, nexthopmtu=1400), inner_udp))
    base.append(icmp(ICMP(type=4), inner_udp))
    for code in range(0, 5):
        base.append(icmp(ICMP(type=5, code=code, gw="198.18.0.99"), inner_udp))
    base.append(icmp(ICMP(type=9) / Raw(bytes.fromhex("02020708 c6120063 00000001 c6120064 00000002"))))
    base.append(icmp(ICMP(type=9) / Raw(bytes.fromhex("01030e10 c6120063 00000001"))))
    base.append(icmp(ICMP(type=9) / Raw(bytes.fromhex("01020000 c6120063 00000001"))))
    base.append(icmp(ICMP(type=10)))
    for code in range(0, 3):
        base.append(icmp(ICMP(type=11, code=code), inner_udp))
    base.append(icmp(ICMP(type=12, code=0, ptr=20), inner_udp))
    base.append(icmp(ICMP(type=12, code=1), inner_udp))
    base.append(icmp(ICMP(type=13, id=5, seq=6, ts_ori=1000, ts_rx=0, ts_tx=0)))
    base.append(icmp(ICMP(type=14, id=5, seq=6, ts_ori=3600123, ts_rx=86399999, ts_tx=45296789)))
    base.append(icmp(ICMP(type=15)))
    base.append(icmp(ICMP(type=16)))
    base.append(icmp(ICMP(type=17)))
    base.append(icmp(ICMP(type=18, addr_mask="255.255.255.0")))
    base.append(icmp(ICMP(type=42)))
    base.append(icmp(ICMP(type=200, code=7)))
    # RFC 4884 extensions: an MPLS label stack after a 128-byte quote.
    quote = bytes(inner_udp) + bytes(128 - len(bytes(inner_udp)))
    ext = bytes.fromhex("2000 0000 0008 0101 0006 41ff")
    import struct as st
    def csum(b):
        s = sum(st.unpack("!%dH" % (len(b) // 2), b + (b"\x00" if len(b) % 2 else b"")))
        while s >> 16:
            s = (s & 0xffff) + (s >> 16)
        return ~s & 0xffff
    ext = ext[:2] + st.pack("!H", csum(ext)) + ext[4:]
    base.append(icmp(ICMP(type=11, code=0, length=32) / Raw(quote + ext)))
    base.append(icmp(ICMP(type=3, code=1, length=32) / Raw(quote + bytes.fromhex("2000 0000 0008 0202 0000 0000"))))
    for f in base:
        p.add(f)
    b = icmp(ICMP(type=8, id=1, seq=3, chksum=0x1234))
    p.add(b)
    for f in [base[0], base[5], base[19], base[30], base[-2]]:
        p.add_every_cut(f, 34, 2)
    for f in base[:3]:
        p.add_mutants(f, 34, 62, 8, rng)
    return p


# ---------------------------------------------------------------- UDP

def udp_file():
    p = Pcap()
    base = [
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000, chksum=0) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000, chksum=0x1234) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000, len=100) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000, len=4) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=1024, dport=4000, len=12) / Raw(b"x" * 10)),
        eth(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000) / Raw(b"x" * 10)),
        eth(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000, chksum=0x1234) / Raw(b"x" * 10)),
        eth(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000, chksum=0) / Raw(b"x" * 10)),
        eth(IP(src=V4_A, dst=V4_B, proto=17) / Raw(b"\x04\x00\x0f")),
        eth(IP(src=V4_A, dst=V4_B) / UDP(sport=40000, dport=40001)),
    ]
    for f in base:
        p.add(f)
    for f in base[:1] + base[6:7]:
        p.add_every_cut(f, 34, 1)
    return p


# ---------------------------------------------------------------- link layer: LLC, SNAP, STP, 802.3

def llc_file():
    p = Pcap()
    rng = random.Random(10)
    stp_dst = "01:80:c2:00:00:00"
    def dot3(payload, dst=stp_dst):
        return Dot3(src=MAC_A, dst=dst) / payload
    stp_cfg = STP(rootid=0x8000, rootmac=MAC_A, pathcost=4, bridgeid=0x8000, bridgemac=MAC_B, portid=0x8001,
                  age=1, maxage=20, hellotime=2, fwddelay=15)
    rstp = bytes.fromhex("0000 02 02 3c") + bytes.fromhex("8000020000000001 00000004 8000020000000002 8001 0100 1400 0200 0f00 00")
    mstp = (bytes.fromhex("0000 03 02 7c") + bytes.fromhex("8000020000000001 00000004 8000020000000002 8001 0000 1400 0200 0f00 00")
            + bytes.fromhex("0050") + b"\x00" + b"region-one".ljust(32, b"\x00") + bytes.fromhex("0001")
            + bytes(range(16)) + bytes.fromhex("00000000") + bytes.fromhex("8000020000000002") + bytes.fromhex("14")
            + bytes.fromhex("7c 8001020000000003 00000010 80 80 14"))
    base = [
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / stp_cfg),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / STP(bpdutype=0x80)),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(rstp)),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(mstp)),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(bytes.fromhex("0000 05 00"))),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(bytes.fromhex("0001 00 00"))),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(bytes.fromhex("0000 00 00 00"))),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(bytes.fromhex("0000 02 07"))),
        # LLC U, S and I frames on other SAPs.
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800) / IP(src=V4_A, dst=V4_B) / UDP(sport=1, dport=2), dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0806) / ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B), dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x1234) / Raw(b"x" * 8), dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x010b) / stp_cfg, dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x9999) / Raw(b"x" * 8), dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x123456, code=0x0001) / Raw(b"x" * 8), dst=MAC_B),
        dot3(LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x0080c2, code=0x000e) / stp_cfg, dst=MAC_B),
        dot3(LLC(dsap=0x06, ssap=0x06, ctrl=3) / IP(src=V4_A, dst=V4_B) / UDP(sport=1, dport=2), dst=MAC_B),
        dot3(LLC(dsap=0xf0, ssap=0xf1, ctrl=0xaf) / Raw(b"\x81\x01\x00"), dst=MAC_B),  # XID response
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=0xbf) / Raw(b"\x81\x01\x00"), dst=MAC_B),  # XID poll
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=0xaf) / Raw(b"\x82"), dst=MAC_B),
        dot3(LLC(dsap=0x42, ssap=0x42, ctrl=0xe3) / Raw(b"test data"), dst=MAC_B),  # TEST
        dot3(LLC(dsap=0x04, ssap=0x05, ctrl=0x63), dst=MAC_B),  # UA response
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x6f), dst=MAC_B),  # SABME
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x43), dst=MAC_B),
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x0f), dst=MAC_B),
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x87), dst=MAC_B),
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x53), dst=MAC_B),
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=1) / Raw(b"\x0a"), dst=MAC_B),  # RR (2-byte control)
        dot3(LLC(dsap=0x04, ssap=0x05, ctrl=5) / Raw(b"\x0b"), dst=MAC_B),  # RNR
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=9) / Raw(b"\x00"), dst=MAC_B),  # REJ
        dot3(LLC(dsap=0x04, ssap=0x04, ctrl=0x0a) / Raw(b"\x15data"), dst=MAC_B),  # I frame
        dot3(LLC(dsap=0x55, ssap=0x77, ctrl=3) / Raw(b"x" * 8), dst=MAC_B),  # unknown SAPs
        dot3(LLC(dsap=0x43, ssap=0x42, ctrl=3) / Raw(b"x" * 8), dst=MAC_B),  # group DSAP
        dot3(Raw(b"\x42"), dst=MAC_B),
        dot3(Raw(b"\x42\x42"), dst=MAC_B),
        dot3(Raw(b"\x04\x04\x00"), dst=MAC_B),
        Ether(src=MAC_A, dst=MAC_B, type=0x8870) / LLC(dsap=0x04, ssap=0x04, ctrl=3) / Raw(b"jumbo"),
    ]
    for f in base:
        p.add(f)
    # An 802.3 length larger than the frame, and padding after a short one.
    f = bytearray(bytes(base[0]))
    f[12:14] = b"\x05\xdc"
    p.add(bytes(f))
    f = bytes(Dot3(src=MAC_A, dst=MAC_B, len=3) / LLC(dsap=0x04, ssap=0x04, ctrl=0x43)) + b"\x00" * 40
    p.add(f)
    for f in [base[0], base[3], base[8]]:
        p.add_every_cut(f, 14, 3)
    for f in base[:4]:
        p.add_mutants(f, 14, 40, 8, rng)
    # Cisco's DTP, UDLD and VTP over SNAP.
    def cisco(pid, body):
        return Dot3(src=MAC_A, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) \
            / SNAP(OUI=0x00000c, code=pid) / Raw(body)
    def tlv16(ty, value, hdr=4):
        return struct.pack(">HH", ty, len(value) + hdr) + value
    dtp = cisco(0x2004, b"\x01" + tlv16(1, b"lab\x00\x00\x00") + tlv16(2, b"\x03") + tlv16(3, b"\xa5")
                + tlv16(4, bytes.fromhex("020000000001")) + tlv16(9, b"xyz"))
    udld = cisco(0x0111, b"\x21\x03" + b"\x12\x34" + tlv16(1, b"FOX1234") + tlv16(2, b"Gi0/1")
                 + tlv16(3, b"\x00\x00\x00\x01ab") + tlv16(4, b"\x07") + tlv16(5, b"\x05")
                 + tlv16(6, b"switch-a") + tlv16(7, struct.pack(">I", 99)) + tlv16(12, b"zz"))
    domain = b"lab".ljust(32, b"\x00")
    vlan1 = struct.pack(">BBBBHHI", 28, 0, 1, 7, 1, 1500, 0x100001) + b"default\x00" \
        + bytes.fromhex("0601 0001 0301 0002")
    vlan2 = struct.pack(">BBBBHHI", 32, 1, 3, 4, 1002, 1500, 0x100002) + b"fddi" \
        + bytes.fromhex("0101 0010 0901 0007 0701 0001 0a01 0000")
    vtp_sum = cisco(0x2003, b"\x01\x01\x01\x03" + domain + struct.pack(">I", 5) + bytes([198, 18, 0, 1])
                    + b"930301000000" + bytes(range(16)))
    vtp_sub = cisco(0x2003, b"\x02\x02\x01\x03" + domain + struct.pack(">I", 5) + vlan1 + vlan2)
    for f in [
        dtp, udld, vtp_sum, vtp_sub,
        cisco(0x2004, b"\x01" + tlv16(2, b"\x03\x00")),  # bad status length
        cisco(0x2004, b"\x01" + struct.pack(">HH", 1, 2)),  # TLV length below 4
        cisco(0x2004, b"\x01\x00\x00\x00\x00"),  # type 0 ends the list
        cisco(0x2004, b"\x01\x00\x01"),  # two bytes left
        cisco(0x0111, b"\x21\x00\x00\x00" + struct.pack(">HH", 1, 4)),  # TLV length 4
        cisco(0x0111, b"\x42\xff\x00\x00" + tlv16(7, b"\x00\x01")),  # bad sequence length
        cisco(0x0111, b"\x21"),
        cisco(0x2003, b"\x01\x03\x00\x03" + domain + struct.pack(">I", 1)),  # advertisement request
        cisco(0x2003, b"\x01\x04\x00\x03" + domain),  # join
        cisco(0x2003, b"\x01\x01\x00\x00" + domain + bytes(36)),  # domain length 0
        cisco(0x2003, b"\x02\x02\x01\x03" + domain + struct.pack(">I", 5)
              + struct.pack(">BBBBHHI", 16, 0, 1, 4, 2, 1500, 0) + b"ab\x00\x00"
              + bytes.fromhex("0602 0001")),  # TLV too long for the VLAN info
        cisco(0x2003, b"\x01\x01"),
    ]:
        p.add(f)
    for f in [dtp, udld, vtp_sub]:
        p.add_every_cut(f, 22, 5)
    return p


# ---------------------------------------------------------------- MPLS

def mpls_file():
    p = Pcap()
    inner = IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=1024, dport=4000) / Raw(b"x" * 8)
    def m(*labels, payload=inner, et=0x8847):
        pkt = Ether(src=MAC_A, dst=MAC_B, type=et)
        stack = None
        for i, (l, ttl) in enumerate(labels):
            e = MPLS(label=l, ttl=ttl, cos=i % 8, s=1 if i == len(labels) - 1 else 0)
            stack = e if stack is None else stack / e
        return pkt / stack / payload
    base = [
        m((16, 64)), m((16, 64), (17, 63)), m((100, 1), (200, 2), (300, 3)),
        m((0, 64)), m((2, 64), payload=IPv6(src=V6_A, dst=V6_B) / UDP(sport=1, dport=2)),
        m((3, 64)), m((1, 64), (16, 64)),
        m((16, 64), payload=IPv6(src=V6_A, dst=V6_B) / UDP(sport=1, dport=2)),
        m((16, 64), payload=Raw(b"\x00unknown payload")),
        m((16, 64), payload=Raw(b"")),
        m((1048575, 255), et=0x8848),
    ]
    for f in base:
        p.add(f)
    p.add(Ether(src=MAC_A, dst=MAC_B, type=0x8847) / Raw(b"\x00\x01\x00"))
    for f in base[:3]:
        p.add_every_cut(f, 14, 2)
    # MPLS in UDP (port 6635, RFC 7510), either direction.
    over_udp = eth(IP(src=V4_A, dst=V4_B) / UDP(sport=50001, dport=6635) / MPLS(label=21, s=1, ttl=63) / inner)
    p.add(over_udp)
    p.add(eth(IP(src=V4_B, dst=V4_A) / UDP(sport=6635, dport=49152) / MPLS(label=22, s=0, ttl=63)
              / MPLS(label=3, s=1, ttl=1) / inner))
    p.add_every_cut(over_udp, 42, 2)
    return p


# ---------------------------------------------------------------- PPPoE and PPP

def pppoe_file():
    p = Pcap()
    ip4 = IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=1024, dport=4000) / Raw(b"x" * 8)
    def disc(code, tags, sid=0):
        return Ether(src=MAC_A, dst=MAC_B, type=0x8863) / PPPoED(code=code, sessionid=sid) / Raw(tags)
    def sess(payload, sid=0x11):
        return Ether(src=MAC_A, dst=MAC_B, type=0x8864) / PPPoE(sessionid=sid) / payload
    tag = lambda t, v: struct.pack(">HH", t, len(v)) + v
    base = [
        disc(0x09, tag(0x0101, b"") + tag(0x0103, b"\x01\x02\x03\x04")),
        disc(0x07, tag(0x0102, b"access-concentrator") + tag(0x0101, b"isp") + tag(0x0104, bytes(16))),
        disc(0x19, tag(0x0101, b"isp") + tag(0x0103, b"\x01\x02")),
        disc(0x65, tag(0x0101, b"isp"), sid=0x11),
        disc(0xa7, b"", sid=0x11),
        disc(0xa7, tag(0x0203, b"session closed"), sid=0x11),
        disc(0x09, tag(0x0120, b"\x05\xdc") + tag(0x0110, b"\xab\xcd") + tag(0x9999, b"odd tag") + tag(0, b"")),
        disc(0x42, b""),
        sess(PPP(proto=0x21) / ip4),
        sess(PPP(proto=0x57) / IPv6(src=V6_A, dst=V6_B) / UDP(sport=1, dport=2)),
        sess(PPP(proto=0xc021) / PPP_LCP_Configure(code=1, id=1, options=[PPP_LCP_MRU_Option(max_recv_unit=1492), PPP_LCP_Magic_Number_Option(magic_number=0x12345678)])),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0102001a 0104 05d4 0206 00000000 0304c023 0506 12345678 0702 0802"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0103000e 0305c22305 0d0306 1a04"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("09070008 12345678"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0a07000c 12345678 01020304"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("05080004"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0809000a 8021 01010004"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0c0a000e 12345678 68656c6c6f"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("0d0b000c 12345678 0000003c"))),
        sess(PPP(proto=0xc021) / Raw(bytes.fromhex("ff0c0004"))),
        sess(PPP(proto=0x8021) / PPP_IPCP(code=1, id=2, options=[PPP_IPCP_Option_IPAddress(data=V4_A)])),
        sess(PPP(proto=0x8021) / Raw(bytes.fromhex("0103001c 0306 c6120001 8106 c6120053 8306 c6120054 0206 002d0f01"))),
        sess(PPP(proto=0x8057) / Raw(bytes.fromhex("0104000e 010a 0200 00ff fe00 0001"))),
        sess(PPP(proto=0xc223) / Raw(bytes.fromhex("01050015 10") + bytes(range(16)) + b"")),
        sess(PPP(proto=0xc223) / Raw(bytes.fromhex("0205001a 10") + bytes(range(16)) + b"user")),
        sess(PPP(proto=0xc223) / Raw(bytes.fromhex("03050008") + b"ok!!")),
        sess(PPP(proto=0xc223) / Raw(bytes.fromhex("04050004"))),
        sess(PPP(proto=0xc023) / Raw(bytes.fromhex("01060010 04") + b"user" + b"\x05" + b"pass1")),
        sess(PPP(proto=0xc023) / Raw(bytes.fromhex("02060008 03") + b"ok!")),
        sess(PPP(proto=0xc023) / Raw(bytes.fromhex("03060005 00"))),
        sess(PPP(proto=0x0281) / MPLS(label=5, s=1) / ip4),
        sess(PPP(proto=0x00fd) / Raw(b"compressed")),
        sess(PPP(proto=0x1234) / Raw(b"unknown protocol")),
        sess(Raw(bytes.fromhex("21")) / ip4),  # a compressed protocol field
        Ether(src=MAC_A, dst=MAC_B, type=0x8864) / Raw(b"\x11\x00\x00\x11\x00"),
        Ether(src=MAC_A, dst=MAC_B, type=0x8864) / Raw(b"\x21\x00\x00\x11\x00\x02\xc0\x21"),
        Ether(src=MAC_A, dst=MAC_B, type=0x8863) / Raw(b"\x11\x09\x00\x00\x00\x08" + tag(0x0101, b"x")),
    ]
    for f in base:
        p.add(f)
    for f in [base[1], base[8], base[11], base[21]]:
        p.add_every_cut(f, 14, 2)
    return p


# ---------------------------------------------------------------- other link types

def linktype_files():
    out = {}
    ip4 = bytes(IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=1024, dport=4000) / Raw(b"x" * 8))
    ip6 = bytes(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1024, dport=4000) / Raw(b"x" * 8))
    arp = bytes(ARP(op=1, hwsrc=MAC_A, psrc=V4_A, pdst=V4_B))
    tcp = bytes(IP(src=V4_A, dst=V4_B, id=2) / TCP(sport=1, dport=2, flags="S"))
    mac = bytes.fromhex("020000000001")
    # LINUX_SLL: pkttype, hatype, halen, address (8), protocol.
    p = Pcap(linktype=113)
    for pkt, proto in [(ip4, 0x0800), (ip6, 0x86dd), (arp, 0x0806), (tcp, 0x0800), (b"\x00" * 8, 0x1234),
                       (bytes.fromhex("424203") + bytes(STP()), 0x0004), (b"x", 0x0002),
                       (bytes.fromhex("0005 0800") + ip4, 0x8100), (bytes.fromhex("0005 0020") + bytes.fromhex("424203") + bytes(STP()), 0x8100)]:
        for pt in (0, 1, 2, 3, 4, 7):
            p.add(struct.pack(">HHH", pt, 1, 6) + mac + b"\x00\x00" + struct.pack(">H", proto) + pkt)
    p.add(struct.pack(">HHH", 0, 772, 0) + bytes(8) + struct.pack(">H", 0x0800) + ip4)
    p.add(struct.pack(">HHH", 0, 1, 6) + mac + b"\x00\x00" + struct.pack(">H", 0x0800) + ip4, caplen=10)
    p.add(struct.pack(">HHH", 0, 1, 6) + mac + b"\x00\x00" + struct.pack(">H", 0x0800) + ip4, caplen=20)
    out["sll"] = p
    # LINUX_SLL2: protocol, reserved, ifindex, hatype, pkttype, halen, address.
    p = Pcap(linktype=276)
    for pkt, proto in [(ip4, 0x0800), (ip6, 0x86dd), (arp, 0x0806), (tcp, 0x0800), (b"\x00" * 8, 0x1234),
                       (bytes.fromhex("424203") + bytes(STP()), 0x0004), (bytes.fromhex("0005 0800") + ip4, 0x8100)]:
        for ifindex in (1, 4321):
            for pt in (0, 4, 1):
                p.add(struct.pack(">HHIHBB", proto, 0, ifindex, 1, pt, 6) + mac + b"\x00\x00" + pkt)
    p.add(struct.pack(">HHIHBB", 0x0800, 0, 1, 772, 0, 0) + bytes(8) + ip4)
    p.add(struct.pack(">HHIHBB", 0x0800, 0, 1, 1, 0, 6) + mac + b"\x00\x00" + ip4, caplen=12)
    out["sll2"] = p
    # NULL (host order) and LOOP (network order).
    for name, lt, order in (("null", 0, "<"), ("loop", 108, ">")):
        p = Pcap(linktype=lt)
        for fam, pkt in ((2, ip4), (24, ip6), (28, ip6), (30, ip6), (2, tcp), (99, b"unknown family")):
            p.add(struct.pack(order + "I", fam) + pkt)
        p.add(struct.pack(">I", 2) + ip4)
        p.add(struct.pack(order + "I", 2) + ip4, caplen=3)
        p.add(struct.pack(order + "I", 2) + ip4, caplen=10)
        out[name] = p
    # RAW, IPV4, IPV6.
    for name, lt, pkts in (("raw", 101, [ip4, ip6, tcp, b"\x00abc", b"\x50"]), ("ipv4", 228, [ip4, tcp]),
                           ("ipv6", 229, [ip6])):
        p = Pcap(linktype=lt)
        for pkt in pkts:
            p.add(pkt)
            p.add(pkt, caplen=10)
        out[name] = p
    return out


# ---------------------------------------------------------------- IPsec

def ipsec_file():
    p = Pcap()
    udp = UDP(sport=1024, dport=4000) / Raw(b"x" * 8)
    base = [
        eth(IP(src=V4_A, dst=V4_B) / AH(spi=0x1000, seq=5, icv=bytes(12)) / udp),
        eth(IP(src=V4_A, dst=V4_B) / AH(spi=0x1000, seq=5, icv=bytes(12), nh=6) / TCP(sport=1, dport=2, flags="S")),
        eth(IP(src=V4_A, dst=V4_B, proto=51) / Raw(bytes.fromhex("1103 1234 00001000 00000005 0102030405060708090a0b0c") + bytes(udp))),
        eth(IP(src=V4_A, dst=V4_B, proto=50) / Raw(bytes.fromhex("00001001 00000007") + bytes(32))),
        eth(IP(src=V4_A, dst=V4_B, proto=50) / Raw(bytes.fromhex("00001001 00000007"))),
        eth(IP(src=V4_A, dst=V4_B, proto=108) / Raw(bytes.fromhex("0400 abcd") + bytes(20))),
        eth(IP(src=V4_A, dst=V4_B) / AH(spi=0x1000, seq=5, icv=bytes(12), nh=50) / Raw(bytes.fromhex("00001001 00000007") + bytes(16))),
    ]
    for f in base:
        p.add(f)
    for f in base[:1] + base[3:4] + base[5:6]:
        p.add_every_cut(f, 34, 2)
    # ESP in UDP (NAT traversal, port 4500): ESP, keep-alive, the non-ESP
    # marker (IKE), too short for either, over IPv4 and IPv6.
    def natt(body, v6=False, sport=4500, dport=4500):
        ip = IPv6(src=V6_A, dst=V6_B) if v6 else IP(src=V4_A, dst=V4_B)
        return eth(ip / UDP(sport=sport, dport=dport) / Raw(body))
    esp_udp = natt(bytes.fromhex("00000100 00000007") + bytes(24))
    for f in [
        esp_udp,
        natt(bytes.fromhex("00000100 00000007") + bytes(24), v6=True),
        natt(bytes.fromhex("00000100 00000007"), sport=1025),
        natt(bytes.fromhex("00000100 0000"), dport=1026),
        natt(b"\xff"),
        natt(b"\x01"),
        natt(b""),
        natt(b"\xff\xff"),
        natt(bytes.fromhex("000000")),
        natt(bytes.fromhex("00000000")),
        natt(bytes.fromhex("00000000") + bytes(10)),
    ]:
        p.add(f)
    p.add_every_cut(esp_udp, 34, 1)
    return p


# ---------------------------------------------------------------- SCTP

def sctp_file():
    p = Pcap()
    rng = random.Random(11)
    def sc(*chunks, v6=False, sport=5000, dport=5001):
        pkt = SCTP(sport=sport, dport=dport, tag=0x1234)
        for c in chunks:
            pkt = pkt / c
        ip = IPv6(src=V6_A, dst=V6_B) if v6 else IP(src=V4_A, dst=V4_B, id=1)
        return eth(ip / pkt)
    base = [
        sc(SCTPChunkInit(init_tag=1, a_rwnd=65535, n_out_streams=10, n_in_streams=10, init_tsn=100)),
        sc(SCTPChunkInitAck(init_tag=2, a_rwnd=65535, n_out_streams=5, n_in_streams=5, init_tsn=200)),
        sc(SCTPChunkCookieEcho(cookie=b"cookie!!")),
        sc(SCTPChunkCookieAck()),
        sc(SCTPChunkData(tsn=100, stream_id=1, stream_seq=0, proto_id=0, data=b"hello world!")),
        sc(SCTPChunkData(tsn=101, stream_id=1, stream_seq=1, proto_id=5, beginning=0, ending=0, unordered=1, data=b"x" * 17)),
        sc(SCTPChunkData(tsn=102, proto_id=46, data=b"y" * 4), SCTPChunkData(tsn=103, proto_id=18, data=b"z" * 4)),
        sc(SCTPChunkSACK(cumul_tsn_ack=100, a_rwnd=1000, n_gap_ack=2, n_dup_tsn=1, gap_ack_list=["2:3", "5:7"], dup_tsn_list=[99])),
        sc(SCTPChunkHeartbeatReq(params=b"\x00\x01\x00\x08\x01\x02\x03\x04")),
        sc(SCTPChunkHeartbeatAck(params=b"\x00\x01\x00\x08\x01\x02\x03\x04")),
        sc(SCTPChunkAbort()),
        sc(SCTPChunkShutdown(cumul_tsn_ack=100)),
        sc(SCTPChunkShutdownAck()),
        sc(SCTPChunkShutdownComplete()),
        sc(SCTPChunkError(error_causes=b"\x00\x01\x00\x08\x00\x00\x00\x00")),
        sc(Raw(bytes.fromhex("0c00 0008 00000064"))),  # ECN echo
        sc(Raw(bytes.fromhex("c000 0008 00000064"))),  # forward TSN
        sc(Raw(bytes.fromhex("4500 0005 01000000"))),  # unknown, padded
        sc(Raw(bytes.fromhex("0000 0002"))),  # bad chunk length
        sc(Raw(bytes.fromhex("0000 0010 0000"))),  # chunk past the packet
        sc(Raw(bytes.fromhex("00"))),
        sc(SCTPChunkData(tsn=1, data=b""), ),
        sc(SCTPChunkInit(init_tag=1), v6=True),
    ]
    for f in base:
        p.add(f)
    p.add(eth(IP(src=V4_A, dst=V4_B, proto=132) / Raw(b"\x13\x88\x13\x89")))
    for f in [base[0], base[4], base[7]]:
        p.add_every_cut(f, 34, 2)
    for f in base[:2]:
        p.add_mutants(f, 34, 60, 6, rng)
    return p


# ---------------------------------------------------------------- DCCP

def dccp_file():
    p = Pcap()
    def dc(ty, body, x=1, opts=b"", ccval=0, cscov=0, v6=False):
        hlen = (16 if x else 12) + len(body) + len(opts)
        hdr = struct.pack(">HHBBHB", 5000, 5001, hlen // 4, (ccval << 4) | cscov, 0, (ty << 1) | x)
        hdr += (b"\x00" + (123456789).to_bytes(6, "big")) if x else (1234).to_bytes(3, "big")
        payload = hdr + body + opts + b"data"
        ip = IPv6(src=V6_A, dst=V6_B, nh=33) if v6 else IP(src=V4_A, dst=V4_B, id=1, proto=33)
        return eth(ip / Raw(payload))
    ack = b"\x00\x00" + (987654321).to_bytes(6, "big")
    base = [
        dc(0, b"\x00\x00\x00\x2a"),
        dc(1, ack + b"\x00\x00\x00\x2a"),
        dc(2, b""),
        dc(3, ack),
        dc(4, ack, opts=bytes.fromhex("2c06 01020304")),
        dc(5, ack),
        dc(6, ack),
        dc(7, ack + b"\x02\x00\x00\x00"),
        dc(7, ack + b"\x63\x00\x00\x00"),
        dc(8, ack), dc(9, ack),
        dc(12, b""),
        dc(3, ack, opts=bytes.fromhex("00 01 02 2206 02 01 00 00 2904 0000 2906 00001000 2a08 00000001 0002 2b04 0010 8004 0001 2506 01020304")),
        dc(3, ack, opts=bytes.fromhex("2401")),
        dc(3, ack, ccval=3, cscov=1),
        dc(2, b"", x=0),
        dc(3, b"\x00" + (4321).to_bytes(3, "big"), x=0),
        dc(0, b"\x00\x00\x00\x07", v6=True),
    ]
    for f in base:
        p.add(f)
    p.add(eth(IP(src=V4_A, dst=V4_B, proto=33) / Raw(b"\x13\x88\x13\x89\x03")))
    for f in base[:2]:
        p.add_every_cut(f, 34, 2)
    return p


# ---------------------------------------------------------------- LLDP, CDP, EAPOL, slow protocols, loopback

def tlv7(ty, value):
    return struct.pack(">H", (ty << 9) | len(value)) + value


def lldp_file():
    p = Pcap()
    rng = random.Random(12)
    dst = "01:80:c2:00:00:0e"
    def l(*tlvs):
        return Ether(src=MAC_A, dst=dst, type=0x88cc) / Raw(b"".join(tlvs))
    chassis_mac = tlv7(1, b"\x04" + bytes.fromhex("020000000001"))
    port_name = tlv7(2, b"\x05eth0")
    ttl = tlv7(3, b"\x00\x78")
    end = tlv7(0, b"")
    base = [
        l(chassis_mac, port_name, ttl, tlv7(5, b"switch-1"), end),
        l(chassis_mac, port_name, ttl, tlv7(4, b"uplink port"), tlv7(5, b"switch-1"),
          tlv7(6, b"Example OS 1.0"), tlv7(7, bytes.fromhex("00140014")),
          tlv7(8, bytes.fromhex("05 01 c6120001 02 00000003 00")),
          tlv7(8, bytes.fromhex("11 02 20010db8000000000000000000000001 03 00000007 04 2b060102")),
          tlv7(127, bytes.fromhex("0080c2 01 0064")),
          tlv7(127, bytes.fromhex("0080c2 02 06 0065")),
          tlv7(127, bytes.fromhex("0080c2 03 0064 05") + b"vlan1"),
          tlv7(127, bytes.fromhex("0080c2 04 04") + b"stp!"),
          tlv7(127, bytes.fromhex("0080c2 07 03 00000005")),
          tlv7(127, bytes.fromhex("00120f 01 03 6c01 0010")),
          tlv7(127, bytes.fromhex("00120f 02 07 01 03")),
          tlv7(127, bytes.fromhex("00120f 03 01 00000004")),
          tlv7(127, bytes.fromhex("00120f 04 05ee")),
          tlv7(127, bytes.fromhex("123456 01 0203")),
          tlv7(9, b"unknown tlv"), end),
        l(tlv7(1, b"\x07local chassis"), tlv7(2, b"\x03" + bytes.fromhex("020000000002")), ttl, end),
        l(tlv7(1, b"\x05\x01\xc6\x12\x00\x01"), tlv7(2, b"\x04\x02" + bytes(16)), ttl, end),
        l(tlv7(1, b"\x05\x06" + bytes.fromhex("020000000003")), tlv7(2, b"\x04\x09\x01\x02"), ttl, end),
        l(tlv7(1, b"\x09zz"), tlv7(2, b"\x01x"), ttl, end),
        l(tlv7(1, b"\x04"), end),
        l(tlv7(3, b"\x00"), end),
        l(tlv7(7, b"\x00\x14"), end),
        l(tlv7(8, b"\x05"), end),
        l(tlv7(127, b"\x00\x80"), end),
        l(chassis_mac, port_name, ttl),
        l(tlv7(5, b"no end"), struct.pack(">H", (5 << 9) | 40) + b"short"),
    ]
    for f in base:
        p.add(f)
    for f in base[:2]:
        p.add_every_cut(f, 14, 3)
    for f in base[:2]:
        p.add_mutants(f, 14, 60, 6, rng)
    # 802.1 DCB subtypes, IANA, TIA (LLDP-MED) and DCBX.
    dcb = l(chassis_mac, port_name, ttl,
            tlv7(127, bytes.fromhex("0080c2 08 a5 0f")),
            tlv7(127, bytes.fromhex("0080c2 09 c3 01234567 0a141e28323c4650 0002ff0102030405")),
            tlv7(127, bytes.fromhex("0080c2 0a 00 76543210 6400000000000000 0202020202020202")),
            tlv7(127, bytes.fromhex("0080c2 0b c8 81")),
            tlv7(127, bytes.fromhex("0080c2 0c 00 610cbc 830ce8 220035")),
            tlv7(127, bytes.fromhex("0080c2 0d 0f 1a 25 8e 7f")),
            tlv7(127, bytes.fromhex("0080c2 0e 80 0000 0fff 001002 003004")),
            tlv7(127, bytes.fromhex("0080c2 0c 00 6100")),  # application table not in threes
            tlv7(127, bytes.fromhex("0080c2 0f 00")),  # unknown subtype
            end)
    med = l(chassis_mac, port_name, ttl,
            tlv7(127, bytes.fromhex("0012bb 01 0033 03")),
            tlv7(127, bytes.fromhex("0012bb 02 01 60c8 b82e")),
            tlv7(127, bytes.fromhex("0012bb 03 01 a6 2a3f5c11 ab 0b35a1b3 4200 0003c0 01")),
            tlv7(127, bytes.fromhex("0012bb 03 02 10 02") + b"DE" + bytes.fromhex("0106") + b"Bayern"
                 + bytes.fromhex("0306") + b"Munich"),
            tlv7(127, bytes.fromhex("0012bb 03 03") + b"5551234567"),
            tlv7(127, bytes.fromhex("0012bb 03 09 0102")),
            tlv7(127, bytes.fromhex("0012bb 04 51 00c8")),
            tlv7(127, bytes.fromhex("0012bb 04 12 0400")),
            tlv7(127, bytes.fromhex("0012bb 05") + b"rev-A"),
            tlv7(127, bytes.fromhex("0012bb 09") + b"Example Inc"),
            tlv7(127, bytes.fromhex("0012bb 0b") + b"asset-7"),
            tlv7(127, bytes.fromhex("0012bb 0c 00")),
            tlv7(127, bytes.fromhex("00005e 01") + b"https://example.com/mud"),
            tlv7(127, bytes.fromhex("00005e 02 00000000")),
            end)
    def dcbx_tlv(ty, body):
        return struct.pack(">H", (ty << 9) | len(body)) + body
    dcbx = l(chassis_mac, port_name, ttl,
             tlv7(127, bytes.fromhex("001b21 02")
                  + dcbx_tlv(1, bytes.fromhex("0000 00000005 00000004"))
                  + dcbx_tlv(2, bytes.fromhex("0000 e0 00 01234567 0a141e28323c4650 08"))
                  + dcbx_tlv(3, bytes.fromhex("0000 80 00 a5 08"))
                  + dcbx_tlv(4, bytes.fromhex("0000 c0 00 8906 00001b 08 0cbc 40001b 10"))
                  + dcbx_tlv(9, bytes.fromhex("0102"))),
             tlv7(127, bytes.fromhex("001b21 01 0102")),
             tlv7(127, bytes.fromhex("001b21 02") + dcbx_tlv(1, bytes.fromhex("0000"))),
             tlv7(127, bytes.fromhex("001b21 02") + dcbx_tlv(2, bytes.fromhex("0000 00 00 0000"))),
             tlv7(127, bytes.fromhex("001b21 02") + dcbx_tlv(4, bytes.fromhex("0000 00 00")) + bytes.fromhex("0000")),
             end)
    for f in [dcb, med, dcbx]:
        p.add(f)
        p.add_every_cut(f, 30, 7)
    return p


def cdp_file():
    p = Pcap()
    rng = random.Random(13)
    def c(tlvs, ver=2, ttl=180):
        body = struct.pack(">BBH", ver, ttl, 0x1234) + b"".join(struct.pack(">HH", t, len(v) + 4) + v for t, v in tlvs)
        return Dot3(src=MAC_A, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x2000) / Raw(body)
    addr4 = struct.pack(">I", 1) + bytes.fromhex("01 01 cc 0004 c6120001")
    addr6 = struct.pack(">I", 1) + bytes.fromhex("02 08 aaaa030000 0086dd 0010") + bytes.fromhex("20010db8000000000000000000000001")
    base = [
        c([(1, b"router-1"), (2, addr4), (3, b"GigabitEthernet0/1"), (4, b"\x00\x00\x00\x29"), (5, b"Cisco IOS Software\nVersion 15.2"),
           (6, b"cisco WS-C2960"), (9, b"vtpdomain"), (10, b"\x00\x01"), (11, b"\x01"), (0x10, b"\x3a\x98"),
           (0x11, b"\x00\x00\x05\xdc"), (0x12, b"\x00"), (0x13, b"\x00"), (0x14, b"sysname"), (0x16, addr6),
           (0x17, b"\x01building-1"), (7, bytes.fromhex("c612000018")), (0x0e, b"\x01\x00\x64"), (0x0f, b"\x00\x00"),
           (8, b"hello"), (0x15, b"oid"), (0x42, b"unknown")]),
        c([(1, b"switch-2"), (3, b"Fa0/2")], ver=1),
        c([(4, b"\x00\x00")]),
        c([(1, b"x")] + [(2, struct.pack(">I", 2) + bytes.fromhex("01 01 cc 0004 c6120001 09 02 abcd 0002 beef"))]),
        c([(7, bytes.fromhex("c6120000"))]),
        c([(1, b"short tlv")])[Raw].__class__(b"\x02\xb4\x12\x34\x00\x01\x00\x02"),
    ]
    base[-1] = Dot3(src=MAC_A, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x2000) / Raw(b"\x02\xb4\x12\x34\x00\x01\x00\x02")
    base.append(Dot3(src=MAC_A, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x2000) / Raw(b"\x02\xb4\x12\x34\x00\x01\x00\x40abc"))
    base.append(Dot3(src=MAC_A, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x00000c, code=0x2000) / Raw(b"\x02"))
    for f in base:
        p.add(f)
    p.add_every_cut(base[0], 22, 5)
    p.add_mutants(base[0], 22, 60, 6, rng)
    return p


def eapol_file():
    p = Pcap()
    dst = "01:80:c2:00:00:03"
    def e(ver, ty, body, length=None):
        length = len(body) if length is None else length
        return Ether(src=MAC_A, dst=dst, type=0x888e) / Raw(struct.pack(">BBH", ver, ty, length) + body)
    def eap(code, id, data=b""):
        return struct.pack(">BBH", code, id, 4 + len(data)) + data
    base = [
        e(1, 1, b""), e(2, 2, b""), e(3, 4, b"alert"), e(1, 5, b"??"),
        e(1, 0, eap(1, 1, b"\x01")), e(1, 0, eap(2, 1, b"\x01user@example.com")),
        e(1, 0, eap(1, 2, b"\x02please log in")), e(1, 0, eap(1, 2, b"\x02")),
        e(1, 0, eap(2, 3, b"\x03\x0d\x15\x19")), e(1, 0, eap(1, 4, b"\x04\x10" + bytes(16))),
        e(1, 0, eap(1, 5, b"\x0d\x20")), e(1, 0, eap(2, 6, b"\x0d\x80\x00\x00\x01\x00" + b"x" * 8)),
        e(1, 0, eap(1, 7, b"\x15\x21")), e(1, 0, eap(1, 8, b"\x2b\xa1\x00\x00\x00\x10")),
        e(1, 0, eap(1, 9, b"\x12\x0a\x00\x00")), e(1, 0, eap(1, 10, b"\x17\x01\x00\x00")),
        e(1, 0, eap(3, 11)), e(1, 0, eap(4, 12)), e(1, 0, eap(5, 13)),
        e(1, 0, eap(1, 14, b"\xfe" + bytes(7))), e(1, 0, eap(1, 15)),
        e(1, 0, eap(1, 16, b"\x01abc"), length=20), e(1, 0, b"", length=0),
        e(2, 3, bytes.fromhex("02 008a 0010 0000000000000001") + bytes(77)),
        e(1, 0, eap(1, 17, b"\x0d\x80\x00\x00")),
    ]
    for f in base:
        p.add(f)
    p.add_every_cut(base[5], 14, 2)
    return p


def slow_file():
    p = Pcap()
    dst = "01:80:c2:00:00:02"
    def s(body):
        return Ether(src=MAC_A, dst=dst, type=0x8809) / Raw(body)
    actor = bytes.fromhex("0114 8000 020000000001 0001 0080 0005 3d 000000")
    partner = bytes.fromhex("0214 8000 020000000002 0002 0080 0006 0f 000000")
    coll = bytes.fromhex("0310 0032") + bytes(12)
    term = bytes.fromhex("0000") + bytes(50)
    marker = bytes.fromhex("0110 0005 020000000001 00000042 0000")
    base = [
        s(b"\x01\x01" + actor + partner + coll + term),
        s(b"\x02\x01" + marker + term),
        s(b"\x02\x01" + bytes.fromhex("0210 0005 020000000001 00000042 0000") + term),
        s(b"\x01\x02" + actor),
        s(b"\x02\x07"),
        s(b"\x01\x01" + bytes.fromhex("0110") + bytes(10)),
        s(b"\x01\x01" + bytes.fromhex("0101")),
        s(b"\x01\x01" + bytes.fromhex("0990 01")),
        s(b"\x01\x01" + bytes.fromhex("0906 0102 0304") + term),
        s(b"\x01\x01" + bytes.fromhex("0112") + bytes(16) + term),
        s(b"\x09\x01\x02\x03"),
        s(b"\x01"),
        s(b""),
    ]
    for f in base:
        p.add(f)
    p.add_every_cut(base[0], 14, 4)
    return p


def loopback_file():
    p = Pcap()
    def lb(body):
        return Ether(src=MAC_A, dst=MAC_B, type=0x9000) / Raw(body)
    base = [
        lb(bytes.fromhex("0000 0100 2a00") + b"data"),
        lb(bytes.fromhex("0000 0200 020000000003") + b"fwd"),
        lb(bytes.fromhex("0800") + bytes(8) + bytes.fromhex("0100 0100")),
        lb(bytes.fromhex("0300 0100")),
        lb(bytes.fromhex("0000 0700 01")),
        lb(bytes.fromhex("0000")),
        lb(bytes.fromhex("00")),
        lb(bytes.fromhex("4000 0100")),
    ]
    for f in base:
        p.add(f)
    p.add_every_cut(base[0], 14, 1)
    return p


# ---------------------------------------------------------------- IPX

def ipx_file():
    p = Pcap()
    rng = random.Random(0x8137)

    def ipx(skt, body, length=None, sskt=0x4003):
        hdr_len = 30 + len(body) if length is None else length
        return (struct.pack(">HHBB", 0xffff, hdr_len, 0, 4)
                + bytes.fromhex("0000abcd 020000000002") + struct.pack(">H", skt)
                + bytes.fromhex("00001234 020000000001") + struct.pack(">H", sskt)
                + body)

    def server(ty, name, net=0x1234):
        return (struct.pack(">H", ty) + name.ljust(48, b"\0")[:48]
                + struct.pack(">I", net) + bytes.fromhex("020000000005 0451 0002"))

    def e2(body):
        return eth(Raw(body), type=0x8137)

    def raw8023(body):
        return Ether(src=MAC_A, dst=MAC_B, type=len(body)) / Raw(body)

    def llc8022(body):
        return Ether(src=MAC_A, dst=MAC_B, type=len(body) + 3) / Raw(b"\xe0\xe0\x03" + body)

    sap_resp = ipx(0x0452, struct.pack(">H", 2) + server(4, b"FS1") + server(0x0640, b"PRINT-SERVER"))
    rip_resp = ipx(0x0453, struct.pack(">H", 2) + bytes.fromhex(
        "0000abcd00010002 0000abce00020004 0000abcf00100020"))
    bodies = [
        ipx(0x0451, b"\x11\x11" + bytes(20)),
        ipx(0x0452, bytes.fromhex("0001 0004")),
        ipx(0x0452, bytes.fromhex("0003 ffff")),
        sap_resp,
        ipx(0x0452, struct.pack(">H", 4) + server(4, b"N" * 48)),
        ipx(0x0452, struct.pack(">H", 4) + server(4, b"x" * 47)),
        ipx(0x0452, bytes.fromhex("0009 0000")),
        ipx(0x0453, bytes.fromhex("0001 ffffffff ffff ffff")),
        ipx(0x0453, bytes.fromhex("0001")),
        rip_resp,
        ipx(0x0453, bytes.fromhex("0007")),
        ipx(0x0455, bytes(32)),
        ipx(0x0456, bytes(4)),
        ipx(0x0553, bytes(10)),
        ipx(0x4000, b"hello"),
        ipx(0x4000, b"", length=20),
        ipx(0x0453, bytes.fromhex("0002 0000abcd00010002"), length=33),
        ipx(0x0453, bytes.fromhex("0001 0000abcd"), length=36),
        ipx(0x0453, bytes.fromhex("0001"), length=31),
        ipx(0x0452, bytes.fromhex("0002"), length=31),
        ipx(0x0452, bytes.fromhex("0002") + server(4, b"S1")[:20], length=52),
        ipx(0x0452, bytes.fromhex("0001"), length=33),
    ]
    for body in bodies:
        p.add(e2(body))
    for body in bodies[:4]:
        p.add(raw8023(body))
        p.add(llc8022(body))
    for f in [e2(sap_resp), e2(rip_resp), raw8023(rip_resp), llc8022(sap_resp)]:
        p.add_every_cut(f, 14, 2)
    for f in [e2(sap_resp), e2(rip_resp)]:
        p.add_mutants(f, 14, 60, 6, rng)
    return p


# ---------------------------------------------------------------- IGRP


def igrp_file():
    """Cisco IGRP (IP protocol 9): updates with interior, system and
    exterior routes, requests, unknown opcodes, counts that disagree with
    the length, short headers, every cut and mutants."""
    p = Pcap()
    rng = random.Random(9)

    def rte(net, delay, bw, mtu=1500, rel=255, ld=1, hops=0):
        return bytes(net) + delay.to_bytes(3, "big") + bw.to_bytes(3, "big") + struct.pack(
            ">HBBB", mtu, rel, ld, hops)

    def igrp(vop, ed, asn, counts, routes=b"", cksum=0x1234, v6=False):
        body = struct.pack(">BBHHHHH", vop, ed, asn, *counts, cksum) + routes
        if v6:
            return eth(IPv6(src=V6_A, dst=V6_B, nh=9) / Raw(body))
        return eth(IP(src=V4_A, dst="255.255.255.255", ttl=2, id=1, proto=9) / Raw(body))

    r1 = rte([10, 1, 0], 2000, 1544)
    r2 = rte([172, 16, 5], 100, 10000, hops=2)
    r3 = rte([192, 168, 7], 0xFFFFFF, 0)
    base = [
        igrp(0x11, 3, 100, (1, 1, 1), r1 + r2 + r3),
        igrp(0x11, 0, 100, (0, 2, 0), r2 + r1),
        igrp(0x12, 0, 100, (0, 0, 0)),  # request
        igrp(0x17, 5, 65535, (0, 0, 1), r3),  # unknown opcode
        igrp(0x11, 1, 7, (2, 0, 0), r1),  # fewer routes than counted
        igrp(0x11, 1, 7, (0, 1, 0), r1 + r2),  # extra bytes
        igrp(0x11, 1, 7, (0, 1, 0), r1 + b"\x01\x02\x03"),  # trailing bytes
        igrp(0x21, 9, 1, (0, 0, 1), r2, v6=True),
    ]
    for f in base:
        p.add(f)
    p.add(eth(IP(src=V4_A, dst=V4_B, id=1, proto=9) / Raw(bytes.fromhex("1100006400"))))
    for f in base[:2]:
        p.add_every_cut(f, 34, 1)
    for f in base:
        p.add_mutants(f, 34, 80, 6, rng)
    return p


# ---------------------------------------------------------------- Broadcom LI


def bcmli_file():
    """The Broadcom LI shim on UDP source port 49152: each direction,
    packet type and subtype with the intercepted Ethernet frame, IPv4 or
    IPv6 packet after it, undecided payloads, unknown types, short
    datagrams, every cut and mutants."""
    p = Pcap()
    rng = random.Random(49152)

    def shim(direction, ptype, sub, li_id):
        return struct.pack(">I", direction << 29 | ptype << 25 | sub << 22 | li_id)

    def li(payload, sport=49152, dport=5555):
        return eth(IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=sport, dport=dport) / Raw(payload))

    inner4 = bytes(IP(src=V4_C, dst=V4_B, id=7) / TCP(sport=1234, dport=80, flags="S", seq=1))
    inner6 = bytes(IPv6(src=V6_A, dst=V6_B) / UDP(sport=53, dport=1053) / Raw(b"x" * 4))
    innere = bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_C, dst=V4_B, id=3) / ICMP(id=1, seq=2))
    base = [
        li(shim(3, 5, 3, 42) + inner4),
        li(shim(2, 6, 1, 0x3FFFFF) + inner6),
        li(shim(1, 7, 2, 7) + innere),
        li(shim(3, 4, 3, 1) + inner4),
        li(shim(3, 4, 3, 1) + inner6),
        li(shim(3, 4, 3, 1) + b"\x10\x00\x00\x00"),
        li(shim(0, 9, 0, 5) + inner4),  # unknown type: (invalid) with -v
        li(shim(7, 5, 7, 0) + inner4),  # unknown direction and subtype
        li(b"\x60\x00"),  # shorter than the shim
        li(shim(3, 5, 3, 42) + inner4, sport=5555, dport=49152),  # destination port only
    ]
    for f in base:
        p.add(f)
    for f in base[:3]:
        p.add_every_cut(f, 42, 2)
    for f in base[:4]:
        p.add_mutants(f, 42, 90, 6, rng)
    return p


# ---------------------------------------------------------------- DECnet


def decnet_file():
    """DECnet Phase IV (EtherType 0x6003): every routing-layer control
    message, short and long data headers with padding, and every NSP
    message kind, with bad lengths, every cut and mutants."""
    p = Pcap()
    rng = random.Random(0x6003)
    a1, a2 = 1 << 10 | 5, 2 << 10 | 17  # 1.5 and 2.17

    def dn(msg, pad=b"", pktlen=None):
        body = pad + msg
        n = len(body) if pktlen is None else pktlen
        return Ether(src=MAC_A, dst="aa:00:04:00:05:04", type=0x6003) / Raw(struct.pack("<H", n) + body)

    def ether_id(addr):
        return b"\xaa\x00\x04\x00" + struct.pack("<H", addr)

    def short(nsp, flags=0x02, visits=3):
        return struct.pack("<BHHB", flags, a2, a1, visits) + nsp

    def long_(nsp, flags=0x26, visits=4):
        return (bytes([flags, 0, 0]) + ether_id(a2) + bytes([0, 0]) + ether_id(a1)
                + bytes([0, visits, 0, 0]) + nsp)

    def nsp(flags, rest=b"", dst=0x1000, src=0x2000):
        return struct.pack("<BHH", flags, dst, src) + rest

    w = lambda *v: struct.pack("<" + "H" * len(v), *v)  # noqa: E731
    msgs = [
        # Routing layer control messages.
        struct.pack("<BHBHBBBHB", 0x01, a1, 0x06, 1498, 2, 0, 0, 15, 0),  # init
        struct.pack("<BHBHBBBHB", 0x01, a1, 0x03, 576, 1, 3, 0, 10, 0),
        struct.pack("<BHB", 0x03, a1, 0o52) + b"\x00\x00",  # verification
        struct.pack("<BHB", 0x05, a1, 0o252) + b"\xaa\xaa",  # test
        struct.pack("<BHB", 0x07, a1, 0) + w(3, 1, 2 << 10 | 4) + w(1, 9, 1 << 10 | 7) + w(0xBEEF),
        struct.pack("<BHB", 0x09, a1, 0) + w(2, 1, 3 << 10 | 8) + w(0xBEEF),
        struct.pack("<BHB", 0x07, a1, 0) + w(2000, 1, 5) + w(0),  # bogus count
        bytes([0x0B, 2, 0, 0]) + ether_id(a1) + bytes([0x42]) + w(1498) + bytes([64, 0]) + w(15) + b"\x00" + b"\x00" * 8,
        bytes([0x0B, 2, 0, 0]) + ether_id(a1) + bytes([0x01]) + w(1498) + bytes([7, 0]) + w(15) + b"\x00",
        bytes([0x0D, 2, 0, 0]) + ether_id(a1) + bytes([0x03]) + w(1498) + b"\x00" + b"\x00" * 8 + ether_id(a2) + w(10) + bytes([0, 0o252]),
        bytes([0x0D, 2, 0, 0]) + ether_id(a1) + bytes([0x23]),  # short endnode hello
        bytes([0x0F, 1, 2, 3, 4, 5, 6]),  # unknown control message
        bytes([0x01, 1, 2, 3, 4, 5, 6]),  # init too short
        # Data messages: short and long headers, NSP kinds.
        short(nsp(0x60, w(0o100000 | 3, 0o120000 | 1, 4) + b"data")),
        short(nsp(0x20 | 0x40, w(5) + b"x")),
        short(nsp(0x00, w(0o110000 | 3, 0o130000 | 2, 9))),
        short(nsp(0x40, w(0o100000 | 3, 7))),
        short(nsp(0x60, w(0o100000 | 3))),  # ack without room for the next word
        short(nsp(0x30, w(0o100000 | 1, 0o120000 | 2, 3))),  # interrupt
        short(nsp(0x30, w(0o110000 | 1, 0o130000 | 2, 3))),
        short(nsp(0x10, w(0o100000 | 1, 0o120000 | 2, 3) + bytes([0x01, 5]))),  # link service
        short(nsp(0x10, w(1, 2, 3) + bytes([0x02, 5]))),
        short(nsp(0x10, w(1, 2, 3) + bytes([0x00, 5]))),
        short(nsp(0x10, w(1, 2, 3) + bytes([0x03, 5]))),
        short(nsp(0x10, w(1, 2, 3) + bytes([0x04, 2]))),
        short(nsp(0x10, w(1, 2, 3) + bytes([0x0C, 2]))),
        short(nsp(0x10, w(1))),  # link service too short
        short(nsp(0x70)),  # reserved data subtype
        short(nsp(0x04, w(0o100000 | 4, 0o120000 | 5))),  # data ack
        short(nsp(0x04, w(0o110000 | 4, 0o130000 | 5))),
        short(nsp(0x14, w(0o100000 | 4, 0o120000 | 5))),  # ils ack
        short(nsp(0x14, w(4, 5))),
        short(nsp(0x24)),  # conn ack
        short(nsp(0x64)),  # reserved ack type
        short(nsp(0x18, bytes([0x04, 0x02]) + w(1459) + b"\x00" * 20)),  # connect initiate
        short(nsp(0x68, bytes([0x08, 0x01]) + w(230))),
        short(nsp(0x28, bytes([0x00, 0x03]) + w(1459) + bytes([4]))),  # connect confirm
        short(nsp(0x28, bytes([0x04, 0x00]) + w(576) + bytes([0]))),
        short(nsp(0x38, w(42) + bytes([3]))),  # disconnect initiate
        short(nsp(0x38, w(77) + bytes([0]))),
        short(nsp(0x48, w(41))),  # disconnect confirm
        short(nsp(0x58)),  # reserved control type
        short(nsp(0x0C)),  # reserved type
        short(b"\x01\x02"),  # NSP too short
        long_(nsp(0x60, w(0o100000 | 3, 4))),
        long_(nsp(0x28, bytes([0x04, 0x02]) + w(1459) + bytes([0]))),
        bytes([0x26, 0, 0]) + ether_id(a2),  # long header too short
        bytes([0x03 | 0x40]) + b"\x01\x02\x03\x04\x05",  # future version
        bytes([0x04]) + b"\x01\x02\x03\x04\x05",  # unknown message flags
    ]
    base = [dn(m) for m in msgs]
    base += [
        dn(short(nsp(0x60, w(3))), pad=bytes([0x83, 0, 0])),  # padded
        dn(msgs[0], pad=bytes([0x82, 0])),
        dn(b"\x02\x01\x02", pad=bytes([0x8F])),  # pad longer than the message
        dn(msgs[13], pktlen=3),  # pktlen below the short header
        dn(msgs[13], pktlen=200),  # pktlen past the frame
    ]
    for f in base:
        p.add(f)
    p.add(Ether(src=MAC_A, dst=MAC_B, type=0x6003) / Raw(b"\x05\x00\x02"))  # 3 bytes
    for i in (0, 4, 7, 9, 13, 20, 28, 34, 43):
        p.add_every_cut(base[i], 15, 1)
    for f in base[:45]:
        p.add_mutants(f, 14, 40, 3, rng)
    return p


# ---------------------------------------------------------------- OSI: IS-IS


def osi_cksum(data, off):
    """checksum.c's create_osi_cksum: the Fletcher checksum tcpdump expects
    at `off` of `data` (the field's own bytes ignored)."""
    c0 = c1 = 0
    for i, x in enumerate(data):
        if i != off and i != off + 1:
            c0 += x
        c1 += c0
    c0 %= 255
    c1 %= 255
    mul = ((len(data) - off) * c0) & 0xFFFFFFFF

    def i32(v):
        v &= 0xFFFFFFFF
        return v - (1 << 32) if v >> 31 else v

    x = i32(mul - c0 - c1)
    y = i32(c1 - mul - 1)
    if y >= 0:
        y += 1
    if x < 0:
        x -= 1
    x = int(x - 255 * int(x / 255))  # C's truncating %
    y = int(y - 255 * int(y / 255))
    if x == 0:
        x = 255
    if y == 0:
        y = 255
    return ((x << 8) | (y & 0xFF)) & 0xFFFF


ISIS_SYS_A = bytes.fromhex("192016800001")
ISIS_SYS_B = bytes.fromhex("192016800002")


def osi(pdu, dst="01:80:c2:00:00:14"):
    return Dot3(src=MAC_A, dst=dst) / LLC(dsap=0xFE, ssap=0xFE, ctrl=3) / Raw(pdu)


def isis_tlv(t, v):
    return bytes([t, len(v)]) + v


def isis_common(ptype, fixed, idlen=0, maxarea=0, ver=1, pver=1):
    return bytes([0x83, fixed, ver, idlen, ptype, pver, 0, maxarea])


def isis_iih(ptype, tlvs, pdu_len=None, fixed=None, ct=3, prio=64, hold=30, **kw):
    """A LAN (15, 16) or point-to-point (17) hello."""
    lan = ptype != 17
    body_len = 19 if lan else 12
    n = 8 + body_len + len(tlvs) if pdu_len is None else pdu_len
    body = bytes([ct]) + ISIS_SYS_A + struct.pack(">HH", hold, n)
    body += bytes([prio]) + ISIS_SYS_B + b"\x01" if lan else b"\x05"
    return isis_common(ptype, 8 + body_len if fixed is None else fixed, **kw) + body + tlvs


def isis_lsp(ptype, tlvs, seq=0x1F, life=1199, flags=0x03, cksum=None, pdu_len=None, fixed=27, lspid=None):
    n = 27 + len(tlvs) if pdu_len is None else pdu_len
    lspid = ISIS_SYS_A + b"\x00\x00" if lspid is None else lspid
    pdu = bytearray(isis_common(ptype, fixed) + struct.pack(">HH", n, life) + lspid
                    + struct.pack(">IH", seq, 0) + bytes([flags]) + tlvs)
    if cksum is None:
        cksum = osi_cksum(bytes(pdu[12:n]), 12)
    pdu[24:26] = struct.pack(">H", cksum)
    return bytes(pdu)


def isis_snp(ptype, tlvs, fixed=None):
    csnp = ptype in (24, 25)
    hdr = 33 if csnp else 17
    body = struct.pack(">H", hdr + len(tlvs)) + ISIS_SYS_A + b"\x00"
    if csnp:
        body += bytes(8) + b"\xff" * 8
    return isis_common(ptype, hdr if fixed is None else fixed) + body + tlvs


def isis_lsp_entry(seq, life=1000, frag=0):
    return struct.pack(">H", life) + ISIS_SYS_B + bytes([0, frag]) + struct.pack(">IH", seq, 0x1234)


def isis_checksummed(pdu, at, value=None):
    """A hello with a checksum TLV (type 12) at `at`; `value` None = correct."""
    pdu = bytearray(pdu)
    if value is None:
        value = osi_cksum(bytes(pdu), at)
    pdu[at:at + 2] = struct.pack(">H", value)
    return bytes(pdu)


def isis_file():
    """IS-IS over LLC SAP 0xfe (print-isoclns.c): LAN and point-to-point
    hellos, L1/L2 LSPs with correct, wrong and zero checksums and every
    flag, CSNPs and PSNPs, every TLV tcpdump 4.99.3 decodes (reachability
    with sub-TLVs, addresses, hostname, authentication, restart, MT, router
    capability, ...), unknown TLVs and PDU types, every header check
    message, the other NLPIDs, every cut and mutants."""
    p = Pcap()
    rng = random.Random(0x83)
    T = isis_tlv
    ip4 = lambda a: bytes(map(int, a.split(".")))  # noqa: E731
    f32 = lambda v: struct.pack(">f", v)  # noqa: E731
    area = T(1, b"\x03\x49\x00\x01" + b"\x05\x39\x01\x02\x03\x04")
    protos = T(129, b"\xcc\x8e\x81")
    ifaddr = T(132, ip4(V4_A) + ip4(V4_B))
    if6 = T(232, inet_pton(AF_INET6, LL_A))
    neigh = T(6, bytes.fromhex("020000000002 020000000003"))
    restart = T(211, b"\x00")
    mt = T(229, b"\x00\x00\x40\x02")
    host = T(137, b"router-a")
    rid = T(134, ip4(V4_A))
    ext_is_sub = (T(3, b"\x00\x00\x00\x05") + T(4, b"\x00\x00\x00\x01\x00\x00\x00\x02") + T(6, ip4(V4_A))
                  + T(8, ip4(V4_B)) + T(9, f32(1.25e8)) + T(10, f32(6.25e7))
                  + T(11, b"".join(f32(1.25e7 * k) for k in range(8))) + T(18, b"\x00\x00\x0a")
                  + T(19, b"\x00\x03") + T(20, b"\x10\x02") + T(22, b"\x00" + f32(1e8) + f32(5e7))
                  + T(12, b"\x01" + f32(1e6)) + T(99, b"\x01\x02\x03")
                  + T(29, b"\x00\x00\x64\x02\x00\x07"))
    ext_is = T(22, ISIS_SYS_B + b"\x01" + b"\x00\x00\x0a" + bytes([len(ext_is_sub)]) + ext_is_sub)
    ext_is2 = T(22, ISIS_SYS_B + b"\x02" + b"\x00\x00\x14\x00" + ISIS_SYS_A + b"\x03\x00\x01\x00\x00")
    lan_sid = T(32, b"\x30\x05" + ISIS_SYS_B + b"\x00\x3e\x80")
    sw_cap = T(21, b"\x01\x01\x00\x00" + b"".join(f32(1e6 * k) for k in range(8)) + f32(1e5) + b"\x05\xdc")
    tsc_cap = T(21, b"\x64\x05\x00\x00" + b"".join(f32(1e6) for k in range(8)) + f32(1e5) + b"\x01\x00\x00\x00")
    l2_cap = T(21, b"\x33\x02\x00\x00" + b"".join(f32(1e6) for k in range(8)) + b"\xaa\xbb")
    ext_is3 = T(22, ISIS_SYS_B + b"\x03" + b"\x00\x00\x01" + bytes([len(lan_sid + sw_cap)]) + lan_sid + sw_cap)
    ext_is4 = T(22, ISIS_SYS_B + b"\x04" + b"\x00\x00\x01" + bytes([len(tsc_cap + l2_cap)]) + tsc_cap + l2_cap)
    lan_sid2 = T(32, b"\x00\x05" + ISIS_SYS_B + b"\x00\x00\x3e\x80") + T(32, b"\x20\x01" + ISIS_SYS_B + b"\x00\x00\x3e")
    ext_is5 = T(22, ISIS_SYS_B + b"\x05" + b"\x00\x00\x01" + bytes([len(lan_sid2)]) + lan_sid2)
    # sub-TLV lengths that disagree with the TLV.
    ext_is_bad1 = T(22, ISIS_SYS_B + b"\x01" + b"\x00\x00\x0a\x06" + T(3, b"\x00\x00\x00\x05\x00\x00"))
    ext_is_bad2 = T(22, ISIS_SYS_B + b"\x01" + b"\x00\x00\x0a\x01\x03")
    ext_is_bad3 = T(22, ISIS_SYS_B + b"\x01" + b"\x00\x00\x0a\x10" + T(3, b"\x00\x00\x00\x05"))
    ext_is_bad4 = T(22, ISIS_SYS_B + b"\x01\x00\x00")
    alias = T(24, ISIS_SYS_B + b"\x01\x00")
    is_reach = T(2, b"\x00" + b"\x0a\x80\x80\x80" + ISIS_SYS_B + b"\x01" + b"\x4a\x14\x1e\x28" + ISIS_SYS_A + b"\x02")
    is_reach2 = T(2, b"\x07" + b"\x0a\x80\x80\x80" + ISIS_SYS_B)
    es_neigh = T(3, b"\x0a\x80\x80\x80" + ISIS_SYS_B)
    ip_int = T(128, b"\x0a\x80\x80\x80" + ip4("198.18.0.0") + ip4("255.255.254.0")
               + b"\xca\x05\x80\x06" + ip4("198.19.1.0") + ip4("255.0.255.0"))
    ip_ext = T(130, b"\x4a\x80\x80\x80" + ip4("10.0.0.0") + ip4("255.0.0.0"))
    ip_short = T(128, b"\x0a\x80\x80\x80\x01")
    sub_ip = T(1, b"\x00\x00\x00\x64") + T(2, bytes(range(8))) + T(3, b"\x40\x00\x00\x00\x00\x10") + T(3, b"\x08\x01\x00\x3e\x80") + T(9, b"\xab")
    ext_ip = T(135, b"\x00\x00\x00\x0a\x18" + ip4("198.18.5.0")[:3]
               + b"\x00\x00\x00\x14" + bytes([0x40 | 32]) + ip4(V4_A) + bytes([len(sub_ip)]) + sub_ip
               + b"\x00\x00\x00\x01\x80")
    ext_ip_bad = T(135, b"\x00\x00\x00\x0a\x3f")
    ext_ip_short = T(135, b"\x00\x00\x00\x0a\x20" + ip4(V4_A) + b"\x00")
    sub6 = T(1, b"\x00\x00\x00\x07")
    ip6_reach = T(236, b"\x00\x00\x00\x0a\x00\x40" + inet_pton(AF_INET6, V6_A)[:8]
                  + b"\x00\x00\x00\x14\x60\x80" + inet_pton(AF_INET6, V6_B) + bytes([len(sub6)]) + sub6
                  + b"\x00\x00\x00\x01\x80\x00")
    ip6_bad = T(236, b"\x00\x00\x00\x0a\x00\x90")
    mt_is = T(222, b"\x00\x02" + ISIS_SYS_B + b"\x01\x00\x00\x0a\x00")
    mt_ip = T(235, b"\x40\x00" + b"\x00\x00\x00\x0a\x18" + ip4("198.18.5.0")[:3])
    mt_ip6 = T(237, b"\x80\x02" + b"\x00\x00\x00\x0a\x00\x30" + inet_pton(AF_INET6, V6_A)[:6])
    mt_short = T(222, b"\x00")
    lsps = T(9, isis_lsp_entry(0x11) + isis_lsp_entry(0x22, 0, 1))
    auth = [T(10, b"\x01" + b"secret"), T(10, bytes([54]) + bytes(range(16))), T(10, bytes([54]) + bytes(range(5))),
            T(10, b"\x03\x00\x07" + bytes(range(8))), T(10, b"\xff" + bytes(range(6))), T(10, b"\x07\x01\x02"),
            T(10, b"")]
    others = [
        T(4, ISIS_SYS_B + ISIS_SYS_A), T(5, b"\x0a\x80\x80\x80" + b"\x06\x49\x00\x01" + b"\x01"),
        T(5, b"\x0a\x80\x80\x80" + b"\x08\x49\x00"),
        T(7, b"\x00\x01\x00\x02\x00\x03"), T(7, b"\x00\x01\x00"), T(13, b"\x02" + ISIS_SYS_A + ISIS_SYS_B),
        T(13, b"\x00"), T(13, b"\x01" + ISIS_SYS_A), T(14, b"\x05\xd4"), T(14, b"\x05"),
        T(131, b"\x02\xfd\xe8"), T(131, b"\x01\xaa\xbb"), T(131, b"\x07"), T(241, b"\x00\x00\x01\x00"),
        T(242, ip4(V4_A) + b"\x03" + T(2, b"\xc0\x00\x10\x00" + b"\x01\x03\x00\x3e\x80") + T(7, b"\x01")),
        T(242, ip4(V4_A) + b"\x00" + T(2, b"\x80\x00\x10\x00" + b"\x01\x04\x00\x00\x3e\x80" + b"\x02\x03abc")),
        T(242, ip4(V4_A)), T(250, b"\x00\x00\x0c\x01\x02\x03"), T(250, b"\x12\x34\x56"),
        T(138, ISIS_SYS_B + b"\x01\x01" + ip4(V4_A) + ip4(V4_B) + b"\x00\x00\x00\x01\x00\x00\x00\x02"),
        T(138, ISIS_SYS_B + b"\x01"), T(99, b"\x01\x02\x03\x04"), T(42, b"\x01\x02"), T(176, b""),
        T(211, b"\x03\x00\x1e"), T(211, b"\x04\x00\x00" + ISIS_SYS_B), T(229, b"\x00\x02\x00"),
        T(240, b"\x02"), T(240, b"\x00\x00\x00\x00\x05" + ISIS_SYS_B + b"\x00\x00\x00\x07"),
        T(240, b"\x01\x00\x00\x00\x05"), T(1, b"\x09\x49"), T(1, b"\x00"), T(132, ip4(V4_A) + b"\x01"),
        T(232, b"\x01"), T(2, b""), T(3, b"\x01"), T(6, b"\x01\x02\x03"), T(9, b"\x01\x02"), T(12, b"\x01"),
        T(134, b"\x01"), T(137, b"h\x01\xffx"),
    ]
    # Shortest path bridging: TLVs 143 and 144 with their sub-TLVs.
    mcid = b"\x00" + b"spb-region".ljust(32, b"\x00") + b"\x00\x01" + bytes(range(16))
    inst = (bytes.fromhex("8000020000000001") + b"\x00\x00\x00\x0a" + b"\x80\x00" + b"\x00\x01\x23\x45")
    tree = b"\xe1" + b"\x00\x80\xc2\x01" + b"\x06\x40\x65"
    spb = [
        T(143, b"\x00\x01" + T(4, mcid + mcid) + T(5, b"\x5d" + bytes(range(32)))
          + T(6, b"\x00\x80\xc2\x01\x06\x4c" + b"\x00\x80\xc2\x02\x06\x58") + T(9, b"ab")),
        T(143, b"\x00\x01\x04\x10\x00"), T(143, b"\x00\x01" + T(4, bytes(10))), T(143, b"\x00\x01" + T(5, bytes(3))),
        T(143, b"\x00\x01" + T(6, bytes(5))), T(143, b"\x00\x01" + T(6, bytes(4))), T(143, b"\x00"),
        T(144, b"\x80\x00" + T(1, inst + b"\x02" + tree + tree) + T(3, bytes.fromhex("020000000001 0064")
                                                                        + b"\x80\x00\x00\x64\x41\x00\x00\x65")),
        T(144, b"\x00\x00" + T(1, inst + b"\x03" + tree)), T(144, b"\x00\x00" + T(1, bytes(5))),
        T(144, b"\x00\x00" + T(3, bytes(4))), T(144, b"\x00\x00" + T(7, b"x") + b"\x01"), T(144, b"\x00"),
    ]
    others += spb
    lan_tlvs = area + protos + ifaddr + if6 + neigh + restart + mt + T(8, bytes(20))
    p2p_tlvs = area + protos + ifaddr + T(240, b"\x00") + restart + T(8, b"")
    lsp_tlvs = (area + protos + host + rid + ifaddr + ext_is + ext_is2 + alias + is_reach + es_neigh + ip_int
                + ip_ext + ext_ip + ip6_reach + mt_is + mt_ip + mt_ip6 + mt + if6)
    base = [
        osi(isis_iih(15, lan_tlvs)),
        osi(isis_iih(16, lan_tlvs, ct=2, prio=0xff), dst="01:80:c2:00:00:15"),
        osi(isis_iih(17, p2p_tlvs, ct=1), dst="09:00:2b:00:00:05"),
        osi(isis_lsp(18, lsp_tlvs)),
        osi(isis_lsp(20, area + host + ext_is3 + ext_is4 + ext_is5, flags=0x7F, seq=0xFFFFFFFF, life=0)),
        osi(isis_snp(24, lsps)),
        osi(isis_snp(27, lsps)),
    ]
    for f in base:
        p.add(f)
    # Every PDU type, flag and header check.
    for f in [
        osi(isis_iih(15, lan_tlvs + T(8, bytes(255)) + T(8, bytes(200)))),  # padded to a large hello
        osi(isis_iih(17, p2p_tlvs, ct=0)),
        osi(isis_iih(17, p2p_tlvs, ct=7, idlen=6, maxarea=3)),
        osi(isis_lsp(18, area, cksum=0x1234)),  # incorrect
        osi(isis_lsp(18, area, cksum=0)),  # unverified
        osi(isis_lsp(20, area, flags=0x84)),
        osi(isis_lsp(20, area, flags=0x02)),
        osi(isis_lsp(20, area, flags=0x48)),
        osi(isis_lsp(20, area, flags=0x00)),
        osi(isis_lsp(18, area, pdu_len=10)),  # pdu length shorter than the header
        osi(isis_lsp(18, area + host, pdu_len=27 + len(area))),  # TLVs past the PDU length
        osi(isis_lsp(18, area + host, pdu_len=27 + len(area) + 3)),  # PDU length inside a TLV
        osi(isis_snp(25, lsps + T(9, b""))),
        osi(isis_snp(26, lsps)),
        osi(isis_snp(24, b"")),
        osi(isis_common(19, 8) + b"\x00\x01\x02\x03"),  # unknown PDU types
        osi(isis_common(10, 8)),
        osi(isis_common(15, 8, ver=2) + bytes(30)),
        osi(isis_common(15, 27, idlen=4) + bytes(30)),
        osi(isis_common(15, 27, idlen=255) + bytes(30)),
        osi(isis_common(15, 27, pver=3) + bytes(30)),
        osi(isis_common(15, 60) + bytes(30)),
        osi(isis_common(15, 4) + bytes(30)),
        osi(isis_common(15, 27, maxarea=255) + bytes(30)),
        osi(isis_iih(15, area, fixed=20)),  # bogus fixed header lengths
        osi(isis_iih(17, area, fixed=27)),
        osi(isis_lsp(18, area, fixed=26)),
        osi(isis_snp(24, lsps, fixed=20)),
        osi(isis_snp(26, lsps, fixed=20)),
        osi(isis_common(15, 27)),  # no room for the header
        osi(isis_common(18, 27) + bytes(10)),
        osi(b"\x83\x1b\x01"),  # shorter than the common header
    ]:
        p.add(f)
    # Every other TLV, alone in a hello and in an LSP.
    for t in others + auth + [ext_is_bad1, ext_is_bad2, ext_is_bad3, ext_is_bad4, ip_short, ext_ip_bad, ext_ip_short,
                              ip6_bad, mt_short, is_reach2, lsps]:
        p.add(osi(isis_iih(17, area + t + host)))
        p.add(osi(isis_lsp(20, t + area)))
    # Checksum TLV: correct, wrong, zero.
    for value in (None, 0x1111, 0):
        pdu = isis_iih(17, area + T(12, b"\x00\x00") + host)
        at = 8 + 12 + len(area) + 2
        p.add(osi(isis_checksummed(pdu, at, value)))
    # Other NLPIDs.
    for payload in [b"\x80\x01\x02\x03\x04", b"\x80", b"\x00\x01\x02",
                    b"\xcc" + bytes(IP(src=V4_A, dst=V4_B, id=1) / UDP(sport=1, dport=2)),
                    b"\x8e" + bytes(IPv6(src=V6_A, dst=V6_B) / UDP(sport=1, dport=2)), b"\x84" + bytes(20), b""]:
        p.add(osi(payload))
    for f in base:
        p.add_every_cut(f, 17, 3 if len(f) > 120 else 1)
    for f in base:
        p.add_mutants(f, 17, len(f), 12, rng)
    spb_lsp = osi(isis_lsp(20, spb[0] + spb[7]))
    p.add_every_cut(spb_lsp, 44, 2)
    p.add_mutants(spb_lsp, 44, len(spb_lsp), 12, rng)
    return p


# ---------------------------------------------------------------- OSI: CLNP, ES-IS


OSI_NSAP_A = bytes.fromhex("49000119201680000100")
OSI_NSAP_B = bytes.fromhex("3900010203040506070809000a0b0c0d0e0f1011") + b"\x00"


def clnp_pdu(ptype=28, flags=0x80, opts=b"", data=b"", seg=True, li=None, ver=1, life=33, cksum=None,
             src=OSI_NSAP_A, dst=OSI_NSAP_B[:20]):
    """A CLNP PDU: fixed part, addresses, segmentation part, options, data."""
    hdr = bytes([len(dst)]) + dst + bytes([len(src)]) + src
    if seg:
        hdr += struct.pack(">HHH", 0x1234, 0, 9 + len(hdr) + 6 + len(opts) + len(data))
    hdr += opts
    n = 9 + len(hdr)
    pdu = bytearray(bytes([0x81, n if li is None else li, ver, life, ptype | flags])
                    + struct.pack(">HH", n + len(data), 0) + hdr + data)
    if cksum is None:
        cksum = osi_cksum(bytes(pdu[:n]), 7)
    pdu[7:9] = struct.pack(">H", cksum)
    return bytes(pdu)


def esis_pdu(ptype, body, opts=b"", li=None, ver=1, hold=300, cksum=None):
    n = 9 + len(body) + len(opts)
    pdu = bytearray(bytes([0x82, n if li is None else li, ver, 0, ptype]) + struct.pack(">HH", hold, 0) + body + opts)
    if cksum is None:
        cksum = osi_cksum(bytes(pdu[:n]), 7)
    pdu[7:9] = struct.pack(">H", cksum)
    return bytes(pdu)


def clnp_file():
    """CLNP and ES-IS over LLC SAP 0xfe (print-isoclns.c): data, echo and
    error-report PDUs (with the quoted original packet), every option
    tcpdump decodes, correct/wrong/zero checksums and every header check;
    ESH, ISH, redirects with their options, unknown ES-IS types, every cut
    and mutants."""
    p = Pcap()
    rng = random.Random(0x81)
    T = isis_tlv
    ES = "09:00:2b:00:00:04"
    IS = "09:00:2b:00:00:05"
    data = bytes(range(20))
    inner = clnp_pdu(28, 0x80, data=b"abcd")
    opts = [
        T(205, b"\x0e"), T(195, b"\xdb"), T(195, b"\x41"), T(195, b"\x00"),
        T(197, b"\x80\x05"), T(200, b"\x00\x03" + b"\x03\x49\x00\x01"), T(203, b"\x01\x03" + b"\x00\x00"),
        T(200, b"\x00\x00"), T(200, b"\x00\x09\x01"), T(203, b"\x01\x03" + b"\x09\x49"), T(204, b"\x00\x00\x00"),
        T(99, b"\x01\x02\x03"), T(193, b"\x82"), T(193, b"\x35"), T(193, b"\xd1"), T(193, b"\x07"),
        T(193, b"\x91"), T(193, b"\xa1"), T(193, b"\xb4"), T(193, b"\xc0"),
    ]
    base = [
        osi(clnp_pdu(28, 0x80, T(205, b"\x0e") + T(195, b"\xdb"), data)),
        osi(clnp_pdu(30, 0x20, seg=False, data=data)),
        osi(clnp_pdu(31, 0x00, seg=False, data=inner)),
        osi(clnp_pdu(1, 0x00, T(193, b"\x82"), seg=False, data=inner)),
        osi(clnp_pdu(1, 0x00, T(193, b"\x00"), seg=False,
                     data=clnp_pdu(1, 0x00, T(193, b"\x07"), seg=False, data=inner))),
        osi(esis_pdu(2, b"\x02" + b"\x0a" + OSI_NSAP_A + b"\x03\x49\x00\x01",
                     T(198, b"\x00\x3c") + T(129, b"\x81\xcc") + T(197, b"\x01")), dst=IS),
        osi(esis_pdu(4, b"\x0a" + OSI_NSAP_A, T(198, b"\x00\x3c")), dst=ES),
        osi(esis_pdu(6, b"\x0a" + OSI_NSAP_A + b"\x06\x02\x00\x00\x00\x00\x02" + b"\x03\x49\x00\x01"),
            dst=MAC_B),
    ]
    for f in base:
        p.add(f)
    for o in opts:
        p.add(osi(clnp_pdu(28, 0x80, o, data)))
    for f in [
        osi(clnp_pdu(28, 0xE0, data=data, cksum=0)),
        osi(clnp_pdu(28, 0x40, data=data, cksum=0x4242, seg=False, life=0)),
        osi(clnp_pdu(29, 0x00, seg=False)),
        osi(clnp_pdu(5, 0x00, seg=False, data=b"xy")),
        osi(clnp_pdu(1, 0x00, seg=False, data=data)),
        osi(clnp_pdu(31, 0x00, seg=False)),  # error report with nothing after the header
        osi(clnp_pdu(28, 0x80, seg=False, data=data)),  # segmentation flag, no segmentation part
        osi(clnp_pdu(28, 0x00, T(205, b""), seg=False)),  # bad opt len
        osi(clnp_pdu(28, 0x00, b"\xcd\x09\x00", seg=False)),  # option too long
        osi(clnp_pdu(28, 0x00, b"\xcd", seg=False)),  # bad opts/li
        osi(clnp_pdu(28, 0x00, ver=2)),
        osi(clnp_pdu(28, 0x00, li=200)),
        osi(clnp_pdu(28, 0x00, li=5)),
        osi(clnp_pdu(28, 0x00, li=9)),
        osi(clnp_pdu(28, 0x00, li=15)),
        osi(clnp_pdu(28, 0x00, seg=False, src=b"", dst=b"")),
        osi(clnp_pdu(28, 0x00, seg=False, src=bytes(21), dst=b"\x01")),
        osi(b"\x81\x1f\x01"),
        osi(esis_pdu(2, b"\x00")),
        osi(esis_pdu(2, b"\x02\x03\x49\x00\x01")),  # fewer addresses than announced
        osi(esis_pdu(2, b"\x01\x09\x49")),
        osi(esis_pdu(2, b"\x02\x03\x49\x00\x01" + b"\x03\x49\x00\x02", li=14)),  # li ends inside the list
        osi(esis_pdu(4, b"\x05\x49\x00\x01\x02\x03", li=13), dst="09:00:2b:00:00:04"),
        osi(esis_pdu(4, b"", li=9) + b"\x00\x00"),
        osi(esis_pdu(4, b"\x03\x49\x00\x01", T(198, b"\x3c")), dst=ES),
        osi(esis_pdu(4, b"\x03\x49\x00\x01", b"\xc6"), dst=ES),
        osi(esis_pdu(4, b"\x03\x49\x00\x01", b"\xc6\x09\x00"), dst=ES),
        osi(esis_pdu(4, b"\x03\x49\x00\x01", T(129, b"\xcc\x8e") + T(198, b"\x00\x3c")), dst=ES),
        osi(esis_pdu(4, b"\x09\x49\x00\x01"), dst=ES),
        osi(esis_pdu(6, b"\x03\x49\x00\x01" + b"\x04\x0a\x0b\x0c\x0d" + b"\x00")),
        osi(esis_pdu(6, b"\x03\x49\x00\x01" + b"\x00" + b"\x03\x49\x00\x02", T(226, b"\xff" * 6))),
        osi(esis_pdu(6, b"\x03\x49\x00\x01" + b"\x00" + b"\x09\x49\x00\x02")),
        osi(esis_pdu(6, b"\x00\x00")),
        osi(esis_pdu(9, b"\x01\x02\x03\x04")),
        osi(esis_pdu(0, b"\x01\x02")),
        osi(esis_pdu(2, b"\x01\x01\x49", cksum=0x1111)),
        osi(esis_pdu(2, b"\x01\x01\x49", cksum=0)),
        osi(esis_pdu(2, b"\x01\x01\x49", ver=3)),
        osi(esis_pdu(2, b"\x01\x01\x49", li=100)),
        osi(esis_pdu(2, b"\x01\x01\x49", li=10)),
        osi(b"\x82\x0b"),
        osi(b"\x82\x0b\x01\x00\x02\x00"),
        # EtherType 0xfefe: one byte tcpdump skips, then the NLPID.
        Ether(src=MAC_A, dst=MAC_B, type=0xFEFE) / Raw(b"\x03" + clnp_pdu(28, 0x80, data=data)),
        Ether(src=MAC_A, dst=MAC_B, type=0xFEFE) / Raw(b"\x03" + esis_pdu(4, b"\x0a" + OSI_NSAP_A)),
        Ether(src=MAC_A, dst=MAC_B, type=0xFEFE) / Raw(b"\x03"),
        Ether(src=MAC_A, dst=MAC_B, type=0xFEFE),
        # OSI in GRE (protocol 0x00fe) and in PPP (protocol 0x0023, PPPoE session).
        eth(IP(src=V4_A, dst=V4_B, id=1) / GRE(proto=0x00FE) / Raw(isis_iih(17, T(1, b"\x03\x49\x00\x01")))),
        eth(IP(src=V4_A, dst=V4_B, id=1) / GRE(proto=0x00FE) / Raw(clnp_pdu(28, 0x80, data=data))),
        eth(PPPoE(sessionid=1) / PPP(proto=0x0023) / Raw(esis_pdu(4, b"\x0a" + OSI_NSAP_A)), type=0x8864),
        eth(PPPoE(sessionid=1) / PPP(proto=0x0023) / Raw(isis_lsp(20, T(1, b"\x03\x49\x00\x01"))), type=0x8864),
    ]:
        p.add(f)
    for f in base:
        p.add_every_cut(f, 17, 1)
    for f in base:
        p.add_mutants(f, 17, len(f), 16, rng)
    return p


# ---------------------------------------------------------------- AppleTalk


def atalk_file():
    """AppleTalk over Ethernet: DDP on EtherType 0x809b and in SNAP with
    Apple's OUI (NBP lookups and replies, ATP requests, responses and
    releases, RTMP/echo/unknown types, EIGRP), AARP requests, replies,
    probes and odd forms on 0x80f3 and in SNAP, EIGRP over IPX (socket
    0x85be); bad lengths, every cut and mutants."""
    p = Pcap()
    rng = random.Random(0x809B)

    def ddp(ty, body, dnet=10, dnode=5, dskt=2, snet=20, snode=7, sskt=253, length=None):
        n = 13 + len(body) if length is None else length
        return struct.pack(">HHHHBBBBB", n, 0, dnet, snet, dnode, snode, dskt, sskt, ty) + body

    def e2(body, ty=0x809B):
        return Ether(src=MAC_A, dst="09:00:07:ff:ff:ff", type=ty) / Raw(body)

    def snap(body, oui=b"\x08\x00\x07", ty=0x809B):
        llc = b"\xaa\xaa\x03" + oui + struct.pack(">H", ty)
        return Ether(src=MAC_A, dst="09:00:07:ff:ff:ff", type=len(llc) + len(body)) / Raw(llc + body)

    def cstr(s_):
        return bytes([len(s_)]) + s_

    def tuple_(net, node, skt, enum, obj, typ, zone):
        return struct.pack(">HBBB", net, node, skt, enum) + cstr(obj) + cstr(typ) + cstr(zone)

    nbp_lkup = struct.pack(">BB", 0x21, 7) + tuple_(20, 7, 253, 0, b"=", b"LaserWriter", b"*")
    nbp_reply = struct.pack(">BB", 0x32, 7) + tuple_(20, 7, 253, 1, b"Printer 1", b"LaserWriter", b"*") \
        + tuple_(30, 9, 130, 2, b"Mac\xe9", b"AFPServer", b"Zone A")
    atp = lambda control, bm, tid, data=0, rest=b"": struct.pack(">BBHI", control, bm, tid, data) + rest  # noqa: E731
    eigrp = bytes([2, 5]) + struct.pack(">HIIII", 0x1234, 0, 1, 0, 100) \
        + struct.pack(">HH", 1, 12) + bytes([1, 0, 1, 0, 0, 0]) + struct.pack(">H", 15)
    ddps = [
        ddp(2, nbp_lkup),
        ddp(2, nbp_reply, dskt=253, sskt=2),
        ddp(2, struct.pack(">BB", 0x12, 3) + tuple_(21, 8, 250, 4, b"a", b"b", b"c")),  # brRq, anomalies
        ddp(2, struct.pack(">BB", 0x31, 1) + tuple_(20, 7, 253, 1, b"x" * 33, b"t", b"z")),  # too long
        ddp(2, struct.pack(">BB", 0x45, 1) + bytes(10)),  # unknown NBP control
        ddp(2, struct.pack(">BB", 0x21, 1) + bytes(3)),  # truncated-nbp
        ddp(2, b"\x21"),
        ddp(3, atp(0x40, 0xff, 100)),
        ddp(3, atp(0x60, 0x01, 101, 0x12345678, b"data")),
        ddp(3, atp(0x58, 0x12, 102)),
        ddp(3, atp(0x90, 3, 103, 0, b"resp")),
        ddp(3, atp(0xA8, 3, 104)),
        ddp(3, atp(0xC0, 0x0F, 105)),
        ddp(3, atp(0xF8, 0x00, 106, 7, b"x")),
        ddp(3, atp(0x05, 0, 107)),
        ddp(3, b"\x40\x01"),  # short ATP
        ddp(1, bytes(8), dskt=1, sskt=1),
        ddp(4, b"\x01hello", dskt=4, sskt=4),
        ddp(6, bytes(4), dskt=6, sskt=6),
        ddp(87, bytes(4), dnode=255),
        ddp(22, bytes(20)),
        ddp(88, eigrp),
    ]
    aarp = lambda op, ht=1, pt=0x809B, hl=6, pl=4: struct.pack(  # noqa: E731
        ">HHBBH", ht, pt, hl, pl, op) + bytes.fromhex("020000000001 00001405 000000000000 00000a05")
    aarps = [aarp(1), aarp(2), aarp(3), aarp(4), aarp(1, ht=2), aarp(1, pt=0), aarp(2, hl=8)]
    base = [e2(d) for d in ddps] + [snap(d) for d in ddps[:3]]
    base += [e2(a, ty=0x80F3) for a in aarps] + [snap(aarps[0], oui=b"\x00\x00\x00", ty=0x80F3)]
    base += [e2(b"\x00\x0a\x00"), e2(aarps[0][:20], ty=0x80F3)]
    eigrp_ipx = (struct.pack(">HHBB", 0xFFFF, 30 + len(eigrp), 0, 4)
                 + bytes.fromhex("0000abcd 020000000002 85be 00001234 020000000001 85be") + eigrp)
    base.append(Ether(src=MAC_A, dst=MAC_B, type=0x8137) / Raw(eigrp_ipx))
    for f in base:
        p.add(f)
    for f in (base[0], base[1], base[8], base[22], base[-1]):
        p.add_every_cut(f, 14, 1)
    for f in base[:25]:
        p.add_mutants(f, 14, 50, 3, rng)
    return p


FILES = {
    "arp": arp_file,
    "vlan": vlan_file,
    "tcp": tcp_file,
    "icmp6": icmp6_file,
    "igmp": igmp_file,
    "gre": gre_file,
    "ip": ip_file,
    "ip6": ip6_file,
    "icmp": icmp_file,
    "udp": udp_file,
    "llc": llc_file,
    "mpls": mpls_file,
    "pppoe": pppoe_file,
    "ipsec": ipsec_file,
    "sctp": sctp_file,
    "dccp": dccp_file,
    "lldp": lldp_file,
    "cdp": cdp_file,
    "eapol": eapol_file,
    "slow": slow_file,
    "loopback": loopback_file,
    "ipx": ipx_file,
    "igrp": igrp_file,
    "bcmli": bcmli_file,
    "decnet": decnet_file,
    "isis": isis_file,
    "clnp": clnp_file,
    "atalk": atalk_file,
}


def main():
    out = sys.argv[1]
    only = set(sys.argv[2:])
    os.makedirs(out, exist_ok=True)
    files = dict((n, b) for n, b in FILES.items() if not only or n in only)
    for name, build in files.items():
        pc = build()
        pc.write(os.path.join(out, name + ".pcap"))
        print(f"{name}: {len(pc.records)} frames")
    if not only or "linktypes" in only:
        for name, pc in linktype_files().items():
            pc.write(os.path.join(out, "link-" + name + ".pcap"))
            print(f"link-{name}: {len(pc.records)} frames")


if __name__ == "__main__":
    main()
