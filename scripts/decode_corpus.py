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
        eth(IPv6(src=V6_A, dst=V6_B) / Raw(bytes.fromhex("8a00000000000000"))),  # router renumbering
        eth(IPv6(src=V6_A, dst=V6_B) / Raw(bytes.fromhex("99000000"))),
        eth(IPv6(src=V6_A, dst=V6_B) / Raw(bytes.fromhex("c8000000" + "00" * 8))),
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
    return p


# ---------------------------------------------------------------- IGMP

def igmp_file():
    p = Pcap()
    rng = random.Random(5)
    ra = [b"\x94\x04\x00\x00"]
    def ip(dst, payload, ttl=1, opts=True):
        i = IP(src=V4_A, dst=dst, ttl=ttl, id=1)
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
        # DVMRP, PIM v1, mtrace, unknown types.
        ip("224.0.0.4", Raw(bytes.fromhex("13ff0000000000000000"))),
        ip("224.0.0.13", Raw(bytes.fromhex("14000000000000"))),
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


FILES = {
    "arp": arp_file,
    "vlan": vlan_file,
    "tcp": tcp_file,
    "icmp6": icmp6_file,
    "igmp": igmp_file,
    "gre": gre_file,
}


def main():
    out = sys.argv[1]
    only = set(sys.argv[2:])
    os.makedirs(out, exist_ok=True)
    for name, build in FILES.items():
        if only and name not in only:
            continue
        pc = build()
        pc.write(os.path.join(out, name + ".pcap"))
        print(f"{name}: {len(pc.records)} frames")


if __name__ == "__main__":
    main()
