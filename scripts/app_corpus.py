#!/usr/bin/env python3
"""The application-protocol corpus (issue 16): frames for DNS, DHCP, NTP,
VXLAN, ... built with scapy, one pcap per protocol or family, written next
to the link/network/transport corpus of scripts/decode_corpus.py (whose
Pcap writer and addresses this reuses).

    app_corpus.py OUTDIR [NAME...]

Every file is deterministic (fixed timestamps, fixed random seeds) and
holds the common forms, the rare ones tcpdump prints differently (unknown
types, bad lengths, compression loops, bogus options), copies cut short by
a snapshot length at every byte of a few messages, and mutants (one byte
replaced). Addresses come from 198.18.0.0/15 and 2001:db8::/32 only.

Run by scripts/gen-decode-fixtures.sh, which also runs tcpdump over the
files to make the expected outputs.
"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import decode_corpus  # noqa: E402
from decode_corpus import Pcap, eth, MAC_A, MAC_B, V4_A, V4_B, V6_A, V6_B  # noqa: E402
from scapy.all import (  # noqa: E402
    Ether, DNS, DNSQR, DNSRR, DNSRROPT, EDNS0TLV, IP, IPv6, TCP, UDP, Raw,
    BOOTP, DHCP, conf,
)

conf.verb = 0


def udp4(sport, dport, payload, src=V4_A, dst=V4_B, **kw):
    return eth(IP(src=src, dst=dst, **kw) / UDP(sport=sport, dport=dport) / payload)


def udp6(sport, dport, payload, src=V6_A, dst=V6_B):
    return eth(IPv6(src=src, dst=dst) / UDP(sport=sport, dport=dport) / payload)


def tcp4(sport, dport, payload, src=V4_A, dst=V4_B, seq=1000, ack=2000, flags="PA"):
    return eth(IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, seq=seq, ack=ack,
                                          flags=flags) / payload)


# ---------------------------------------------------------------- DNS

def name(n):
    """A domain name in wire form, uncompressed."""
    out = b""
    for label in n.split("."):
        if label:
            b = label.encode("latin-1")
            out += bytes([len(b)]) + b
    return out + b"\x00"


def dns_header(id, flags, qd=0, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", id, flags, qd, an, ns, ar)


def rr(owner, type, rdata, ttl=3600, cls=1):
    """A resource record in wire form (owner already encoded)."""
    return owner + struct.pack(">HHIH", type, cls, ttl, len(rdata)) + rdata


def opt(options=b"", udp=1232, ext_rcode=0, version=0, do=False):
    flags = 0x8000 if do else 0
    return b"\x00" + struct.pack(">HHBBHH", 41, udp, ext_rcode, version, flags, len(options)) + options


def eopt(code, data):
    return struct.pack(">HH", code, len(data)) + data


def dns_messages():
    """DNS messages (bytes) covering the record types, flags and forms
    print-domain.c distinguishes."""
    qn = name("example.com")
    ptr12 = b"\xc0\x0c"  # the question's name
    msgs = []
    # Queries: each type tcpdump names, and some it does not.
    for t in [1, 2, 5, 6, 12, 15, 16, 28, 33, 35, 38, 39, 43, 46, 47, 48, 52, 64, 65, 99,
              104, 249, 250, 251, 252, 255, 256, 257, 65280]:
        msgs.append(dns_header((0x1000 + t) & 0xffff, 0x0100, qd=1) + qn + struct.pack(">HH", t, 1))
    # Classes, flags, opcodes, counts.
    for cls in [3, 4, 255, 254, 0x8001]:
        msgs.append(dns_header(7, 0x0100, qd=1) + qn + struct.pack(">HH", 1, cls))
    for flags in [0x0000, 0x0110, 0x0010, 0x0800, 0x1000, 0x2100, 0x2800, 0x7800, 0x0200,
                  0x0400, 0x0080, 0x0040, 0x0020, 0x000f, 0x06cf]:
        msgs.append(dns_header(8, flags, qd=1) + qn + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(9, 0x0100, qd=2) + qn + struct.pack(">HH", 1, 1) + ptr12
                + struct.pack(">HH", 28, 1))
    msgs.append(dns_header(10, 0x0100, qd=0))
    msgs.append(dns_header(11, 0x0800, qd=0, an=1) + rr(qn, 1, bytes([198, 18, 0, 9])))
    msgs.append(dns_header(12, 0x0800, qd=2, an=2) + qn + struct.pack(">HH", 1, 1))
    # Query with an OPT record (the usual dig query) and with options.
    q = qn + struct.pack(">HH", 1, 1)
    msgs.append(dns_header(13, 0x0120, qd=1, ar=1) + q + opt(udp=1232,
                options=eopt(10, bytes(range(8)))))
    msgs.append(dns_header(14, 0x0100, qd=1, ar=1) + q + opt(do=True))
    options = [
        eopt(3, b""), eopt(3, b"ns1"), eopt(8, bytes([0, 1, 24, 0, 198, 18, 0])),
        eopt(8, bytes([0, 2, 48, 0]) + bytes.fromhex("20010db80001")),
        eopt(8, bytes([0, 1, 24, 0, 198, 18])), eopt(8, bytes([0, 3, 8, 0, 1])),
        eopt(8, bytes([0, 1, 40, 0, 1, 2, 3, 4, 5])), eopt(8, b"\x00\x01"),
        eopt(8, bytes([0, 1, 0, 0])), eopt(8, bytes([0, 1, 32, 33, 198, 18, 0, 1])),
        eopt(10, bytes(range(8)) + bytes(range(16))), eopt(10, bytes(5)), eopt(10, bytes(12)),
        eopt(10, bytes(41)), eopt(11, b"\x00\x96"), eopt(11, b"\x01"), eopt(9, b"\x00\x00\x0e\x10"),
        eopt(9, b"\x00"), eopt(12, bytes(20)), eopt(14, b"\x4f\x66\x00\x01"), eopt(14, b"\x01"),
        eopt(5, bytes([8, 13, 15, 99, 253])), eopt(6, bytes([1, 2, 4, 9])), eopt(7, bytes([1, 2])),
        eopt(13, name("example.com")), eopt(13, b"\x03abc\xc0\x00"), eopt(1, b"\x00\x01"),
        eopt(16, b"\x00\x02"), eopt(17, b"\x00\x03"), eopt(4, b"xy"), eopt(65001, b"\xff"),
        eopt(2, b""),
    ]
    for o in options:
        msgs.append(dns_header(15, 0x0100, qd=1, ar=1) + q + opt(o))
    msgs.append(dns_header(16, 0x0100, qd=1, ar=1) + q + opt(b"".join(options[:6])))
    # An option whose length runs past the record.
    msgs.append(dns_header(17, 0x0100, qd=1, ar=1) + q + b"\x00" + struct.pack(
        ">HHIH", 41, 4096, 0, 6) + struct.pack(">HH", 3, 10) + b"ab")
    # Responses: every record type the printer decodes.
    an_records = [
        rr(ptr12, 1, bytes([198, 18, 0, 9]), ttl=300),
        rr(ptr12, 28, bytes.fromhex("20010db8000000000000000000000009"), ttl=0),
        rr(ptr12, 28, bytes.fromhex("00000000000000000000ffffc6120009")),
        rr(ptr12, 5, name("www.example.net"), ttl=86400 * 8 + 3661),
        rr(ptr12, 2, name("ns1.example.com"), ttl=31536000 * 2 + 5),
        rr(ptr12, 12, b"\x04host" + ptr12),
        rr(ptr12, 39, name("example.org")),
        rr(ptr12, 15, b"\x00\x0a" + b"\x04mail" + ptr12),
        rr(ptr12, 16, b"\x0bhello world\x00\x05a\"b\\c"),
        rr(ptr12, 16, b"\x03\x01\x7f\xff" + b"\x04tab\x09"),
        rr(ptr12, 33, struct.pack(">HHH", 10, 20, 5060) + name("sip.example.com")),
        rr(ptr12, 6, name("ns1.example.com") + name("hostmaster.example.com")
           + struct.pack(">IIIII", 2024010101, 7200, 3600, 1209600, 300)),
        rr(ptr12, 38, bytes([0]) + bytes.fromhex("20010db8000000000000000000000001")),
        rr(ptr12, 38, bytes([64]) + bytes.fromhex("0000000000000001") + name("prefix.example.com")),
        rr(ptr12, 38, bytes([128]) + name("prefix.example.com")),
        rr(ptr12, 38, bytes([200])),
        rr(ptr12, 256, struct.pack(">HH", 10, 1) + b"https://example.com/"),
        rr(ptr12, 256, b"\x00"),
        rr(ptr12, 104, b"unspecified ascii"),
        rr(ptr12, 250, name("key.example.com") + bytes(6) + struct.pack(">HH", 300, 4) + b"MACS"
           + struct.pack(">HHH", 77, 0, 0)),
        rr(ptr12, 43, bytes.fromhex("4f66080201020304")),
        rr(ptr12, 48, bytes.fromhex("0101030801020304")),
        rr(ptr12, 46, bytes.fromhex("0001080200000e10") + bytes(8) + b"\x00" + b"sig"),
        rr(ptr12, 47, name("next.example.com") + b"\x00\x01\x40"),
        rr(ptr12, 13, b"\x03cpu\x02os"),
        rr(ptr12, 65280, b"\x01\x02\x03"),
        rr(ptr12, 1, bytes([198, 18, 0, 9]), cls=3),
        rr(ptr12, 1, bytes([198, 18, 0, 9]), cls=200),
        rr(ptr12, 1, b""),
        rr(ptr12, 28, bytes(4)),
        rr(b"\x00", 1, bytes([198, 18, 0, 10])),
    ]
    for i, r in enumerate(an_records):
        msgs.append(dns_header(0x2000 + i, 0x8180, qd=1, an=1) + q + r)
    msgs.append(dns_header(0x2100, 0x8180, qd=1, an=len(an_records[:12]))
                + q + b"".join(an_records[:12]))
    # Authority and additional sections (printed with -vv), an OPT record in
    # the additional section with extended rcodes.
    soa = an_records[11]
    for flags, ext in [(0x8183, 0), (0x8180, 1), (0x8187, 1), (0x8400, 0), (0x8580, 0),
                       (0x8380, 0), (0x81a0, 0), (0x8100, 0), (0x8182, 0), (0x8185, 0),
                       (0x818b, 0), (0x818f, 0), (0x8181, 0x10), (0x8180, 0xff), (0xa980, 0),
                       (0x8990, 0), (0xf800, 0)]:
        msgs.append(dns_header(0x3000 + flags % 256, flags, qd=1, an=1, ns=1, ar=2) + q
                    + an_records[0] + soa + rr(b"\x03ns1" + ptr12, 1, bytes([198, 18, 0, 53]))
                    + opt(ext_rcode=ext, do=True, options=eopt(3, b"")))
    msgs.append(dns_header(0x3100, 0x8180, qd=1, an=0, ns=2, ar=0) + q + soa + soa)
    msgs.append(dns_header(0x3101, 0x8180, qd=0, an=1) + an_records[0].replace(ptr12, qn))
    msgs.append(dns_header(0x3102, 0x8180, qd=3, an=0) + q + q + q)
    # Counts larger than the records present.
    msgs.append(dns_header(0x3200, 0x8180, qd=1, an=3) + q + an_records[0])
    msgs.append(dns_header(0x3201, 0x8180, qd=1, an=1, ns=2, ar=5) + q + an_records[0])
    msgs.append(dns_header(0x3202, 0x0100, qd=4) + q)
    msgs.append(dns_header(0x3203, 0x0100, qd=1, an=2, ns=1, ar=1) + q + an_records[0])
    # Names: compression forms, loops, bad pointers, label types.
    msgs.append(dns_header(0x4000, 0x0100, qd=1) + b"\xc0\x0c" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4001, 0x0100, qd=1) + b"\xc0\x30" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4002, 0x0100, qd=1) + b"\x03abc\xc0\x0c" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4003, 0x8180, qd=1, an=1) + q + rr(b"\x03www\xc0\x0c", 5,
                b"\x03foo\xc0\x2d"))
    msgs.append(dns_header(0x4004, 0x8180, qd=1, an=1) + q + rr(ptr12, 5, b"\xc0\x1d"))
    msgs.append(dns_header(0x4005, 0x0100, qd=1) + b"\x41\x10\xab\xcd" + b"\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4006, 0x0100, qd=1) + b"\x41\x0c\xab\xcd" + b"\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4007, 0x0100, qd=1) + b"\x41\x03\xe0" + b"\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4008, 0x0100, qd=1) + b"\x41\x00" + bytes(32) + b"\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x4009, 0x0100, qd=1) + b"\x42\x01" + b"\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x400a, 0x0100, qd=1) + b"\x03abc\x82xy\x00" + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x400b, 0x0100, qd=1) + b"\x03a\x00b\x03\xff\x01\x7f\x00" + struct.pack(">HH", 1, 1))
    long_name = b"".join(bytes([63]) + bytes([0x61 + i]) * 63 for i in range(5)) + b"\x00"
    msgs.append(dns_header(0x400c, 0x0100, qd=1) + long_name + struct.pack(">HH", 1, 1))
    msgs.append(dns_header(0x400d, 0x8180, qd=1, an=1) + q + rr(ptr12, 5, long_name))
    # A pointer chain: each name points at the previous one (backwards, legal).
    chain = dns_header(0x400e, 0x8180, qd=1, an=40) + q
    prev = 12
    for i in range(40):
        at = len(chain)
        chain += rr(b"\x01" + bytes([0x61 + i % 26]) + struct.pack(">H", 0xc000 | prev), 1,
                    bytes([198, 18, 0, i]))
        prev = at
    msgs.append(chain)
    # Compression loops (a pointer to itself, two names pointing at each
    # other) and a legal chain of 10,000 labels: units of three labels and a
    # pointer back to the previous unit, then a name of 4,000 labels that
    # points at the last unit.
    msgs.append(dns_header(0x400f, 0x8180, qd=1, an=1) + q + rr(b"\xc0\x1d", 5, b"\x01x\xc0\x2d"))
    msgs.append(dns_header(0x4011, 0x0100, qd=1) + b"\x01x\xc0\x0c" + struct.pack(">HH", 1, 1))
    chain_msg = dns_header(0x4012, 0x8180, qd=1, an=2) + q
    units = b""
    prev = 12
    while len(chain_msg) + len(units) + 30 < 0x3fff:
        here = len(chain_msg) + len(units) + 12  # after the holder record's fixed part
        units += b"\x01x" * 3 + struct.pack(">H", 0xc000 | prev)
        prev = here
    holder = rr(b"\xc0\x0c", 10, units)
    msgs.append(chain_msg + holder + rr(b"\x01x" * 4000 + struct.pack(">H", 0xc000 | prev), 1,
                                        bytes([198, 18, 0, 1])))
    msgs.append(dns_header(0x4010, 0x0100, qd=1) + b"\xff\xff" + struct.pack(">HH", 1, 1))
    # mDNS-style records (QU, cache flush) through the plain DNS port.
    msgs.append(dns_header(0, 0x8400, qd=0, an=1) + rr(qn, 1, bytes([198, 18, 0, 9]), cls=0x8001))
    return msgs


def mdns_messages():
    qn = name("printer.local")
    q = qn + struct.pack(">HH", 33, 0x8001)
    return [
        dns_header(0, 0, qd=1) + q,
        dns_header(0, 0, qd=2) + q + name("_ipp._tcp.local") + struct.pack(">HH", 12, 1),
        dns_header(0, 0, qd=1) + qn + struct.pack(">HH", 255, 0x8003),
        dns_header(0, 0x8400, an=2) + rr(qn, 1, bytes([198, 18, 0, 9]), cls=0x8001, ttl=120)
        + rr(b"\xc0\x0c", 28, bytes.fromhex("fe800000000000000000000000000009"), cls=0x8001),
        dns_header(0, 0x8400, an=1, ar=1) + rr(name("_ipp._tcp.local"), 12, b"\x03lpr\xc0\x0c",
                                               cls=1) + rr(qn, 16, b"\x05txtvers=1", cls=0x8001),
        dns_header(0, 0x8400, an=1) + rr(qn, 47, b"\xc0\x0c\x00\x04\x40\x00\x00\x08", cls=0x8001),
    ]


def dns_file():
    p = Pcap()
    rng = random.Random(16)
    msgs = dns_messages()
    frames = []
    for i, m in enumerate(msgs):
        resp = m[2] & 0x80
        if resp:
            f = udp4(53, 33000 + i, Raw(m), src=V4_B, dst=V4_A)
        else:
            f = udp4(33000 + i, 53, Raw(m))
        frames.append(f)
        p.add(f)
    # Over IPv6, and through the ports' other side.
    for m in msgs[:40:4]:
        p.add(udp6(53, 5353, Raw(m)))
    # DNS over TCP: good prefix, wrong prefix, short, two messages.
    for m in msgs[::9]:
        p.add(tcp4(40053, 53, Raw(struct.pack(">H", len(m)) + m)))
    m = msgs[0]
    p.add(tcp4(40053, 53, Raw(struct.pack(">H", len(m) + 3) + m)))
    p.add(tcp4(53, 40053, Raw(b"\x00")))
    p.add(tcp4(53, 40053, Raw(struct.pack(">H", 5) + m[:5])))
    p.add(tcp4(53, 40053, Raw(struct.pack(">H", len(m)) + m), flags="FPA"))
    p.add(tcp4(40053, 53, Raw(b""), flags="S"))
    # Short messages.
    for n in [0, 1, 11, 12]:
        p.add(udp4(33999, 53, Raw(msgs[0][:n])))
    # A length field that claims more than the IP length and less.
    p.add(eth(IP(src=V4_A, dst=V4_B) / UDP(sport=33999, dport=53, len=200) / Raw(msgs[0])))
    p.add(eth(IP(src=V4_A, dst=V4_B) / UDP(sport=33999, dport=53, len=30) / Raw(msgs[0])))
    # Cut by a snapshot length at every byte of a few messages.
    for k in [0, 40, 60, 70, 90, 100, 120, 130]:
        if k < len(frames):
            p.add_every_cut(frames[k], 42, 1)
    # Mutants: one header or body byte replaced.
    for k in range(0, len(frames), 3):
        if len(bytes(frames[k])) < 1500:
            p.add_mutants(frames[k], 42, len(bytes(frames[k])), 4, rng)
    return p


def mdns_file():
    p = Pcap()
    rng = random.Random(17)
    frames = []
    for m in mdns_messages():
        f = udp4(5353, 5353, Raw(m), dst="224.0.0.251")
        frames.append(f)
        p.add(f)
        p.add(udp6(5353, 5353, Raw(m), dst="ff02::fb"))
    for m in dns_messages()[::5]:
        p.add(udp4(5353, 5353, Raw(m), dst="224.0.0.251"))
    # LLMNR (5355): tcpdump 4.99 has no printer for it.
    p.add(udp4(40000, 5355, Raw(dns_header(1, 0, qd=1) + name("host") + struct.pack(">HH", 1, 1))))
    for f in frames[:4]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 6, rng)
    return p


# ---------------------------------------------------------------- DHCP

def bootp(op=1, htype=1, hlen=6, hops=0, xid=0x3903f326, secs=0, flags=0, ciaddr="0.0.0.0",
          yiaddr="0.0.0.0", siaddr="0.0.0.0", giaddr="0.0.0.0", chaddr=b"\x02\x00\x00\x00\x00\x01",
          sname=b"", file=b"", vend=None, options=b""):
    """A BOOTP message; `vend` replaces the vendor area, else the DHCP magic
    cookie and `options`."""
    b = scapy_bootp = BOOTP(op=op, htype=htype, hlen=hlen, hops=hops, xid=xid, secs=secs,
                            flags=flags, ciaddr=ciaddr, yiaddr=yiaddr, siaddr=siaddr,
                            giaddr=giaddr, chaddr=chaddr.ljust(16, b"\x00"), sname=sname.ljust(64, b"\x00")[:64],
                            file=file.ljust(128, b"\x00")[:128])
    raw = bytes(scapy_bootp)[:236]
    if vend is None:
        vend = b"\x63\x82\x53\x63" + options
    return raw + vend


def opt4(tag, data):
    return bytes([tag, len(data)]) + data


def dhcp_messages():
    ip = lambda s: bytes(int(x) for x in s.split("."))
    mt = lambda t: opt4(53, bytes([t]))
    end = b"\xff"
    msgs = []
    # The usual exchange.
    msgs.append(bootp(options=mt(1) + opt4(61, b"\x01\x02\x00\x00\x00\x00\x01")
                      + opt4(50, ip("198.18.0.50")) + opt4(12, b"client-1")
                      + opt4(55, bytes([1, 3, 6, 15, 26, 28, 42, 51, 54, 58, 59, 119, 121, 252, 0, 200]))
                      + opt4(57, b"\x05\xdc") + opt4(60, b"rawcap 1.0") + end + bytes(20)))
    msgs.append(bootp(op=2, yiaddr="198.18.0.50", siaddr="198.18.0.1",
                      options=mt(2) + opt4(54, ip("198.18.0.1")) + opt4(51, b"\x00\x00\x0e\x10")
                      + opt4(58, b"\x00\x00\x07\x08") + opt4(59, b"\x00\x00\x0c\x4e")
                      + opt4(1, ip("255.255.255.0")) + opt4(3, ip("198.18.0.1"))
                      + opt4(6, ip("198.18.0.1") + ip("198.18.0.2")) + opt4(15, b"example.test")
                      + opt4(28, ip("198.18.0.255")) + opt4(42, ip("198.18.0.1")) + end))
    msgs.append(bootp(flags=0x8000, secs=3, options=mt(3) + opt4(50, ip("198.18.0.50"))
                      + opt4(54, ip("198.18.0.1")) + opt4(81, b"\x01\x00\x00client-1.example.test") + end))
    msgs.append(bootp(op=2, yiaddr="198.18.0.50", options=mt(5) + opt4(54, ip("198.18.0.1")) + end))
    for t in [4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0]:
        msgs.append(bootp(ciaddr="198.18.0.50", options=mt(t) + end))
    msgs.append(bootp(options=opt4(53, b"\x01\x02") + end))
    # Every tag print-bootp.c names, with plausible data, and unknown ones.
    datas = {
        "i": ip("198.18.0.7") + ip("198.18.0.8"), "l": b"\x00\x01\x51\x80", "L": b"\xff\xff\xf1\xf0",
        "s": b"\x05\xdc\x02\x40", "b": b"\x01\x02\x03", "a": b"some text\x01\xff",
        "B": b"\x00\x01\x07", "p": ip("198.18.0.0") + ip("198.18.0.1"), " ": b"\x05",
    }
    tags = {1: "i", 2: "L", 3: "i", 4: "i", 5: "i", 6: "i", 7: "i", 8: "i", 9: "i", 10: "i",
            11: "i", 12: "a", 13: "s", 14: "a", 15: "a", 16: "i", 17: "a", 18: "a", 19: "B",
            20: "B", 21: "p", 22: "s", 23: "b", 24: "l", 25: "s", 26: "s", 27: "B", 28: "i",
            29: "B", 30: "B", 31: "B", 32: "i", 33: "p", 34: "B", 35: "l", 36: "B", 37: "b",
            38: "l", 39: "B", 40: "a", 41: "i", 42: "i", 43: "b", 44: "i", 45: "i", 47: "a",
            48: "i", 49: "i", 64: "s", 65: "i", 68: "i", 69: "i", 70: "i", 71: "i", 72: "i",
            73: "i", 74: "i", 75: "i", 76: "i", 50: "i", 51: "l", 66: "a", 67: "a", 54: "i",
            56: "a", 57: "s", 58: "l", 59: "l", 60: "a", 98: "a", 116: "B", 78: "b", 79: "b",
            117: "s", 118: "i", 150: "i", 80: "a", 83: "b", 88: "a", 89: "b", 90: "b", 91: "L",
            92: "i", 93: "s", 94: "b", 97: "b", 95: "a", 100: "a", 101: "a", 112: "i", 113: "a",
            114: "a", 161: "a", 99: " ", 200: "b", 201: "s", 202: "l", 203: "i", 254: "b"}
    opts = [opt4(t, datas[f]) for t, f in tags.items()]
    for k in range(0, len(opts), 12):
        msgs.append(bootp(options=b"".join(opts[k:k + 12]) + end))
    unknown = [opt4(200, b"\x01"), opt4(201, b"\x01\x02"), opt4(202, b"\x01\x02\x03\x04"),
               opt4(203, b"\x01\x02\x03\x04\x05\x06"), opt4(204, b""), opt4(1, b"\x01\x02\x03"),
               opt4(1, ip("255.255.0.0") + b"\x01"), opt4(13, b"\x01\x02\x03"), opt4(21, bytes(12))]
    msgs.append(bootp(options=b"".join(unknown) + end))
    # The options with their own code.
    special = [
        opt4(46, b"\x01"), opt4(46, b"\x08"), opt4(46, b"\x03"), opt4(46, b""),
        opt4(52, b"\x01"), opt4(52, b"\x03"), opt4(52, b"\x07"), opt4(52, b""),
        opt4(81, b"\x05\x00\x00host"), opt4(81, b"\x1f\xff\x01x"), opt4(81, b"\x00"),
        opt4(61, b"\x00client-id"), opt4(61, b"\x06\x01\x02"), opt4(61, b"\x42\x01\x02\x03"), opt4(61, b""),
        opt4(82, b"\x01\x04eth0\x02\x03abc\x06\x02xy\x09\x05\x01\x02\x03\x04\x05"),
        opt4(82, b"\x01\x09ab"), opt4(82, b"\x01"),
        opt4(121, b"\x18\xc6\x12\x01\xc6\x12\x00\x01\x00\xc6\x12\x00\x01\x20\xc6\x12\x00\x09\xc6\x12\x00\x01"),
        opt4(121, b"\x21\x00\x00\x00\x00\x00"), opt4(121, b"\x18\xc6\x12\x01\xc6"), opt4(121, b"\x00\x01"),
        opt4(249, b"\x08\x0a\xc6\x12\x00\x01"),
        opt4(77, b"\x04abcd\x02xy"), opt4(77, b"\x00ab"), opt4(77, b"\x09ab"), opt4(77, b"\x01"),
        opt4(143, b"\x00\x05https\x00\x03abc"), opt4(143, b"\x00\x09abc"), opt4(143, b"\x00\x01a\x07"),
        opt4(55, b""), opt4(55, bytes(range(0, 20))),
    ]
    for k in range(0, len(special), 4):
        msgs.append(bootp(options=b"".join(special[k:k + 4]) + end))
    # PAD runs (their count shows with -vvv), END then bytes, no END,
    # an option running past the end.
    msgs.append(bootp(options=b"\x00\x00\x00" + mt(1) + b"\x00" + end + b"\x00\x00\x0c\x02ab"))
    msgs.append(bootp(options=mt(1) + opt4(12, b"host")))
    msgs.append(bootp(options=mt(1) + b"\x0c\x20abc"))
    msgs.append(bootp(options=mt(1) + b"\x0c"))
    # Header forms: other hardware, hops, relay, server names and files.
    msgs.append(bootp(htype=6, hlen=6, hops=2, giaddr="198.18.0.254", options=mt(1) + end))
    msgs.append(bootp(htype=1, hlen=8, options=mt(1) + end))
    msgs.append(bootp(htype=32, hlen=20, xid=0, secs=65535, options=mt(1) + end))
    msgs.append(bootp(op=2, sname=b"server.example.test", file=b"/boot/pxelinux.0",
                      siaddr="198.18.0.1", options=mt(5) + end))
    msgs.append(bootp(op=2, sname=b"x" * 64, options=mt(5) + end))
    msgs.append(bootp(op=2, file=b"\x01\xffbad" + b"y" * 125, options=mt(5) + end))
    msgs.append(bootp(op=3, options=mt(1) + end))
    msgs.append(bootp(op=0, options=end))
    # Plain BOOTP: the CMU vendor area, another cookie, none.
    cmu = b"CMU\x00" + struct.pack(">I", 1) + ip("255.255.255.0") + ip("198.18.0.1") + ip("198.18.0.2") \
        + bytes(4) + ip("198.18.0.3") + bytes(4) + ip("198.18.0.4") + ip("198.18.0.5") + bytes(24)
    msgs.append(bootp(vend=cmu))
    msgs.append(bootp(vend=b"CMU\x00" + struct.pack(">I", 6) + bytes(56)))
    msgs.append(bootp(vend=b"\x01\x02\x03\x04" + bytes(60)))
    msgs.append(bootp(vend=bytes(64)))
    msgs.append(bootp(vend=b""))
    # A 64 KiB bogus option list: one-byte options over a jumbo datagram.
    msgs.append(bootp(options=(b"\xc8\x00" * 32000)[:65000]))
    return msgs


def dhcp_file():
    p = Pcap()
    rng = random.Random(67)
    frames = []
    for m in dhcp_messages():
        if m[0] == 2:
            f = udp4(67, 68, Raw(m), src=V4_B, dst="198.18.0.50")
        else:
            f = udp4(68, 67, Raw(m), src="0.0.0.0", dst="255.255.255.255")
        frames.append(f)
        p.add(f)
    # The same exchange from the server's port only, and relayed (67 both).
    p.add(udp4(67, 67, Raw(dhcp_messages()[0]), src="198.18.0.254", dst=V4_B))
    p.add(udp4(40000, 68, Raw(dhcp_messages()[1])))
    for n in [0, 1, 3, 200]:
        p.add(udp4(68, 67, Raw(dhcp_messages()[0][:n])))
    # sname without its NUL: ended by the UDP length (the IP length goes on),
    # and by its own 64 bytes.
    named = bytearray(dhcp_messages()[0])
    named[44:108] = b"s" * 64
    for ulen in [8 + 100, 8 + 120]:
        f = udp4(68, 67, Raw(bytes(named)))
        f[UDP].len = ulen
        p.add(f)
    for f in frames[:3]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        if len(bytes(f)) < 1500:
            p.add_mutants(f, 42, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- DHCPv6

def o6(code, data):
    return struct.pack(">HH", code, len(data)) + data


def dhcp6_messages():
    a6 = lambda s: bytes.fromhex(s)
    addr = a6("20010db8000000000000000000000064")
    duid_llt = o6(1, b"\x00\x01\x00\x01\x2c\x3d\x4e\x5f\x02\x00\x00\x00\x00\x01")
    duid_en = o6(2, b"\x00\x02\x00\x00\x00\x09\x0c\xc0\x84\xd3\x03\x00\x09\x12")
    duid_ll = o6(1, b"\x00\x03\x00\x01\x02\x00\x00\x00\x00\x01")
    ia_addr = o6(5, addr + struct.pack(">II", 3600, 7200))
    ia_addr_st = o6(5, addr + struct.pack(">II", 3600, 7200) + o6(13, b"\x00\x00ok"))
    ia_na = o6(3, struct.pack(">III", 1, 1800, 2880) + ia_addr)
    prefix = o6(26, struct.pack(">IIB", 3600, 7200, 56) + a6("20010db8ff0000000000000000000000"))
    ia_pd = o6(25, struct.pack(">III", 2, 0, 0) + prefix)
    msgs = []
    hdr = lambda t, xid=0x12345678: struct.pack(">I", (t << 24) | (xid & 0xffffff))
    msgs.append(hdr(1) + duid_llt + o6(6, b"\x00\x17\x00\x18\x00\x1f\x00\x38\x00\x99") + o6(8, b"\x00\x00")
                + o6(3, struct.pack(">III", 1, 0, 0)) + o6(14, b""))
    msgs.append(hdr(2) + duid_llt + duid_en + ia_na + o6(7, b"\xff")
                + o6(23, a6("20010db8000000000000000000000001") + a6("20010db8000000000000000000000002"))
                + o6(24, b"\x07example\x04test\x00\x03lab\xc0\x00"))
    msgs.append(hdr(3) + duid_ll + duid_en + ia_na + ia_pd + o6(39, b"\x01\x04host\x00"))
    msgs.append(hdr(7) + duid_llt + duid_en + o6(3, struct.pack(">III", 1, 1800, 2880) + ia_addr_st)
                + o6(13, b"\x00\x02no addresses") + o6(13, b"\x01\x00") + o6(13, b"\x00\x63") + o6(13, b"\x00"))
    for t in [4, 5, 6, 8, 9, 10, 11, 14, 15, 16, 0, 255]:
        msgs.append(hdr(t, t) + duid_llt)
    msgs.append(hdr(12) + b"\x01" + addr + a6("fe800000000000000000000000000001")
                + o6(18, b"eth0-port-1234567") + o6(9, hdr(1) + duid_llt + o6(8, b"\x00\x10"))
                + o6(37, b"\x00\x00\x00\x09remote-identifier"))
    msgs.append(hdr(13) + b"\x00" + addr + a6("fe800000000000000000000000000001")
                + o6(9, hdr(7) + duid_en + ia_na))
    opts = [
        o6(4, struct.pack(">I", 5) + ia_addr), o6(4, b"\x00\x00"), o6(6, b"\x00\x17\x00"),
        o6(7, b"\x01\x02"), o6(8, b"\x01"), o6(11, b"\x02\x01\x00" + bytes(8)),
        o6(11, b"\x02\x01\x00" + bytes(8) + b"realm" + bytes(20)), o6(11, b"\x02\x02\x01" + bytes(8) + bytes(5)),
        o6(11, b"\x03\x01\x00" + bytes(8) + b"\x01" + bytes(16)), o6(11, b"\x03\x01\x00" + bytes(8) + b"\x02" + bytes(15)),
        o6(11, b"\x07\x09\x09" + bytes(8)), o6(11, b"\x02"), o6(12, addr), o6(15, b"\x00\x03abc\x00\x02de"),
        o6(15, b"\x00\x09ab"), o6(16, b"\x00\x00\x01\x37\x00\x04abcd"), o6(17, b"\x00\x00\x01\x37\x00\x01\x00\x01x"),
        o6(19, b"\x05"), o6(19, b"\x0b"), o6(19, b"\x07"), o6(19, b""), o6(20, b""),
        o6(21, b"\x03sip\x07example\x00"), o6(22, addr), o6(22, addr[:8]), o6(27, addr), o6(28, addr),
        o6(29, b"\x03nis\x00"), o6(31, addr), o6(32, b"\x00\x00\x0e\x10"), o6(32, b"\x01"), o6(34, addr),
        o6(38, b"subscriber-identity"), o6(40, addr), o6(41, b"EST5EDT4,M3.2.0/02:00,M11.1.0/02:00"),
        o6(42, b"Europe/Zurich"), o6(42, b"UTC"), o6(43, b"\x00\x01\x00\x02"), o6(44, b"\x01" + addr + o6(6, b"\x00\x05")),
        o6(44, b"\x07" + addr), o6(44, b"\x01"), o6(45, duid_llt + ia_addr), o6(45, b""), o6(46, b"\x00\x00\x00\x3c"),
        o6(47, addr + b"\x01\x02\x03"), o6(47, b"\x01"), o6(48, addr + addr),
        o6(56, o6(1, addr) + o6(2, a6("ff050000000000000000000000000101")) + o6(3, b"\x03ntp\x07example\x00")
           + o6(9, b"x")), o6(56, o6(1, addr[:4])), o6(56, b"\x00"), o6(56, o6(3, b"\x05ab")),
        o6(59, b"tftp://[2001:db8::1]/boot.efi"), o6(64, b"\x04aftr\x07example\x00"), o6(64, b"\x09ab"),
        o6(64, b"\x01"), o6(112, b"https://mud.example/dev"), o6(112, b"\x01"), o6(36, b"civic"), o6(99, b"\x01\x02"),
        o6(2, b"\x00\x01\x00"), o6(2, b"\x00\x02\x01"), o6(2, b"\x00\x03\x01"), o6(2, b"\x00\x07\x01"), o6(2, b"\x01"),
        o6(5, addr), o6(3, b"\x00\x01"), o6(25, b"\x00"), o6(26, b"\x00"), o6(13, b""), o6(24, b"\x03abc"),
        o6(18, b"ab"), o6(37, b"\x00\x00\x00\x01"), o6(37, b"\x00"),
    ]
    for k in range(0, len(opts), 5):
        msgs.append(hdr(7, k) + b"".join(opts[k:k + 5]))
    # Options whose length runs past the message, nested cuts.
    msgs.append(hdr(1) + duid_llt + struct.pack(">HH", 8, 40) + b"\x00\x01")
    msgs.append(hdr(1) + duid_llt + b"\x00")
    msgs.append(hdr(7) + o6(3, struct.pack(">III", 1, 2, 3) + struct.pack(">HH", 5, 30) + addr))
    msgs.append(hdr(12) + b"\x01" + addr + addr + o6(9, hdr(1)[:2]))
    msgs.append(hdr(12) + b"\x01" + addr + addr[:8])
    msgs.append(hdr(1)[:3])
    return msgs


def dhcp6_file():
    p = Pcap()
    rng = random.Random(547)
    frames = []
    for m in dhcp6_messages():
        server = m[0] in (2, 7, 10, 13)
        if server:
            f = udp6(547, 546, Raw(m), src=V6_B, dst="fe80::1")
        else:
            f = udp6(546, 547, Raw(m), src="fe80::1", dst="ff02::1:2")
        frames.append(f)
        p.add(f)
    p.add(udp4(40000, 547, Raw(dhcp6_messages()[0])))
    for f in frames[:4]:
        p.add_every_cut(f, 62, 1)
    for f in frames:
        p.add_mutants(f, 62, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- NTP

def ntp_time_msg(li=0, vn=4, mode=3, stratum=2, poll=6, precision=-20, delay=0x00012345,
                 disp=0x00008000, refid=b"\xc6\x12\x00\x01", ref=(3913056000, 0x40000000),
                 org=(3913056001, 0x80000000), rec=(3913056002, 0x12345678),
                 xmt=(3913056002, 0x9abcdef0), extra=b""):
    return (bytes([(li << 6) | (vn << 3) | mode, stratum, poll & 0xff, precision & 0xff])
            + struct.pack(">II", delay, disp) + refid
            + b"".join(struct.pack(">II", *t) for t in (ref, org, rec, xmt)) + extra)


def ntp_ctl_msg(vn=2, control=0x02, seq=1, status=0, assoc=0, offset=0, count=0, data=b""):
    return bytes([(vn << 3) | 6, control]) + struct.pack(">HHHHH", seq, status, assoc, offset, count) + data


def ntp_messages():
    msgs = []
    for li in range(4):
        for mode in range(8):
            msgs.append(ntp_time_msg(li=li, mode=mode, vn=(mode % 4) + 1))
    for stratum in [0, 1, 2, 15, 16, 62, 63, 200, 255]:
        msgs.append(ntp_time_msg(stratum=stratum, refid=b"GPS\x00" if stratum < 2 else b"\xc6\x12\x00\x01"))
    msgs.append(ntp_time_msg(stratum=1, refid=b"\x01\xffA\x7f"))
    for poll in [-40, -32, -31, -6, 0, 10, 31, 32, 127]:
        msgs.append(ntp_time_msg(poll=poll, precision=poll))
    # Timestamps: zero, before 1970, the era's end, old < new, equal parts.
    msgs.append(ntp_time_msg(ref=(0, 0), org=(0, 0), rec=(0, 1), xmt=(1, 0)))
    msgs.append(ntp_time_msg(org=(3913056005, 0x10000000), rec=(3913056001, 0x20000000),
                             xmt=(3913056005, 0x00000001)))
    msgs.append(ntp_time_msg(org=(100, 0xffffffff), rec=(100, 0x1), xmt=(4294967295, 0xffffffff)))
    msgs.append(ntp_time_msg(delay=0xffffffff, disp=0x0001ffff))
    # Key id, MD5 and SHA-1 digests, extension bytes, short messages.
    msgs.append(ntp_time_msg(extra=b"\x00\x00\x00\x07"))
    msgs.append(ntp_time_msg(extra=b"\x00\x00\x00\x07" + bytes(range(16))))
    msgs.append(ntp_time_msg(extra=b"\x00\x00\x00\x07" + bytes(range(20))))
    msgs.append(ntp_time_msg(extra=bytes(12)))
    msgs.append(ntp_time_msg()[:47])
    msgs.append(ntp_time_msg()[:1])
    # Control messages (mode 6): requests, responses with data, errors.
    msgs.append(ntp_ctl_msg())
    msgs.append(ntp_ctl_msg(control=0x82, status=0x0618, count=8, data=b"version="))
    msgs.append(ntp_ctl_msg(control=0xc1, seq=65535, status=0x1234, assoc=7, offset=16))
    msgs.append(ntp_ctl_msg(control=0xa2, count=20, data=b"short"))
    msgs.append(ntp_ctl_msg()[:11])
    msgs.append(ntp_ctl_msg(vn=4, control=0x1f))
    return msgs


def ntp_file():
    p = Pcap()
    rng = random.Random(123)
    frames = []
    for i, m in enumerate(ntp_messages()):
        f = udp4(123, 123 if i % 3 else 40123, Raw(m))
        frames.append(f)
        p.add(f)
    p.add(udp6(40123, 123, Raw(ntp_messages()[3])))
    for f in frames[3:5] + frames[-5:-3]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 2, rng)
    return p


# ---------------------------------------------------------------- VXLAN, VXLAN-GPE, Geneve

def inner_frames():
    """Frames carried in the tunnels: the usual transports, ARP, a tagged
    frame, DNS inside (an application printer under a tunnel), IPv6."""
    from scapy.all import ICMP, Dot1Q, ARP, ICMPv6EchoRequest
    e = lambda: Ether(src="02:00:00:00:aa:01", dst="02:00:00:00:aa:02")
    q = dns_header(0x1234, 0x0100, qd=1) + name("example.com") + struct.pack(">HH", 1, 1)
    return [
        e() / IP(src="198.19.0.1", dst="198.19.0.2") / ICMP(id=7, seq=1),
        e() / IP(src="198.19.0.1", dst="198.19.0.2") / TCP(sport=40000, dport=80, flags="S"),
        e() / IP(src="198.19.0.1", dst="198.19.0.2") / UDP(sport=40000, dport=53) / Raw(q),
        e() / IPv6(src="2001:db8:1::1", dst="2001:db8:1::2") / ICMPv6EchoRequest(id=1, seq=2),
        Ether(src="02:00:00:00:aa:01", dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="198.19.0.1", pdst="198.19.0.2"),
        e() / Dot1Q(vlan=10) / IP(src="198.19.0.1", dst="198.19.0.2") / UDP(sport=1, dport=2) / Raw(b"x" * 10),
        e() / Raw(b"\x12\x34" + b"unknown ethertype"),
    ]


def vxlan_hdr(vni, flags=0x08):
    return bytes([flags, 0, 0, 0]) + struct.pack(">I", vni << 8)


def gpe_hdr(vni, next_proto, flags=0x0c):
    return bytes([flags, 0, 0, next_proto]) + struct.pack(">I", vni << 8)


def geneve_hdr(vni, proto=0x6558, opts=b"", flags=0, ver=0, rsvd=0, opt_len=None):
    n = len(opts) // 4 if opt_len is None else opt_len
    return bytes([(ver << 6) | n, flags]) + struct.pack(">H", proto) + struct.pack(">I", (vni << 8) | rsvd) + opts


def tunnel_file():
    from scapy.all import ICMP
    p = Pcap()
    rng = random.Random(4789)
    frames = []
    inner = inner_frames()
    out = lambda port, payload: udp4(50000, port, Raw(payload))
    for k, f in enumerate(inner):
        frames.append(out(4789, vxlan_hdr(100 + k) + bytes(f)))
    frames.append(out(4789, vxlan_hdr(0xffffff, flags=0x0c) + bytes(inner[0])))
    frames.append(out(4789, vxlan_hdr(7, flags=0) + bytes(inner[0])))
    # Nested: VXLAN in VXLAN.
    nest = Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:bb:02") / IP(src="198.19.1.1", dst="198.19.1.2") \
        / UDP(sport=50001, dport=4789) / Raw(vxlan_hdr(200) + bytes(inner[1]))
    frames.append(out(4789, vxlan_hdr(300) + bytes(nest)))
    frames.append(udp6(50000, 4789, Raw(vxlan_hdr(5) + bytes(inner[2]))))
    ip4 = bytes(IP(src="198.19.0.1", dst="198.19.0.2") / ICMP())
    ip6 = bytes(inner[3])[14:]
    for flags, nxt, payload in [(0x0c, 1, ip4), (0x0c, 2, ip6), (0x0c, 3, bytes(inner[0])),
                                (0x0c, 4, b"\x00" * 8), (0x0c, 9, ip4), (0x08, 0, bytes(inner[0])),
                                (0x0e, 1, ip4), (0x0d, 1, ip4), (0x04, 1, ip4), (0x2c, 1, ip4),
                                (0x00, 3, bytes(inner[0])), (0x0f, 3, b"")] + [
            (0x0c, 4, nsh) for nsh in [
                struct.pack(">IBBBB", 0x0fc20001, 0, 0, 0x2a, 0xff) + ip4,
                struct.pack(">IBBBB", 0x2fc60103, 0x12, 0x34, 0x56, 0x07) + bytes(range(16)) + bytes(inner[0]),
                struct.pack(">IBBBB", 0x0fc50202, 0, 0, 1, 1) + struct.pack(">HBB", 7, 3, 5) + b"abcde\0\0\0"
                + struct.pack(">HBB", 9, 4, 0) + ip6,
                struct.pack(">IBBBB", 0x0fc40202, 0, 0, 1, 1) + struct.pack(">HBB", 7, 3, 9) + bytes(8) + ip6,
                struct.pack(">IBBBB", 0x0fc50103, 0, 0, 1, 1) + bytes(12) + bytes(inner[0]),
                struct.pack(">IBBBB", 0x0fc2f005, 0, 0, 1, 1) + ip4,
                struct.pack(">IBBBB", 0x4fc20001, 0, 0, 1, 1) + ip4,
                struct.pack(">IBBBB", 0x0fff0001, 0, 0, 1, 1) + ip4,
                b"\x00\x00"]]:
        frames.append(out(4790, gpe_hdr(42, nxt, flags) + payload))
    opts = [
        struct.pack(">HBB", 0x0102, 0x80, 1) + b"\xde\xad\xbe\xef",
        struct.pack(">HBB", 0x0101, 0x01, 0),
        struct.pack(">HBB", 0x0000, 0x02, 2) + bytes(range(8)),
        struct.pack(">HBB", 0xfff5, 0x03, 0), struct.pack(">HBB", 0x0110, 0x04, 0),
        struct.pack(">HBB", 0x0125, 0x05, 0), struct.pack(">HBB", 0x0134, 0x06, 0),
        struct.pack(">HBB", 0x0200, 0x07, 0), struct.pack(">HBB", 0x0104, 0x87, 0),
        struct.pack(">HBB", 0x0129, 0x08, 0), struct.pack(">HBB", 0x0136, 0x08, 0),
        struct.pack(">HBB", 0x0117, 0x08, 0), struct.pack(">HBB", 0x0131, 0x08, 0),
        struct.pack(">HBB", 0x0103, 0x08, 0), struct.pack(">HBB", 0x0105, 0x08, 0),
        struct.pack(">HBB", 0x0106, 0x08, 0), struct.pack(">HBB", 0x0107, 0x08, 0),
        struct.pack(">HBB", 0x0108, 0x08, 0), struct.pack(">HBB", 0x0100, 0x08, 0),
    ]
    for k, f in enumerate(inner):
        frames.append(out(6081, geneve_hdr(0x10000 + k, opts=b"".join(opts[:k])) + bytes(f)))
    for proto, payload in [(0x0800, ip4), (0x86dd, ip6), (0x0806, bytes(inner[4])[14:]),
                           (0x8100, bytes(inner[5])[14:]), (0x1234, b"payload"), (0x8847, b"\x00\x01\x41\x40" + ip4)]:
        frames.append(out(6081, geneve_hdr(9, proto=proto) + payload))
    frames.append(out(6081, geneve_hdr(9, flags=0xc0, rsvd=5, opts=b"".join(opts)) + bytes(inner[0])))
    frames.append(out(6081, geneve_hdr(9, flags=0x3f) + bytes(inner[0])))
    frames.append(out(6081, geneve_hdr(9, ver=1) + bytes(inner[0])))
    frames.append(out(6081, geneve_hdr(9, opt_len=20) + b"\x00" * 8))
    frames.append(out(6081, geneve_hdr(9, opts=struct.pack(">HBB", 0x0102, 0x80, 5) + bytes(4)) + bytes(inner[0])))
    frames.append(out(6081, geneve_hdr(9, opts=struct.pack(">HBB", 0x0102, 0x80, 0) + b"\x01\x02\x03\x04" * 0 + b"\x01\x02",
                                       opt_len=2) + bytes(inner[0])))
    frames.append(out(6081, b"\x00\x00\x65"))
    frames.append(out(4789, b"\x08\x00\x00"))
    frames.append(out(4790, b"\x0c\x00"))
    # 150 VXLAN frames nested in one another (JSON stops following them).
    deep = bytes(inner[1])
    for _ in range(150):
        deep = bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B) / UDP(sport=50000, dport=4789)
                     / Raw(vxlan_hdr(1) + deep))
    frames.append(Ether(deep))
    for f in frames:
        p.add(f)
    for f in frames[0:3] + frames[9:12] + frames[22:26] + frames[-8:-6]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, 64, 2, rng)
    return p


# ---------------------------------------------------------------- syslog, TFTP, HSRP, SIP

def simple_file(port, payloads, seed, cut_first=3, sport=40000, mutants=3, start=42, v6=True):
    """One datagram to `port` per payload (plus a copy over IPv6 and one
    from the port), the first few cut at every byte, mutants of all."""
    p = Pcap()
    rng = random.Random(seed)
    frames = [udp4(sport, port, Raw(m)) for m in payloads]
    for f in frames:
        p.add(f)
    if v6:
        p.add(udp6(sport, port, Raw(payloads[0])))
    p.add(udp4(port, sport, Raw(payloads[0])))
    for f in frames[:cut_first]:
        p.add_every_cut(f, start, 1)
    for f in frames:
        p.add_mutants(f, start, len(bytes(f)), mutants, rng)
    return p


def syslog_file():
    msgs = [b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
            b"<13>1 2003-10-11T22:14:15.003Z host app - - - message", b"<0>", b"<191>x", b"<192>x",
            b"<999>x", b"<1234>x", b"<12", b"34>no open", b"<a>x", b"<>empty", b"<165>\x01\x7f\xc3\xa9 ctl",
            b"<7>" + b"long " * 60, b"<"]
    return simple_file(514, msgs, 514)


def tftp_file():
    msgs = [b"\x00\x01boot/pxelinux.0\x00octet\x00", b"\x00\x02upload.bin\x00netascii\x00",
            b"\x00\x01f\x00octet\x00blksize\x001432\x00tsize\x000\x00",
            b"\x00\x01f\x00octet\x00\x00\x00opt\x00", b"\x00\x06blksize\x001432\x00timeout\x005\x00",
            b"\x00\x06", b"\x00\x03\x00\x01" + b"D" * 40, b"\x00\x04\x00\x01", b"\x00\x04\xff\xff",
            b"\x00\x05\x00\x01File not found\x00", b"\x00\x05\x00\x07no user\x00",
            b"\x00\x05\x00\x09custom\x00", b"\x00\x05\x00\x02", b"\x00\x05\x00",
            b"\x00\x07xyz", b"\x00\x00", b"\x00", b"\x00\x01", b"\x00\x01name-without-nul",
            b"\x00\x01f\x00mode-without-nul", b"\x00\x01\x01\xffweird\x00octet\x00", b"\x00\x03\x00"]
    return simple_file(69, msgs, 69)


def hsrp_file():
    def hsrp(ver=0, op=0, state=16, hello=3, hold=10, prio=100, group=1, rsvd=0,
             auth=b"cisco\0\0\0", addr="198.18.0.254"):
        return bytes([ver, op, state, hello, hold, prio, group, rsvd]) + auth + bytes(
            int(x) for x in addr.split("."))
    msgs = [hsrp()] + [hsrp(op=op) for op in (1, 2, 3)] + [hsrp(state=st) for st in (0, 1, 2, 4, 8, 3, 255)]
    msgs += [hsrp(rsvd=9), hsrp(ver=1), hsrp(ver=2, op=7), hsrp(hello=0, hold=255, prio=255),
             hsrp(hello=61, hold=200), hsrp(auth=b"\x01\xff\x7fabcde"), hsrp(auth=b"12345678")]
    p = Pcap()
    rng = random.Random(1985)
    frames = [udp4(1985, 1985, Raw(m), dst="224.0.0.2") for m in msgs]
    for f in frames:
        p.add(f)
    p.add(udp4(1985, 40000, Raw(msgs[0])))
    p.add(udp6(1985, 1985, Raw(msgs[0])))
    p.add_every_cut(frames[0], 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 3, rng)
    return p


def sip_file():
    invite = (b"INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 198.18.0.1:5060\r\n"
              b"From: <sip:alice@example.com>\r\nTo: <sip:bob@example.com>\r\nCall-ID: 1@198.18.0.1\r\n"
              b"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    msgs = [invite, b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n", b"SIP/2.0 180 Ringing\r\n\r\n",
            b"REGISTER sip:example.com SIP/2.0\r\n\r\n", b"OPTIONS sip:x SIP/2.0\n\n",
            b"BYE sip:x SIP/2.0\r\nno end", b"publish sip:x SIP/2.0\r\n\r\n", b"HELLO there\r\n",
            b"SIP/2.0 2000 Bad\r\n\r\n", b"INVITE\r\n", b"\x01\x02binary", b"INVITE sip:x\x01\r\n",
            b"ACK sip:x SIP/2.0\r", b"x" * 300 + b"\r\n"]
    return simple_file(5060, msgs, 5060, sport=5060)


# ---------------------------------------------------------------- BFD

def bfd_file():
    def ctl(ver=1, diag=0, state=3, flags=0, mult=3, length=24, my=1, your=2, tx=300000, rx=300000,
            echo=0, auth=b""):
        b0 = (ver << 5) | diag
        b1 = ((state << 6) | flags) if ver == 1 else flags
        return bytes([b0, b1, mult, length]) + struct.pack(">IIIII", my, your, tx, rx, echo) + auth
    msgs = [ctl()] + [ctl(state=s_, diag=d) for s_ in range(4) for d in (0, 1, 3, 7, 8, 9, 31)]
    msgs += [ctl(flags=f) for f in (0x20, 0x10, 0x08, 0x02, 0x01, 0x3f)]
    msgs += [ctl(ver=0, flags=f) for f in (0x00, 0x80, 0xc0, 0x03, 0xff & ~0x04)]
    msgs += [ctl(ver=v) for v in (2, 7)]
    msgs += [ctl(mult=255, tx=0xffffffff), ctl(tx=999, rx=1000, echo=12345678)]
    auth = [b"\x01\x08\x05secret", b"\x01\x03\x05", b"\x01\x14\x05" + b"x" * 17,
            b"\x02\x18\x01\x00" + struct.pack(">I", 7) + bytes(range(16)), b"\x02\x10\x01\x00" + bytes(12),
            b"\x03\x18\x01\x00" + struct.pack(">I", 7) + bytes(range(16)),
            b"\x04\x1c\x01\x00" + struct.pack(">I", 9) + bytes(range(20)),
            b"\x05\x1c\x01\x00" + struct.pack(">I", 9) + bytes(range(20)), b"\x05\x18\x01\x00" + bytes(20),
            b"\x09\x04\x01\x00", b"\x01\x08\x05\x01\xff\x7fxy"]
    msgs += [ctl(flags=0x04, auth=a_) for a_ in auth] + [ctl(ver=0, flags=0x04, auth=auth[0])]
    p = Pcap()
    rng = random.Random(3784)
    frames = []
    for i, m in enumerate(msgs):
        port = (3784, 4784, 6784)[i % 3]
        frames.append(udp4(50000 + i, port, Raw(m)))
    frames.append(udp4(50000, 3785, Raw(b"echo payload 1234")))
    frames.append(udp6(50000, 3784, Raw(msgs[0])))
    frames.append(udp4(3784, 49999, Raw(msgs[0])))
    for f in frames:
        p.add(f)
    for f in [frames[0], frames[-8], frames[-9]]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 2, rng)
    return p


# ---------------------------------------------------------------- RIP

def rip_file():
    ip = lambda s_: bytes(int(x) for x in s_.split("."))
    def e1(dest, metric=1, family=2, mbz=b"\x00\x00", mbz2=bytes(8)):
        return struct.pack(">H", family) + mbz + ip(dest) + mbz2 + struct.pack(">I", metric)
    def e2(dest, mask="255.255.255.0", nh="0.0.0.0", metric=1, tag=0, family=2):
        return struct.pack(">HH", family, tag) + ip(dest) + ip(mask) + ip(nh) + struct.pack(">I", metric)
    hdr = lambda cmd, ver: bytes([cmd, ver, 0, 0])
    msgs = [
        hdr(1, 1) + e1("0.0.0.0", 16, family=0),
        hdr(2, 1) + e1("198.18.1.0", 1) + e1("198.18.2.0", 2) + e1("198.18.3.0", 16),
        hdr(2, 1) + e1("198.18.1.0", 1, family=6) + e1("198.18.2.0", mbz=b"\x00\x01"),
        hdr(2, 1) + e1("198.18.1.0") + b"\x00\x02\x00",
        hdr(1, 2) + e2("0.0.0.0", "0.0.0.0", metric=16, family=0),
        hdr(2, 2) + e2("198.18.1.0") + e2("198.18.0.0", "255.254.0.0", "198.18.0.9", 5, 0x1234)
        + e2("198.19.0.0", "255.255.0.255", metric=3) + e2("10.0.0.0", "0.0.0.0", family=28),
        hdr(2, 2) + struct.pack(">HH", 0xffff, 2) + b"password\x00\x00\x00\x00\x00\x00\x00\x00" + e2("198.18.1.0"),
        hdr(2, 2) + struct.pack(">HH", 0xffff, 2) + b"0123456789abcdef" + e2("198.18.1.0"),
        hdr(2, 2) + struct.pack(">HH", 0xffff, 3) + struct.pack(">HBBIII", 44, 1, 16, 7, 0, 0)
        + e2("198.18.1.0") + struct.pack(">HH", 0xffff, 1) + bytes(range(16)),
        hdr(2, 2) + struct.pack(">HH", 0xffff, 3) + b"\x00\x10",
        hdr(2, 2) + struct.pack(">HH", 0xffff, 9) + b"xyz",
        hdr(2, 2) + e2("198.18.1.0") + b"\x00\x02\x00\x00\x01",
        hdr(2, 2) + b"\x00",
    ]
    msgs += [hdr(c, 2) + e2("198.18.1.0") for c in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 200)]
    msgs += [hdr(2, v) + e2("198.18.1.0") for v in (0, 3, 255)] + [b"\x02\x02", b"\x02"]
    p = Pcap()
    rng = random.Random(520)
    frames = [udp4(520, 520, Raw(m), dst="224.0.0.9") for m in msgs]
    for f in frames:
        p.add(f)
    p.add(udp4(40000, 520, Raw(msgs[0])))
    for f in [frames[1], frames[5], frames[8]]:
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- RIPng

def ripng_file():
    def e6(prefix, plen=64, tag=0, metric=1):
        return bytes.fromhex(prefix) + struct.pack(">HBB", tag, plen, metric)
    pfx = lambda n: "20010db8%04x" % n + "0" * 20
    msgs = [
        b"\x01\x01\x00\x00" + e6("0" * 32, 0, 0, 16),
        b"\x01\x01\x00\x00" + e6(pfx(1), 48, 0, 16),
        b"\x01\x01\x00\x00" + e6(pfx(1)) + e6(pfx(2), 56, 7, 3),
        b"\x02\x01\x00\x00" + e6(pfx(1)) + e6(pfx(2), 56, 7, 3) + e6(pfx(3), 128, 65535, 16)
        + e6("fe80" + "0" * 28, 10, 0, 0),
        b"\x02\x01\x00\x00" + e6(pfx(1)) + b"\x00\x01\x02",
        b"\x02\x01\x00\x00", b"\x01\x01\x00\x00", b"\x03\x01\x00\x00" + e6(pfx(1)),
        b"\x02\x02\x00\x00" + e6(pfx(1)), b"\x02\x01\x00", b"\x02",
    ]
    p = Pcap()
    rng = random.Random(521)
    frames = [udp6(521, 521, Raw(m), src="fe80::1", dst="ff02::9") for m in msgs]
    for f in frames:
        p.add(f)
    p.add(udp4(521, 521, Raw(msgs[3])))
    for f in [frames[3]]:
        p.add_every_cut(f, 62, 1)
    for f in frames:
        p.add_mutants(f, 62, len(bytes(f)), 4, rng)
    return p


# ---------------------------------------------------------------- VRRP

def vrrp_file():
    ip = lambda s_: bytes(int(x) for x in s_.split("."))
    from scapy.all import in4_chksum, checksum
    def v2(vrid=1, prio=100, addrs=("198.18.0.254",), auth=0, intvl=1, pw=b"", typ=1, ver=2, ck=None):
        body = bytes([(ver << 4) | typ, vrid, prio, len(addrs), auth, intvl]) + b"\x00\x00" \
            + b"".join(ip(a_) for a_ in addrs) + pw
        c = checksum(body) if ck is None else ck
        return body[:6] + struct.pack(">H", c) + body[8:]
    def v3(vrid=1, prio=100, addrs=("198.18.0.254",), intvl=100, ck=None, src=V4_A, dst="224.0.0.18"):
        body = bytes([0x31, vrid, prio, len(addrs), intvl >> 8, intvl & 0xff]) + b"\x00\x00" \
            + b"".join(ip(a_) for a_ in addrs)
        c = in4_chksum(112, IP(src=src, dst=dst), body) if ck is None else ck
        return body[:6] + struct.pack(">H", c) + body[8:]
    msgs = [
        (v2(), 255), (v2(addrs=("198.18.0.254", "198.18.0.253", "198.18.0.252")), 255),
        (v2(auth=1, pw=b"secret\0\0"), 255), (v2(auth=1, pw=b"\x01\xffabcdef"), 255), (v2(auth=2), 255),
        (v2(auth=7), 255), (v2(prio=255, vrid=255, intvl=0), 255), (v2(addrs=()), 255), (v2(), 64),
        (v2(ck=0x1234), 255), (v2(typ=2), 255), (v2(ver=1), 255), (v2(ver=4), 255), (v3(), 255),
        (v3(addrs=("198.18.0.254", "198.18.0.1")), 255), (v3(intvl=0xfff), 255), (v3(ck=0x1111), 255),
        (v3(), 1), (v2(addrs=("198.18.0.254",) * 5)[:14], 255), (v2(auth=1, pw=b"abc"), 255),
    ]
    p = Pcap()
    rng = random.Random(112)
    frames = [eth(IP(src=V4_A, dst="224.0.0.18", ttl=ttl, proto=112) / Raw(m)) for m, ttl in msgs]
    for f in frames:
        p.add(f)
    p.add(eth(IPv6(src="fe80::1", dst="ff02::12", hlim=255, nh=112) / Raw(v3())))
    v6body = bytes([0x31, 1, 100, 2, 0, 100, 0, 0]) + bytes.fromhex("fe80" + "0" * 26 + "01") \
        + bytes.fromhex("20010db8" + "0" * 22 + "fe")
    p.add(eth(IPv6(src="fe80::1", dst="ff02::12", hlim=255, nh=112) / Raw(v6body)))
    for f in [frames[2], frames[13]]:
        p.add_every_cut(f, 34, 1)
    for f in frames:
        p.add_mutants(f, 34, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- BGP

def bgp_msg(t, body):
    return b"\xff" * 16 + struct.pack(">HB", 19 + len(body), t) + body


def bgp_messages():
    ip = lambda s_: bytes(int(x) for x in s_.split("."))
    cap = lambda c, d: bytes([c, len(d)]) + d
    opt = lambda t, d: bytes([t, len(d)]) + d
    def open_(caps=b"", opts=None, asn=65001, hold=90, ver=4):
        o = opt(2, caps) if opts is None else opts
        return bgp_msg(1, bytes([ver]) + struct.pack(">HH", asn, hold) + ip("198.18.0.1") + bytes([len(o)]) + o)
    def attr(flags, t, d):
        if flags & 0x10:
            return bytes([flags, t]) + struct.pack(">H", len(d)) + d
        return bytes([flags, t, len(d)]) + d
    def update(withdrawn=b"", attrs=b"", nlri=b""):
        return bgp_msg(2, struct.pack(">H", len(withdrawn)) + withdrawn + struct.pack(">H", len(attrs)) + attrs + nlri)
    pfx = lambda s_, n: bytes([n]) + ip(s_)[:(n + 7) // 8]
    pfx6 = lambda h, n: bytes([n]) + bytes.fromhex(h)[:(n + 7) // 8]
    v6 = "20010db8000100000000000000000000"
    msgs = []
    caps = [cap(1, b"\x00\x01\x00\x01"), cap(1, b"\x00\x02\x00\x01"), cap(1, b"\x00\x01\x00\x02"),
            cap(1, b"\x00\x63\x00\x63"), cap(1, b"\x00\x01"), cap(2, b""), cap(128, b""), cap(6, b""), cap(70, b""),
            cap(71, b""), cap(65, struct.pack(">I", 4200000001)), cap(65, b"\x01"),
            cap(64, struct.pack(">H", 0x8078) + b"\x00\x01\x01\x80\x00\x02\x01\x00"), cap(64, b"\x01"),
            cap(69, b"\x00\x01\x01\x03\x00\x02\x01\x01"), cap(69, b""), cap(69, b"\x00\x01\x01\x09\x00"),
            cap(3, b"\x00\x01\x00\x01\x01\x40\x03"), cap(73, b"\x01\x02\x03"), cap(9, b"\x03"), cap(5, b"\x00\x01\x00\x01\x00\x02")]
    msgs.append(open_(b"".join(caps[:3] + caps[5:7] + caps[10:11] + caps[12:13])))
    for k in range(0, len(caps), 3):
        msgs.append(open_(b"".join(caps[k:k + 3])))
    msgs.append(open_(opts=opt(1, b"\x01secret") + opt(2, caps[0]) + opt(7, b"xy")))
    msgs.append(open_(opts=opt(2, caps[0]) + b"\x02\x20\x01"))
    msgs.append(open_(opts=b""))
    msgs.append(open_(opts=opt(2, b"\x01\x08\x00\x01")))
    msgs.append(open_(opts=b"\xff\xff\x00\x06" + opt(2, caps[0])))
    msgs.append(bgp_msg(1, b"\x04\x00\x01"))
    attrs = [
        attr(0x40, 1, b"\x00"), attr(0x40, 1, b"\x01"), attr(0x40, 1, b"\x02"), attr(0x40, 1, b"\x07"),
        attr(0x40, 1, b"\x00\x00"), attr(0x40, 2, b""), attr(0x40, 2, b"\x02\x02\xfd\xe9\xfd\xea"),
        attr(0x40, 2, b"\x02\x01\xfd\xe9\x01\x02\x00\x64\x00\xc8\x03\x01\x00\x0a\x04\x01\x00\x0b"),
        attr(0x40, 2, b"\x02\x02\xfa\x56\xea\x01\x00\x00\xfd\xe9"), attr(0x40, 2, b"\x02\x01\x00"),
        attr(0x40, 2, b"\x09\x01\x00\x01"), attr(0xc0, 17, b"\x02\x01\xfa\x56\xea\x01"),
        attr(0x40, 3, ip("198.18.0.1")), attr(0x40, 3, b"\x01"), attr(0x80, 4, b"\x00\x00\x00\x64"),
        attr(0x80, 4, b"\x64"), attr(0x40, 5, b"\x00\x00\x00\xc8"), attr(0x40, 6, b""), attr(0x40, 6, b"\x01"),
        attr(0xc0, 7, b"\xfd\xe9" + ip("198.18.0.1")), attr(0xc0, 7, b"\xfa\x56\xea\x01" + ip("198.18.0.1")),
        attr(0xc0, 7, b"\x01"), attr(0xc0, 18, b"\xfa\x56\xea\x01" + ip("198.18.0.1")), attr(0xc0, 18, b"\x01"),
        attr(0xc0, 8, b"\xfd\xe9\x00\x64\xff\xff\xff\x01\xff\xff\xff\x02\xff\xff\xff\x03\x00\x01\x00\x02"),
        attr(0xc0, 8, b"\x01\x02\x03"), attr(0x80, 9, ip("198.18.0.9")), attr(0x80, 10, ip("198.18.0.1") + ip("198.18.0.2")),
        attr(0x80, 10, b"\x01"),
        attr(0xc0, 16, bytes.fromhex("0002fde900000064 0102c6120001000a 0202fa56ea010064 0003fde900000005"
                                     "0103c61200010007 4004fde94c3ebc20 0005c61200010000 0107c61200090000"
                                     "00090064000000ff 4300000000000002 03060000000105 01".replace(" ", ""))[:88]),
        attr(0xc0, 16, b"\x01\x02\x03"), attr(0xc0, 32, struct.pack(">III", 65001, 1, 2) + struct.pack(">III", 4200000001, 3, 4)),
        attr(0xc0, 32, b""), attr(0xc0, 99, b"\x01\x02\x03\x04\x05"), attr(0xd0, 99, b"\x01\x02"),
        attr(0xe0, 99, b""), attr(0x4f, 1, b"\x00"), attr(0x00, 1, b"\x00"),
    ]
    for k in range(0, len(attrs), 5):
        msgs.append(update(attrs=b"".join(attrs[k:k + 5]), nlri=pfx("198.18.1.0", 24)))
    base = attrs[0] + attrs[7] + attrs[12]
    msgs.append(update(attrs=base, nlri=pfx("198.18.1.0", 24) + pfx("198.19.0.0", 16) + pfx("0.0.0.0", 0)
                       + pfx("198.18.2.128", 25) + pfx("198.18.3.7", 32) + pfx("10.0.0.0", 8)))
    msgs.append(update(withdrawn=pfx("198.18.9.0", 24) + pfx("198.18.10.0", 23)))
    msgs.append(update(withdrawn=pfx("198.18.9.0", 24) + b"\x21\x01"))
    msgs.append(update(withdrawn=b"\x18\xc6"))
    msgs.append(update(withdrawn=b"\x00"))
    msgs.append(update())
    msgs.append(update(attrs=base, nlri=b"\x21\x01\x02\x03\x04\x05"))
    msgs.append(update(attrs=base, nlri=b"\x18\xc6\x12"))
    msgs.append(update(attrs=base, nlri=b"\x00\x00\x00\x01\x18\xc6\x12\x01\x00\x00\x00\x02\x18\xc6\x12\x02"))
    msgs.append(update(attrs=b"\x40"))
    msgs.append(update(attrs=b"\x50\x01\x00"))
    msgs.append(update(attrs=b"\x40\x01\x05\x00"))
    # Multiprotocol: IPv6 unicast (one and two next hops), IPv4 multicast,
    # withdrawals, End-of-RIB, an AFI/SAFI without a decoder.
    nh = bytes.fromhex("20010db8000000000000000000000001")
    ll = bytes.fromhex("fe800000000000000000000000000001")
    mp = lambda afi, safi, nhs, nlri: struct.pack(">HB", afi, safi) + bytes([len(nhs)]) + nhs + b"\x00" + nlri
    msgs.append(update(attrs=attrs[0] + attrs[7] + attr(0x90, 14, mp(2, 1, nh, pfx6(v6, 48) + pfx6(v6, 64) + pfx6(v6, 128)))))
    msgs.append(update(attrs=attrs[0] + attr(0x80, 14, mp(2, 1, nh + ll, pfx6(v6, 56)))))
    msgs.append(update(attrs=attrs[0] + attr(0x80, 14, mp(1, 2, ip("198.18.0.1"), pfx("232.1.0.0", 16)))))
    msgs.append(update(attrs=attr(0x80, 14, mp(2, 1, nh[:8], pfx6(v6, 48)))))
    msgs.append(update(attrs=attr(0x80, 14, struct.pack(">HB", 2, 1) + bytes([16]) + nh + b"\x01\x02\xaa\xbb" + pfx6(v6, 32))))
    msgs.append(update(attrs=attr(0x80, 14, mp(2, 1, nh, b"\x81" + bytes(16)))))
    msgs.append(update(attrs=attr(0x90, 15, struct.pack(">HB", 2, 1) + pfx6(v6, 48) + pfx6(v6, 64))))
    msgs.append(update(attrs=attr(0x90, 15, struct.pack(">HB", 2, 1))))
    msgs.append(update(attrs=attr(0x90, 15, struct.pack(">HB", 1, 1))))
    msgs.append(update(attrs=attr(0x80, 14, mp(99, 99, b"\x01\x02", b"\x10\xaa\xbb"))))
    msgs.append(update(attrs=attr(0x80, 14, b"\x00\x02")))
    # Notifications: every code and subcode, shutdown communications.
    for major, minors in [(1, (1, 2, 3, 9)), (2, (1, 2, 3, 4, 5, 6, 7, 8)), (3, (1, 6, 11, 12)),
                          (4, (0, 3)), (5, (0, 1, 2, 3, 4)), (6, (1, 3, 5, 6, 7, 8, 9, 10, 11)),
                          (7, (1, 4, 5)), (8, (0, 2))]:
        for minor in minors:
            msgs.append(bgp_msg(3, bytes([major, minor])))
    msgs.append(bgp_msg(3, b"\x06\x01\x00\x01\x01\x00\x00\x03\xe8"))
    msgs.append(bgp_msg(3, b"\x06\x02\x0bmaintenance"))
    msgs.append(bgp_msg(3, b"\x06\x04\x00"))
    msgs.append(bgp_msg(3, b"\x06\x02\x20short"))
    msgs.append(bgp_msg(3, b"\x06\x02\x02okextra"))
    msgs.append(bgp_msg(3, b"\x06"))
    msgs.append(bgp_msg(4, b""))
    msgs.append(bgp_msg(5, b"\x00\x01\x00\x01"))
    msgs.append(bgp_msg(5, b"\x00\x02\x01\x01"))
    msgs.append(bgp_msg(5, b"\x00\x01\x00\x01\x01\x40\x00\x00"))
    msgs.append(bgp_msg(5, b"\x00"))
    msgs.append(bgp_msg(9, b"unknown type"))
    return msgs


def bgp_file():
    p = Pcap()
    rng = random.Random(179)
    msgs = bgp_messages()
    frames = []
    seq = 1000
    for i, m in enumerate(msgs):
        src, dst, sp, dp = (V4_A, V4_B, 40179, 179) if i % 2 else (V4_B, V4_A, 179, 40179)
        frames.append(tcp4(sp, dp, Raw(m), src=src, dst=dst, seq=seq))
        seq += len(m)
    # Several messages in one segment, junk before a marker, a message cut
    # by the segment's end, a length below the header's.
    ka = bgp_msg(4, b"")
    frames.append(tcp4(179, 40179, Raw(ka + msgs[0] + ka), src=V4_B, dst=V4_A, seq=seq))
    frames.append(tcp4(179, 40179, Raw(b"junk" + ka), src=V4_B, dst=V4_A, seq=seq))
    frames.append(tcp4(179, 40179, Raw(ka + msgs[30][:40]), src=V4_B, dst=V4_A, seq=seq))
    frames.append(tcp4(179, 40179, Raw(b"\xff" * 16 + b"\x00\x05\x04"), src=V4_B, dst=V4_A, seq=seq))
    frames.append(tcp4(179, 40179, Raw(b"\xff" * 10), src=V4_B, dst=V4_A, seq=seq))
    frames.append(eth(IPv6(src=V6_A, dst=V6_B) / TCP(sport=40179, dport=179, flags="PA", seq=5, ack=6) / Raw(msgs[0])))
    for f in frames:
        p.add(f)
    for k in (0, 16, 25):
        p.add_every_cut(frames[k], 54, 3)
    for f in frames:
        p.add_mutants(f, 54, len(bytes(f)), 2, rng)
    return p


# ---------------------------------------------------------------- OSPFv2

def ospf_file():
    from scapy.contrib.ospf import (OSPF_Hdr, OSPF_Hello, OSPF_DBDesc, OSPF_LSReq, OSPF_LSReq_Item,
                                    OSPF_LSUpd, OSPF_LSAck, OSPF_Router_LSA, OSPF_Link, OSPF_Network_LSA,
                                    OSPF_SummaryIP_LSA, OSPF_SummaryASBR_LSA, OSPF_External_LSA,
                                    OSPF_NSSA_External_LSA, OSPF_LSA_Hdr)
    rid, area = "198.18.0.1", "0.0.0.1"
    hdr = lambda **kw: OSPF_Hdr(src=rid, area=kw.pop("area", area), **kw)
    lsas = [
        OSPF_Router_LSA(id=rid, adrouter=rid, seq=0x80000001, flags=3, linklist=[
            OSPF_Link(id="198.18.0.2", data="198.18.0.1", type=1, metric=10),
            OSPF_Link(id="198.18.1.0", data="255.255.255.0", type=3, metric=1),
            OSPF_Link(id="198.18.2.1", data="198.18.2.2", type=2, metric=20),
            OSPF_Link(id="198.18.0.9", data="198.18.0.1", type=4, metric=5),
            OSPF_Link(id="198.18.0.9", data="198.18.0.1", type=1, metric=5, toscount=2,
                      tos=[b"\x01\x00\x00\x07", b"\x02\x00\x00\x08"])]),
        OSPF_Network_LSA(id="198.18.2.1", adrouter=rid, mask="255.255.255.0",
                         routerlist=["198.18.0.1", "198.18.0.2", "198.18.0.3"]),
        OSPF_SummaryIP_LSA(id="198.18.3.0", adrouter=rid, mask="255.255.255.0", metric=30),
        OSPF_SummaryASBR_LSA(id="198.18.0.7", adrouter=rid, metric=40),
        OSPF_External_LSA(id="198.19.0.0", adrouter=rid, mask="255.255.0.0", ebit=1, metric=100,
                          fwdaddr="198.18.0.9", tag=7),
        OSPF_External_LSA(id="0.0.0.0", adrouter=rid, mask="0.0.0.0", ebit=0, metric=0xffffff),
        OSPF_NSSA_External_LSA(id="198.19.1.0", adrouter=rid, mask="255.255.255.0", metric=9),
    ]
    msgs = [
        hdr() / OSPF_Hello(mask="255.255.255.0", hellointerval=10, deadinterval=40, prio=1,
                           options=0x02, router="198.18.0.1", backup="198.18.0.2",
                           neighbors=["198.18.0.2", "198.18.0.3"]),
        hdr(area="0.0.0.0") / OSPF_Hello(mask="255.255.255.0", options=0xff),
        hdr(authtype=1, authdata=int.from_bytes(b"secret\0\0", "big")) / OSPF_Hello(mask="255.255.255.0"),
        hdr(authtype=1, authdata=int.from_bytes(b"\x01\xffpassw", "big")) / OSPF_Hello(mask="255.255.255.0"),
        hdr(authtype=7) / OSPF_Hello(mask="255.255.255.0"),
        hdr() / OSPF_DBDesc(mtu=1500, options=0x42, dbdescr=7, ddseq=0x1234, lsaheaders=[
            OSPF_LSA_Hdr(type=1, id=rid, adrouter=rid, seq=0x80000005, age=3, len=48),
            OSPF_LSA_Hdr(type=5, id="198.19.0.0", adrouter=rid, seq=0x80000001, len=36),
            OSPF_LSA_Hdr(type=10, id="4.0.0.1", adrouter=rid, seq=0x80000001, len=28)]),
        hdr() / OSPF_DBDesc(mtu=0, dbdescr=0x0f),
        hdr() / OSPF_LSReq(requests=[OSPF_LSReq_Item(type=1, id=rid, adrouter=rid),
                                     OSPF_LSReq_Item(type=2, id="198.18.2.1", adrouter=rid),
                                     OSPF_LSReq_Item(type=10, id="4.0.0.7", adrouter=rid),
                                     OSPF_LSReq_Item(type=77, id="1.2.3.4", adrouter=rid)]),
        hdr() / OSPF_LSUpd(lsalist=lsas),
        hdr() / OSPF_LSUpd(lsalist=lsas[:1]),
        hdr() / OSPF_LSAck(lsaheaders=[OSPF_LSA_Hdr(type=1, id=rid, adrouter=rid, seq=0x80000005, len=48),
                                       OSPF_LSA_Hdr(type=3, id="198.18.3.0", adrouter=rid, len=28)]),
        hdr(type=9) / Raw(b"\x00" * 8),
    ]
    raws = [bytes(m) for m in msgs]
    # Opaque router-information and unknown-opaque LSAs, a group LSA, an
    # unknown link type, bogus lengths, MD5 authentication (with LLS),
    # version 3 through IPv4, counts past the end.
    def ospf(ty, body, auth=0, authdata=b"\x00" * 8, ver=2, length=None):
        l_ = 24 + len(body) if length is None else length
        return bytes([ver, ty]) + struct.pack(">H", l_) + bytes([198, 18, 0, 1]) + bytes(4) \
            + b"\x00\x00" + struct.pack(">H", auth) + authdata + body
    lsahdr = lambda t, lid, l_, opts=0: struct.pack(">HBB", 1, opts, t) + lid + bytes([198, 18, 0, 1]) \
        + struct.pack(">IHH", 0x80000001, 0, l_)
    ri = lsahdr(10, b"\x04\x00\x00\x00", 20 + 8 + 8) + struct.pack(">HHI", 1, 4, 0x70) + struct.pack(">HH", 9, 4) + b"abcd"
    ri_bad = lsahdr(10, b"\x04\x00\x00\x00", 20 + 8) + struct.pack(">HHI", 1, 8, 0)
    opq = lsahdr(9, b"\x07\x00\x00\x01", 20 + 6) + b"opaque"
    grp = lsahdr(6, bytes(4), 20 + 24) + struct.pack(">II", 1, 0xc6120001) + struct.pack(">II", 2, 0xc6120002) + struct.pack(">II", 9, 0)
    badlink = lsahdr(1, bytes(4), 20 + 4 + 12) + b"\x00\x00\x00\x01" + bytes(8) + b"\x07\x00\x00\x01"
    for l_ in [ri, ri_bad, opq, grp, badlink, lsahdr(2, bytes(4), 8)]:
        raws.append(ospf(4, struct.pack(">I", 1) + l_))
    raws.append(ospf(4, struct.pack(">I", 3) + ri))
    hello = raws[0][24:]
    md5 = ospf(1, hello, auth=2, authdata=b"\x00\x00\x01\x10" + struct.pack(">I", 77)) + bytes(16)
    raws.append(md5)
    lls_hello = bytearray(ospf(1, hello))
    lls_hello[24 + 6] |= 0x10
    raws.append(bytes(lls_hello) + b"\xff\xf6\x00\x03" + struct.pack(">HHI", 1, 4, 3) + struct.pack(">HH", 2, 20) + bytes(20))
    raws.append(bytes(lls_hello) + b"\xff\xf6")
    raws.append(ospf(1, hello, ver=3))
    raws.append(ospf(1, hello, length=40))
    raws.append(ospf(1, hello, length=200))
    p = Pcap()
    rng = random.Random(89)
    frames = [eth(IP(src=V4_A, dst="224.0.0.5", proto=89, ttl=1) / Raw(r)) for r in raws]
    for f in frames:
        p.add(f)
    for k in (0, 8):
        p.add_every_cut(frames[k], 34, 2)
    for f in frames:
        p.add_mutants(f, 34, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- PIM

def pim_file():
    import socket
    from scapy.all import checksum, in6_chksum
    a4 = lambda s_: socket.inet_pton(socket.AF_INET, s_)
    a6 = lambda s_: socket.inet_pton(socket.AF_INET6, s_)
    u4 = lambda s_: b"\x01\x00" + a4(s_)
    u6 = lambda s_: b"\x02\x00" + a6(s_)
    g4 = lambda s_, m=32, f=0: b"\x01\x00" + bytes([f, m]) + a4(s_)
    g6 = lambda s_, m=128, f=0: b"\x02\x00" + bytes([f, m]) + a6(s_)
    def pim(ty, body, rsv=0, ver=2, ck=None, ck_len=None):
        m = bytes([(ver << 4) | ty, rsv]) + b"\x00\x00" + body
        c = checksum(m[:ck_len] if ck_len else m) if ck is None else ck
        return m[:2] + struct.pack(">H", c) + m[4:]
    def pim6(ty, body, rsv=0, ck=None):
        m = bytes([0x20 | ty, rsv]) + b"\x00\x00" + body
        c = in6_chksum(103, IPv6(src="fe80::1", dst="ff02::d"), m) if ck is None else ck
        return m[:2] + struct.pack(">H", c) + m[4:]
    opt = lambda t, v: struct.pack(">HH", t, len(v)) + v
    hello = b"".join([
        opt(1, struct.pack(">H", 105)), opt(2, struct.pack(">HH", 0x8000 | 500, 2500)),
        opt(19, struct.pack(">I", 1)), opt(20, struct.pack(">I", 0xdeadbeef)),
        opt(21, bytes([1, 60, 0, 0])), opt(22, b""),
        opt(24, u4("198.18.0.9") + u4("198.18.1.9")), opt(99, b"xyz"),
    ])
    inner4 = bytes(IP(src="198.18.5.1", dst="239.1.2.3", ttl=15) / UDP(sport=5000, dport=5001) / Raw(b"data"))
    inner6 = bytes(IPv6(src="2001:db8::5", dst="ff3e::1234") / UDP(sport=5000, dport=5001) / Raw(b"data"))
    null4 = bytes([0x00]) + bytes(11) + a4("198.18.5.1") + a4("239.1.2.3")
    jp = u4("198.18.0.2") + bytes([0, 2]) + struct.pack(">H", 210) \
        + g4("239.1.1.1") + struct.pack(">HH", 2, 1) + g4("198.18.5.1", f=0x04) + g4("198.18.5.2", 24, 0x07) \
        + g4("198.18.5.3", f=0xff) \
        + g4("239.1.1.2", 24, 0x01) + struct.pack(">HH", 1, 0) + g4("0.0.0.0", 0, 0x06)
    bsr = struct.pack(">HBB", 0x1234, 30, 100) + u4("198.18.0.1") \
        + g4("224.0.0.0", 4) + bytes([2, 2, 0, 0]) + u4("198.18.0.1") + struct.pack(">HBB", 150, 192, 0) \
        + u4("198.18.0.2") + struct.pack(">HBB", 0, 1, 0) \
        + g4("239.0.0.0", 8, 0x01) + bytes([1, 1, 0, 0]) + u4("198.18.0.3") + struct.pack(">HBB", 65535, 0, 0)
    crp = bytes([2, 192]) + struct.pack(">H", 150) + u4("198.18.0.1") + g4("224.0.0.0", 4) + g4("239.0.0.0", 8)
    assert_ = g4("239.1.1.1") + u4("198.18.5.1") + struct.pack(">II", 0x80000000 | 110, 20)
    df = lambda st, extra=b"": pim(10, u4("198.18.0.1") + struct.pack(">II", 10, 20) + extra, rsv=st << 4)
    dfx = u4("198.18.0.7") + struct.pack(">II", 30, 40)
    msgs = [
        pim(0, hello), pim(0, opt(1, struct.pack(">H", 0xffff))), pim(0, b""),
        pim(0, opt(18, b"") + opt(18, struct.pack(">I", 7)) + opt(65001, u4("198.18.0.9"))),
        pim(0, opt(21, bytes([1, 0, 0x12, 0x34]))), pim(0, opt(1, b"\x00\x01\x02")),
        pim(0, opt(2, b"\x00\x01")), pim(0, opt(19, b"\x00\x01")), pim(0, opt(20, b"\x00")),
        pim(0, opt(21, b"\x00")), pim(0, opt(1, struct.pack(">H", 30)) + b"\x00\x01"),
        pim(0, opt(1, struct.pack(">H", 30)) + struct.pack(">HH", 1, 40)),
        pim(0, opt(24, u4("198.18.0.9") + b"\x03\x00abcd")), pim(0, opt(24, u6("2001:db8::9"))),
        pim(0, hello, ck=0x1234), pim(0, hello, ck=0),
        pim(1, b"\x00\x00\x00\x00" + inner4, ck_len=8), pim(1, b"\x80\x00\x00\x00" + inner4),
        pim(1, b"\x40\x00\x00\x00" + null4, ck_len=8), pim(1, b"\xc0\x00\x00\x00" + inner6, ck_len=8),
        pim(1, b"\x00\x00\x00\x00" + b"\x50" + bytes(19)), pim(1, b"\x00\x00\x00\x00"),
        pim(1, b"\x00\x00"), pim(1, b"\x00\x00\x00\x00" + inner4, ck=0x4321),
        pim(2, g4("239.1.1.1") + u4("198.18.5.1")), pim(2, g4("239.1.1.0", 24, 0x80) + u4("198.18.5.1")),
        pim(3, jp), pim(6, jp), pim(7, jp[6:]), pim(3, u4("198.18.0.2") + bytes([0, 0]) + b"\xff\xff"),
        pim(3, jp[:30]), pim(3, jp[:6] + bytes([0, 1])),
        pim(4, bsr), pim(4, bsr[:3]), pim(4, bsr[:2]), pim(4, bsr[:10]), pim(4, bsr[:26]),
        pim(5, assert_), pim(5, g4("239.1.1.1") + u4("198.18.5.1") + struct.pack(">II", 5, 6)),
        pim(5, assert_[:-2]),
        pim(8, crp), pim(8, crp[:12]), pim(8, bytes([5, 1, 0, 0]) + u4("198.18.0.1")),
        pim(9, u4("198.18.5.1") + g4("239.1.1.1") + u4("198.18.0.2") + struct.pack(">H", 60)),
        df(1), df(2), df(3, dfx + struct.pack(">H", 1000)), df(4, dfx), df(7), df(3, dfx),
        pim(11, b"abcd"), pim(15, b""),
        pim(2, a4("239.1.1.1") + a4("198.18.5.1"), rsv=4), pim(2, a4("239.1.1.1") + a4("198.18.5.1"), rsv=5),
        pim(3, a4("198.18.0.2") + bytes([0, 1, 0, 30]) + bytes([0, 24]) + a4("239.1.1.0"), rsv=4),
        pim(2, b"\x03\x00" + bytes(10)), pim(2, b"\x01\x01" + bytes(10)),
        pim(0, b"", ver=1), pim(3, b"", ver=3), pim(0, b"", ver=0),
    ]
    raws = [m for m in msgs]
    p = Pcap()
    rng = random.Random(103)
    frames = [eth(IP(src=V4_A, dst="224.0.0.13", proto=103, ttl=1) / Raw(r)) for r in raws]
    for f in frames:
        p.add(f)
    for short in (b"\x20", b"\x20\x00", b"\x20\x00\x00"):
        p.add(eth(IP(src=V4_A, dst="224.0.0.13", proto=103, ttl=1) / Raw(short)))
    p.add(eth(IP(src=V4_A, dst="224.0.0.13", proto=103, ttl=1)))
    v6 = [pim6(0, hello), pim6(0, opt(1, struct.pack(">H", 105)) + opt(24, u6("2001:db8::1"))),
          pim6(3, u6("fe80::2") + bytes([0, 1]) + struct.pack(">H", 210) + g6("ff3e::1")
               + struct.pack(">HH", 1, 1) + g6("2001:db8::5", f=0x04) + g6("2001:db8::", 64, 0x07)),
          pim6(1, b"\x00\x00\x00\x00" + inner6), pim6(0, hello, ck=0x1111),
          pim6(5, g6("ff3e::1") + u6("2001:db8::5") + struct.pack(">II", 1, 2))]
    v6frames = [eth(IPv6(src="fe80::1", dst="ff02::d", nh=103, hlim=1) / Raw(r)) for r in v6]
    for f in v6frames:
        p.add(f)
    for f in (frames[0], frames[16], frames[26], frames[33]):
        p.add_every_cut(f, 34, 1)
    p.add_every_cut(v6frames[2], 54, 2)
    for f in frames + v6frames:
        p.add_mutants(f, 34, len(bytes(f)), 3, rng)
    return p


# ---------------------------------------------------------------- EIGRP

def eigrp_file():
    import socket
    a4 = lambda s_: socket.inet_pton(socket.AF_INET, s_)
    tlv = lambda t, v: struct.pack(">HH", t, len(v) + 4) + v

    def hdr(op, body, ver=2, flags=0, seq=1, ack=0, asn=100, ck=0x1234):
        return bytes([ver, op]) + struct.pack(">HIIII", ck, flags, seq, ack, asn) + body
    parm = tlv(1, bytes([1, 0, 1, 0, 0, 0]) + struct.pack(">H", 15))
    swv = tlv(4, bytes([12, 4, 1, 2]))
    metric = struct.pack(">II", 2560000, 256) + b"\x00\x05\xdc" + bytes([0, 255, 1, 0, 0])

    def ipint(nh, plen, dest):
        return tlv(0x102, a4(nh) + metric + bytes([plen]) + dest)

    def ipext(nh, plen, dest, proto=3):
        return tlv(0x103, a4(nh) + a4("198.18.0.9") + struct.pack(">III", 65001, 0xabcd, 7)
                   + bytes([0, 0, proto, 0x40]) + metric + bytes([plen]) + dest)
    cable = tlv(0x204, struct.pack(">HHI", 10, 20, 0x01020304))
    atint = tlv(0x202, b"\x00\x0a\x00\x05" + metric + struct.pack(">HH", 10, 20))
    atint0 = tlv(0x202, bytes(4) + metric + struct.pack(">HH", 10, 20))
    atext = tlv(0x203, b"\x00\x0a\x00\x05" + struct.pack(">III", 77, 65002, 0x55)
                + bytes([9, 0x80]) + struct.pack(">H", 3) + metric + struct.pack(">HH", 30, 40))
    msgs = [
        hdr(5, parm + swv), hdr(5, parm + swv, flags=1), hdr(5, parm, flags=2), hdr(5, parm, flags=3),
        hdr(1, ipint("0.0.0.0", 24, a4("198.18.7.0")[:3]) + ipint("198.18.0.2", 32, a4("198.18.7.9"))
            + ipint("198.18.0.2", 8, b"\xc6") + ipint("0.0.0.0", 0, b"\x00"), flags=1, seq=5),
        hdr(1, ipext("198.18.0.3", 16, a4("198.19.0.0")[:2]) + ipext("0.0.0.0", 27, a4("198.18.4.32"), 11)
            + ipext("0.0.0.0", 20, a4("198.18.4.32")[:3], 99)),
        hdr(3, ipint("0.0.0.0", 33, b"\x01\x02\x03\x04\x05")), hdr(4, ipext("0.0.0.0", 40, bytes(6))),
        hdr(1, cable + atint + atint0 + atext),
        hdr(7, b""), hdr(6, b""), hdr(9, b""), hdr(0, b""), hdr(10, b""),
        hdr(5, parm, ver=1), hdr(5, parm, ver=3), hdr(5, parm, asn=0x00010064),
        hdr(5, tlv(2, bytes(20)) + tlv(3, b"\x04\xc6\x12\x00\x02") + tlv(5, struct.pack(">I", 9))),
        hdr(1, tlv(0x302, bytes(10)) + tlv(0x303, bytes(6)) + tlv(0x999, b"abc")),
        hdr(5, struct.pack(">HH", 1, 0) + bytes(8)), hdr(5, struct.pack(">HH", 1, 2) + bytes(8)),
        hdr(5, struct.pack(">HH", 1, 40) + bytes(8)), hdr(5, parm + b"\x00\x04"),
        hdr(5, tlv(1, bytes(4)) + tlv(4, b"\x01") + tlv(0x102, bytes(10))
            + tlv(0x103, bytes(30)) + tlv(0x204, bytes(3)) + tlv(0x202, bytes(10)) + tlv(0x203, bytes(10))),
        hdr(5, parm + b"\x00"), hdr(5, b"\x00\x01\x00"),
        hdr(1, ipint("0.0.0.0", 32, b"\xc6")),
    ]
    p = Pcap()
    rng = random.Random(88)
    frames = [eth(IP(src=V4_A, dst="224.0.0.10", proto=88, ttl=2) / Raw(m)) for m in msgs]
    for f in frames:
        p.add(f)
    for short in (b"\x02", b"\x02\x05", bytes([2, 5]) + bytes(17), bytes([1, 5]) + bytes(10)):
        p.add(eth(IP(src=V4_A, dst="224.0.0.10", proto=88, ttl=2) / Raw(short)))
    p.add(eth(IP(src=V4_A, dst="224.0.0.10", proto=88, ttl=2)))
    p.add(eth(IPv6(src="fe80::1", dst="ff02::a", nh=88, hlim=2) / Raw(msgs[0])))
    for f in (frames[0], frames[4], frames[5], frames[8]):
        p.add_every_cut(f, 34, 1)
    for f in frames:
        p.add_mutants(f, 34, len(bytes(f)), 3, rng)
    return p

# ---------------------------------------------------------------- SNMP

def ber(tag, content):
    """One BER element: tag byte(s), definite length (long form when needed)."""
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return (tag if isinstance(tag, bytes) else bytes([tag])) + ln + content


def ber_int(v, tag=0x02):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return ber(tag, (v & ((1 << (8 * n)) - 1)).to_bytes(n, "big"))


def ber_uns(v, tag):
    n = max(1, (v.bit_length() + 8) // 8)
    return ber(tag, v.to_bytes(n, "big"))


def ber_oid(dotted):
    parts = [int(x) for x in dotted.strip(".").split(".")]
    subs = [parts[0] * 40 + parts[1]] + parts[2:]
    out = b""
    for v in subs:
        chunk = [v & 0x7f]
        v >>= 7
        while v:
            chunk.insert(0, 0x80 | (v & 0x7f))
            v >>= 7
        out += bytes(chunk)
    return ber(0x06, out)


def ber_str(s):
    return ber(0x04, s if isinstance(s, bytes) else s.encode())


NULL = b"\x05\x00"


def varbinds(pairs):
    return ber(0x30, b"".join(ber(0x30, ber_oid(o) + v) for o, v in pairs))


def snmp_pdu(ty, vbs, req=1234, status=0, index=0):
    return ber(0xa0 + ty, ber_int(req) + ber_int(status) + ber_int(index) + varbinds(vbs))


def snmp_msg(pdu, version=0, community="public"):
    return ber(0x30, ber_int(version) + ber_str(community) + pdu)


def snmp_trap(enterprise=".1.3.6.1.4.1.8072.3.2.10", agent=b"\xc6\x12\x00\x01", generic=0,
              specific=0, ticks=123456, vbs=()):
    return ber(0xa4, ber_oid(enterprise) + ber(0x40, agent) + ber_int(generic) + ber_int(specific)
               + ber_uns(ticks, 0x43) + varbinds(vbs))


def snmp_v3(pdu, flags=b"\x04", model=3, user="alice", engine=b"\x80\x00\x1f\x88\x04rawcap",
            boots=3, time=1234, auth=b"", priv=b"", ctx_engine=None, ctx_name="", msgid=4711,
            usm=None, scoped=None):
    glob = ber(0x30, ber_int(msgid) + ber_int(65507) + ber_str(flags) + ber_int(model))
    if usm is None:
        usm = ber(0x30, ber_str(engine) + ber_int(boots) + ber_int(time) + ber_str(user)
                  + ber_str(auth) + ber_str(priv))
    if scoped is None:
        scoped = ber(0x30, ber_str(engine if ctx_engine is None else ctx_engine) + ber_str(ctx_name) + pdu)
    return ber(0x30, ber_int(3) + glob + ber_str(usm) + scoped)


def snmp_messages():
    sys_descr = ".1.3.6.1.2.1.1.1.0"
    values = [
        ber_int(42), ber_int(-1), ber_int(-129), ber_int(2 ** 31 - 1), ber(0x02, b"\x01\x02\x03\x04\x05"),
        ber_str("Linux rawcap 6.1"), ber_str(b"\x00\x01\xfe"), ber_str(""), ber_str('q"uote\\'),
        ber_oid(".1.3.6.1.4.1.8072.3.2.10"), ber(0x40, b"\xc6\x12\x00\x01"), ber(0x40, b"\xc6\x12\x00"),
        ber_uns(4294967295, 0x41), ber_uns(77, 0x42), ber_uns(8640000, 0x43), ber_uns(2 ** 64 - 1, 0x46),
        ber(0x44, b"\x9f\x78\x04\x3f\x80\x00\x00"), ber(0x45, b"\x01"), NULL, b"\x80\x00", b"\x81\x00",
        b"\x82\x00", b"\x83\x00", ber(0x01, b"\xff"), ber(0x03, b"\x00\xaa"), ber(0x10, b"\x01"),
        ber(0xc0, b"\x01"), ber(0x31, NULL), ber(0x61, NULL), ber(0xe0, b""), ber(0x02, b""),
    ]
    msgs = [
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)])),
        snmp_msg(snmp_pdu(1, [(sys_descr, NULL), (".1.3.6.1.2.1.2.2.1.10.1", NULL)]), community="private"),
        snmp_msg(snmp_pdu(2, [(sys_descr, ber_str("Linux rawcap 6.1"))])),
        snmp_msg(snmp_pdu(2, [(".1.3.6.1.2.1.99.%d" % i, v) for i, v in enumerate(values)], req=77)),
        snmp_msg(snmp_pdu(3, [(".1.3.6.1.2.1.1.5.0", ber_str("host"))]), community="secret"),
        snmp_msg(snmp_pdu(2, [(sys_descr, NULL)], status=2, index=1)),
        snmp_msg(snmp_pdu(2, [(sys_descr, NULL)], status=25, index=3)),
        snmp_msg(snmp_pdu(2, [(sys_descr, NULL)], status=-3)),
        snmp_msg(snmp_pdu(2, [(sys_descr, NULL)], status=0, index=4)),
        snmp_msg(snmp_pdu(2, [(sys_descr, NULL)], status=5, index=0)),
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)], status=1, index=2)),
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)], status=40)),
        snmp_msg(snmp_pdu(0, [(sys_descr, ber_int(5))])),
        snmp_msg(snmp_pdu(0, [(sys_descr, ber_str("x"))]), community=b"\x01bin\xff"),
        snmp_msg(snmp_pdu(0, [])),
        snmp_msg(snmp_pdu(0, [(".2.999.1", NULL), (".0.39", NULL), (".1.3.6.1.4.1.4294967295.268435456", NULL)])),
        snmp_msg(snmp_trap()),
        snmp_msg(snmp_trap(generic=6, specific=17, vbs=[(".1.3.6.1.2.1.2.2.1.1.2", ber_int(2))])),
        snmp_msg(snmp_trap(generic=9, specific=3)),
        snmp_msg(snmp_trap(generic=-2)),
        snmp_msg(snmp_trap(generic=2, specific=1, agent=b"\x0a\x00\x00\x01\x02")),
        snmp_msg(snmp_pdu(5, [(".1.3.6.1.2.1.2.2", NULL)], status=0, index=10), version=1),
        snmp_msg(snmp_pdu(5, [(".1.3.6.1.2.1.2.2", NULL)], status=3, index=25), version=1),
        snmp_msg(snmp_pdu(5, [(".1.3.6.1.2.1.2.2", NULL)]), version=0),
        snmp_msg(snmp_pdu(6, [(".1.3.6.1.2.1.1.3.0", ber_uns(100, 0x43))]), version=1),
        snmp_msg(snmp_pdu(7, [(".1.3.6.1.2.1.1.3.0", ber_uns(100, 0x43)),
                              (".1.3.6.1.6.3.1.1.4.1.0", ber_oid(".1.3.6.1.6.3.1.1.5.1"))]), version=1),
        snmp_msg(snmp_pdu(7, [(sys_descr, NULL)], status=1), version=1),
        snmp_msg(snmp_pdu(8, [(sys_descr, NULL)]), version=1),
        snmp_msg(snmp_trap(), version=1),
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)]), version=2),
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)]), version=7),
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)]), version=-1),
        # SNMPv3
        snmp_v3(snmp_pdu(0, [], req=1), flags=b"\x04", user="", engine=b""),
        snmp_v3(snmp_pdu(8, [(".1.3.6.1.6.3.15.1.1.4.0", ber_uns(7, 0x41))])),
        snmp_v3(snmp_pdu(0, [(sys_descr, NULL)]), flags=b"\x05", auth=b"\x11" * 12, ctx_name="ctx"),
        snmp_v3(snmp_pdu(2, [(sys_descr, ber_str("v3"))]), flags=b"\x01", auth=b"\x11" * 12),
        snmp_v3(b"", flags=b"\x07", auth=b"\x22" * 12, priv=b"\x33" * 8, scoped=ber_str(b"\xde\xad\xbe\xef" * 4)),
        snmp_v3(snmp_pdu(0, []), flags=b"\x03", scoped=ber_str(b"\x01\x02")),
        snmp_v3(snmp_pdu(0, []), flags=b"\x02"),
        snmp_v3(snmp_pdu(0, []), flags=b"\x04\x00"),
        snmp_v3(snmp_pdu(0, []), model=2),
        snmp_v3(snmp_pdu(0, []), usm=b"\x04\x00"),
        snmp_v3(snmp_pdu(0, []), usm=ber(0x30, ber_str(b"") + ber_int(1) + ber_int(2) + ber_str("u")
                                          + ber_str(b"") + ber_str(b"") + ber_int(9))),
        snmp_v3(snmp_pdu(0, []), usm=ber(0x30, ber_str(b"") + ber_int(1) + ber_str("x"))),
        snmp_v3(snmp_pdu(0, []), scoped=ber(0x30, ber_int(1))),
        snmp_v3(snmp_pdu(0, []), scoped=ber(0x30, ber_str(b"\x80") + ber_int(1))),
        snmp_v3(snmp_pdu(0, []), scoped=ber(0x30, ber_str(b"\x80") + ber_str(b"\x01ctx") + ber_int(1))),
        ber(0x30, ber_int(3) + ber(0x30, ber_int(1) + ber_int(1500) + ber_str(b"\x04") + ber_int(3) + ber_int(0))
            + ber_str(b"") + ber(0x30, b"")),
        # Damaged BER
        b"",
        b"\x30",
        b"\x30\x03\x02\x01",
        b"\x30\x85\x00\x00\x00\x00\x05",
        b"\x30\x82\x00",
        b"\x30\x81\x05\x02\x01\x00\x04\x00",
        b"\x31\x00",
        b"\x02\x01\x00",
        b"\x04\x03abc",
        b"\x30\x03\x04\x01a",
        b"\x30\x03\x02\x00\x00",
        b"\x30\x05\x02\x01\x00\x02\x00",
        b"\x30\x05\x02\x01\x00\x30\x00",
        b"\x30\x06\x02\x01\x00\x04\x01p",
        b"\x30\x08\x02\x01\x00\x04\x00\x30\x00",
        b"\x30\x08\x02\x01\x00\x04\x00\xa9\x00",
        b"\x30\x08\x02\x01\x00\x04\x00\xbf\x00",
        b"\x30\x09\x02\x01\x00\x04\x00\xbf\x81\x00",
        b"\x30\x08\x02\x01\x00\x04\x00\x9f\x85",
        b"\x30\x08\x02\x01\x00\x04\x00\xff\x00",
        b"\x30\x08\x02\x01\x00\x04\x00\xdf\x00",
        b"\x30\x07\x02\x01\x00\x04\x00\x1f",
        b"\x30\x09\x02\x01\x00\x04\x00\x3f\x92\x00",
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)])) + b"\x00\x00\x00",
        snmp_msg(snmp_pdu(0, [(sys_descr, NULL)]) + b"\x05\x00"),
        snmp_msg(ber(0xa0, ber_int(1) + ber_int(0) + ber_int(0) + varbinds([(sys_descr, NULL)]) + b"\x05\x00")),
        snmp_msg(ber(0xa0, ber_str("x"))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_str("x"))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + NULL)),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + ber_int(0) + ber_int(0))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + ber_int(0) + ber(0x30, ber_int(5)))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + ber_int(0) + ber(0x30, ber(0x30, ber_int(5))))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + ber_int(0) + ber(0x30, ber(0x30, ber_oid(sys_descr))))),
        snmp_msg(ber(0xa2, ber_int(1) + ber_int(0) + ber_int(0) + ber(0x30, ber(0x30, b"\x06\x03\x2b\x86\x86")))),
        snmp_msg(ber(0xa4, ber_int(1))),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber_int(1))),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber(0x40, b"\x01\x02\x03\x04") + NULL)),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber(0x40, b"\x01\x02\x03\x04") + ber_int(6) + NULL)),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber(0x40, b"\x01\x02\x03\x04") + ber_int(6) + ber_int(1)
                     + ber_uns(5, 0x41) + varbinds([]))),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber(0x40, b"\x01\x02\x03\x04") + ber_int(6) + ber_int(1)
                     + ber_int(5))),
        snmp_msg(ber(0xa4, ber_oid(".1.3.6") + ber(0x40, b"\x01\x02\x03\x04") + ber_int(6) + ber_int(1)
                     + ber_uns(5, 0x43))),
        snmp_msg(NULL),
        snmp_msg(b""),
        ber(0x30, ber_int(0) + ber_int(1)),
        ber(0x30, ber_str("public")),
        ber(0x30, ber(0x30, ber(0x30, ber(0x30, b"")))),
    ]
    return msgs


def snmp_file():
    p = Pcap()
    rng = random.Random(161)
    msgs = snmp_messages()
    frames = [udp4(40161, 161, Raw(m)) for m in msgs]
    for f in frames:
        p.add(f)
    p.add(udp4(161, 40161, Raw(msgs[2])))
    p.add(udp4(40162, 162, Raw(msgs[16])))
    p.add(udp6(40161, 161, Raw(msgs[0])))
    p.add(udp6(162, 40162, Raw(msgs[25])))
    # A 64 KiB bogus nest: every element a SEQUENCE holding the next one.
    deep = b""
    for _ in range(16000):
        deep = b"\x30\x84" + len(deep).to_bytes(4, "big") + deep
        if len(deep) > 65000:
            break
    p.add(udp4(40161, 161, Raw(deep[:65000])))
    for i in (0, 3, 16, 33, 35):
        p.add_every_cut(frames[i], 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 4, rng)
    return p

# ---------------------------------------------------------------- RADIUS

def radius_file():
    p = Pcap()
    rng = random.Random(1812)

    def a(t, v):
        return bytes([t, len(v) + 2]) + v

    def u32(v):
        return struct.pack(">I", v)

    def rad(code, attrs=b"", id=0x2a, auth=bytes(range(16)), length=None):
        ln = 20 + len(attrs) if length is None else length
        return bytes([code, id]) + struct.pack(">H", ln) + auth + attrs

    eap_identity = b"\x02\x07\x00\x0a\x01alice"
    access = (a(1, b"alice") + a(2, bytes(16)) + a(4, bytes([198, 18, 0, 1])) + a(5, u32(7))
              + a(6, u32(2)) + a(7, u32(1)) + a(61, u32(15)) + a(30, b"00-11-22-33-44-55:ssid")
              + a(31, b"66-77-88-99-aa-bb") + a(32, b"nas01") + a(79, eap_identity)
              + a(80, bytes(range(16))) + a(87, b"port 1"))
    msgs = [
        rad(1, access),
        rad(2, a(18, b"Welcome") + a(27, u32(3600)) + a(28, u32(59)) + a(85, u32(61))
            + a(8, bytes([198, 18, 0, 9])) + a(9, bytes([255, 255, 255, 0])) + a(25, b"class\x01\xff")
            + a(12, u32(1500)) + a(10, u32(3)) + a(13, u32(1)) + a(15, u32(8)) + a(16, u32(23))),
        rad(3, a(18, b"Denied\x00trailing")),
        rad(4, a(40, u32(1)) + a(44, b"sess-1") + a(45, u32(1)) + a(46, u32(125)) + a(42, u32(10 ** 9))
            + a(43, u32(5)) + a(47, u32(3)) + a(48, u32(4)) + a(49, u32(1)) + a(55, u32(1700000000))
            + a(41, u32(0)) + a(50, b"multi") + a(51, u32(2)) + a(52, u32(0)) + a(53, u32(1))),
        rad(5),
        rad(11, a(24, b"state\x00x") + a(79, b"\x01\x08\x00\x06\x0d\x20")),
        rad(12, a(80, bytes(16))),
        rad(13), rad(40, a(1, b"bob")), rad(41), rad(42, a(101, u32(503))), rad(43, a(101, u32(999))),
        rad(44), rad(45, a(101, b"\x00\x01")), rad(255), rad(99, a(1, b"x")), rad(0),
        # Every numeric table at its edges, tags, special values.
        rad(2, b"".join(a(t, u32(v)) for t, v in [(6, 0), (6, 19), (6, 20), (7, 7), (7, 8), (10, 4), (13, 4),
                                                  (15, 8), (15, 9), (29, 0), (29, 1), (29, 2), (40, 15),
                                                  (40, 16), (45, 4), (49, 23), (49, 24), (57, 1), (57, 3),
                                                  (61, 43), (61, 44), (72, 4), (72, 5), (76, 0), (76, 1),
                                                  (76, 2), (6, 0xffffffff)])),
        rad(2, a(64, b"\x01\x00\x00\x03") + a(64, b"\x00\x00\x00\x0d") + a(65, b"\x1f\x00\x00\x06")
            + a(65, b"\x05\x00\x00\x11") + a(83, b"\x02\x00\x00\x07") + a(83, b"\x00\x00\x01\x00")
            + a(56, b"\x31\x00\x00\x64") + a(56, b"\x32\x00\x01\x00") + a(56, b"\x07\x00\x00\x01")
            + a(23, u32(0xfffffffe)) + a(23, u32(5)) + a(37, u32(0)) + a(37, u32(4)) + a(38, u32(0))
            + a(38, u32(9)) + a(8, u32(0xffffffff)) + a(8, u32(0xfffffffe)) + a(14, u32(0xffffffff))
            + a(14, u32(0xfffffffe)) + a(4, u32(0xffffffff)) + a(5, b"\x01\x02") + a(4, b"\x01")
            + a(27, u32(86399)) + a(6, b"\x00\x00\x00\x00\x01")),
        rad(2, a(66, b"\x01host") + a(66, b"host") + a(67, b"\x00srv") + a(81, b"\x1fvlan10")
            + a(82, b"\x20id") + a(90, b"\x03auth") + a(91, b"x") + a(69, b"\x01\x12\x34secret")
            + a(69, b"\x20\x00\x01") + a(69, b"\x01\x02") + a(58, b"\x31vlan-name") + a(58, b"\x09x")
            + a(79, b"\x02\x01\x00\x06\x03\x04") + a(79, b"\x01\x01\x00\x09\x01ab")),
        rad(2, a(95, bytes.fromhex("20010db8000000000000000000000001")) + a(95, b"\x01\x02")
            + a(98, bytes(16)) + a(97, b"\x00\x40\x20\x01\x0d\xb8\x00\x00\x00\x01")
            + a(97, b"\x00\x80" + bytes(16)) + a(97, b"\x00\x81") + a(97, b"\x00") + a(97, bytes(19))
            + a(97, b"\x00\x70\x20\x01") + a(123, b"\x00\x38\x20\x01\x0d\xb8\x00\x01\x02")
            + a(125, b"\x40" + bytes.fromhex("20010db8000100000000000000000000")) + a(125, b"\x81" + bytes(16))
            + a(125, bytes(5)) + a(124, bytes.fromhex("0003ff0000000003")) + a(124, bytes(8))
            + a(124, bytes(4))),
        rad(2, a(126, b"\x31example.com") + a(126, b"\x39x\x01\x80") + a(126, b"\x30")
            + a(127, b"\x00\x01\x00\x01" + struct.pack(">IIII", 3900000000, 0x80000000, 0, 0) + b"GPS")
            + a(127, b"\x00\x02\x05\x07" + bytes(16)) + a(127, bytes(10))
            + a(128, b"\x00\x03" + bytes(range(40))) + a(128, b"\x00")
            + a(129, b"\x80\x01" + struct.pack(">II", 3900000000, 5) + b"note")
            + a(129, b"\x00\x00" + bytes(8)) + a(129, bytes(4))),
        rad(2, a(70, bytes(range(16))) + a(70, bytes(3)) + a(71, b"\x01\x06" + bytes(range(12)))
            + a(71, b"\x00\x06" + bytes(12)) + a(71, bytes(2)) + a(84, bytes(range(9))) + a(84, bytes(3))
            + a(101, u32(201)) + a(101, u32(508)) + a(55, u32(0)) + a(55, bytes(3))),
        rad(2, a(26, u32(9) + a(1, b"shell:priv-lvl=15") + a(2, b"\x00\x01"))
            + a(26, u32(311) + a(16, bytes(4)))
            + a(26, u32(123456)) + a(26, b"\x00\x00") + a(26, u32(14122) + b"\x01\x01")
            + a(26, u32(14122) + b"\x01\x09abc") + a(26, u32(9) + b"\x01")),
        rad(2, a(0, b"zero") + a(17, b"x") + a(130, b"unknown") + a(200, b"") + a(2, bytes(16))
            + a(3, bytes(17)) + a(59, b"\x01") + a(94, b"\x00\x01") + a(96, bytes(8)) + a(102, b"k")
            + a(33, b"proxy")),
        rad(1, a(1, b"alice") + b"\x05\x01" + a(1, b"never")),
        rad(1, a(1, b"alice") + b"\x05\x40" + bytes(4)),
        rad(1, a(1, b"alice") + b"\x05"),
        rad(1, a(1, b"alice"), length=19),
        rad(1, a(1, b"alice") + a(1, b"beyond"), length=27),
        rad(1, a(1, b"alice"), length=200),
        rad(4, bytes(0)) + b"extra",
        b"\x01\x02\x00",
        b"",
    ]
    frames = [udp4(40000, 1812, Raw(m)) for m in msgs]
    for f in frames:
        p.add(f)
    p.add(udp4(1812, 40000, Raw(msgs[1])))
    p.add(udp4(40000, 1813, Raw(msgs[3])))
    p.add(udp4(40000, 1645, Raw(msgs[0])))
    p.add(udp4(40000, 1646, Raw(msgs[4])))
    p.add(udp4(40000, 3799, Raw(msgs[11])))
    p.add(udp4(40000, 1700, Raw(msgs[9])))
    p.add(udp6(40000, 1812, Raw(msgs[0])))
    for i in (0, 1, 19, 20, 21, 22):
        p.add_every_cut(frames[i], 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 4, rng)
    return p


# ---------------------------------------------------------------- ISAKMP / IKE

def ike_pl(t, body, crit=0):
    """A payload (type kept for ike_chain; the next-payload byte is set there)."""
    return (t, body, crit)


def ike_chain(payloads, fix_len=True):
    """Payloads in wire form, each next-payload field naming the following
    one; returns (first type, bytes)."""
    out = b""
    for i, (t, body, crit) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack(">BBH", nxt, crit, 4 + len(body)) + body
    return (payloads[0][0] if payloads else 0), out


def ike_msg(payloads, ick=b"\x11" * 8, rck=bytes(8), ver=0x10, etype=2, flags=0, msgid=0,
            length=None, np=None):
    first, body = ike_chain(payloads)
    np = first if np is None else np
    total = 28 + len(body) if length is None else length
    return ick + rck + struct.pack(">BBBBII", np, ver, etype, flags, msgid, total) + body


def ike_attr(t, v):
    """A TV attribute (int value) or a TLV one (bytes value)."""
    if isinstance(v, int):
        return struct.pack(">HH", 0x8000 | t, v)
    return struct.pack(">HH", t, len(v)) + v


def ike_v1_t(no, tid, attrs):
    return struct.pack(">BBH", no, tid, 0) + b"".join(ike_attr(t, v) for t, v in attrs)


def ike_v1_sa(props, doi=1, sit=1, ident=True):
    """An IKEv1 SA with its proposals: props = [(p_no, protoid, spi, [(t_no, t_id, attrs)])]."""
    body = struct.pack(">II", doi, sit)
    if sit != 1 and ident:
        body += struct.pack(">I", 0)
    plist = []
    for p_no, proto, spi, ts in props:
        tlist = [ike_pl(3, ike_v1_t(no, tid, attrs)) for no, tid, attrs in ts]
        _, tbytes = ike_chain(tlist)
        plist.append(ike_pl(2, struct.pack(">BBBB", p_no, proto, len(spi), len(ts)) + spi + tbytes))
    _, pbytes = ike_chain(plist)
    return ike_pl(1, body + pbytes)


def ike_v1_n(ty, doi=1, proto=1, spi=b"", data=b""):
    return ike_pl(11, struct.pack(">IBBH", doi, proto, len(spi), ty) + spi + data)


def ike_v1_id(ty, data, proto=17, port=500):
    return ike_pl(5, struct.pack(">BBH", ty, proto, port) + data)


def ike_v2_t(ttype, tid, attrs=()):
    return struct.pack(">BBH", ttype, 0, tid) + b"".join(ike_attr(t, v) for t, v in attrs)


def ike_v2_sa(props, crit=0):
    """props = [(p_no, protoid, spi, [(type, id, attrs)])]."""
    plist = []
    for p_no, proto, spi, ts in props:
        tlist = [ike_pl(3, ike_v2_t(*t)) for t in ts]
        _, tbytes = ike_chain(tlist)
        plist.append(ike_pl(2, struct.pack(">BBBB", p_no, proto, len(spi), len(ts)) + spi + tbytes))
    _, pbytes = ike_chain(plist)
    return ike_pl(33, pbytes, crit)


def ike_v2_n(ty, proto=1, spi=b"", data=b"", crit=0):
    return ike_pl(41, struct.pack(">BBH", proto, len(spi), ty) + spi + data, crit)


def isakmp_messages():
    """(source is B, message) pairs: IKEv1 main/aggressive/quick/informational
    exchanges with every payload, IKEv2 exchanges with every payload, and
    the broken forms (bad lengths, unknown types, bogus chains)."""
    rng = random.Random(500)
    rb = lambda n: bytes(rng.randrange(256) for _ in range(n))
    oak = [(1, 7), (14, 128), (2, 2), (3, 1), (4, 2), (11, 1), (12, b"\x00\x01\x51\x80")]
    oak2 = [(1, 5), (2, 1), (3, 3), (4, 14), (5, 1), (11, 2), (12, 3600), (13, 1), (20, b"\x01"),
            (1, 99), (2, 9), (30, 1), (0, 0), (3, 65535), (4, 18), (4, 19)]
    sa1 = ike_v1_sa([(1, 1, b"", [(1, 1, oak), (2, 1, oak2), (3, 0, []), (4, 2, [(1, 1)])])])
    ck_a, ck_b = bytes.fromhex("a1a2a3a4a5a6a7a8"), bytes.fromhex("b1b2b3b4b5b6b7b8")
    vid = ike_pl(13, bytes.fromhex("4a131c81070358455c5728f20e95452f"))
    m = []
    # Main mode: I1 from A, R1 from B, I2, R2, I3 (encrypted), a stranger.
    m.append((False, ike_msg([sa1, vid, ike_pl(13, b"\x90\xcb\x80\x91")], ick=ck_a)))
    m.append((True, ike_msg([sa1, vid], ick=ck_a, rck=ck_b)))
    ke = ike_pl(4, rb(128))
    nonce = ike_pl(10, rb(20))
    natd = ike_pl(20, rb(20))
    m.append((False, ike_msg([ke, nonce, natd, natd], ick=ck_a, rck=ck_b)))
    m.append((True, ike_msg([ke, ike_pl(10, rb(8)), ike_pl(10, rb(40))], ick=ck_a, rck=ck_b)))
    m.append((False, ike_msg([ike_pl(5, rb(40))], ick=ck_a, rck=ck_b, flags=1)))
    m.append((False, ike_msg([ike_pl(5, rb(40))], ick=ck_a, rck=ck_b, flags=3, np=8)))
    m.append((False, ike_msg([nonce], ick=b"\x77" * 8, rck=ck_b)))
    # Aggressive mode, base, auth, unknown exchange types.
    for et in (4, 1, 3, 0, 6, 31, 32, 33, 99, 255):
        m.append((False, ike_msg([sa1, ke, nonce, ike_v1_id(2, b"vpn.example.com")], ick=bytes([et]) * 8,
                                 etype=et)))
    # Quick mode (phase 2) with ESP, AH and IPComp proposals.
    ipsec = [(1, 1), (2, 28800), (2, b"\x00\x00\x70\x80"), (4, 1), (5, 2), (6, 256), (3, 14),
             (3, 18), (3, 19), (4, 3), (5, 5), (7, 1), (8, 2), (9, 3), (10, b"ab"), (11, 1)]
    qsa = ike_v1_sa([(1, 3, b"\xca\xfe\x00\x01", [(1, 12, ipsec), (2, 3, [(4, 2)]), (3, 13, [])]),
                     (2, 2, b"\x00\x00\x01\x00", [(1, 3, [(5, 2)]), (2, 8, [])]),
                     (3, 4, b"\x12\x34", [(1, 2, []), (2, 4, [])]),
                     (4, 0, b"", [(1, 1, [(1, 2)])]),
                     (5, 9, b"\x01", [(1, 77, [(6, b"\x00\x80")])])])
    hash_ = ike_pl(8, rb(20))
    ids = [ike_v1_id(1, bytes([198, 18, 0, 1])), ike_v1_id(4, bytes([198, 18, 1, 0, 255, 255, 255, 0])),
           ike_v1_id(5, bytes.fromhex("20010db8000000000000000000000001"), proto=0, port=0),
           ike_v1_id(6, bytes.fromhex("20010db8000000000000000000000000") + b"\xff" * 8 + bytes(8)),
           ike_v1_id(7, bytes([198, 18, 0, 1, 198, 18, 0, 9])),
           ike_v1_id(8, bytes.fromhex("20010db8" + "00" * 11 + "01" + "20010db8" + "00" * 11 + "ff")),
           ike_v1_id(2, b"host.example\x01\xff"), ike_v1_id(3, b"user@example.com"),
           ike_v1_id(9, rb(30)), ike_v1_id(10, rb(12)), ike_v1_id(11, b"key-id-1"),
           ike_v1_id(12, b"x"), ike_v1_id(0, b"zero"), ike_v1_id(200, b""),
           ike_v1_id(1, b"\x01\x02"), ike_v1_id(4, b"\x01\x02\x03\x04"), ike_v1_id(5, b"\x00" * 15),
           ike_v1_id(6, b"\x00" * 31), ike_v1_id(7, b"\x00" * 7), ike_v1_id(8, b"\x00" * 31),
           ike_pl(5, b"\x01\x11")]
    m.append((False, ike_msg([hash_, qsa, ike_pl(10, rb(16))] + ids[:2], ick=ck_a, rck=ck_b, etype=32,
                             msgid=0x1234abcd)))
    m.append((True, ike_msg([hash_, qsa, ike_pl(10, rb(16))] + ids[:2], ick=ck_a, rck=ck_b, etype=32,
                            msgid=0x1234abcd, flags=2)))
    for i in range(0, len(ids), 4):
        m.append((False, ike_msg(ids[i:i + 4], ick=ck_a, rck=ck_b, etype=32, msgid=7 + i)))
    # Informational: notifications and deletes.
    ns = [ike_v1_n(24578, spi=rb(16)), ike_v1_n(24576, proto=3, spi=b"\x01\x02\x03\x04",
                                                data=ike_attr(11, 1) + ike_attr(12, b"\x00\x00\x0e\x10")),
          ike_v1_n(24576, data=ike_attr(11, 1) + ike_attr(12, b"\x00\x00\x0e")),
          ike_v1_n(24577, data=b"\x00\x00\x00\x01"), ike_v1_n(24577, data=b"\x00\x00\x00\x00"),
          ike_v1_n(14), ike_v1_n(30), ike_v1_n(31), ike_v1_n(0), ike_v1_n(8192), ike_v1_n(8193),
          ike_v1_n(16384), ike_v1_n(16385), ike_v1_n(24579), ike_v1_n(24580), ike_v1_n(32768),
          ike_v1_n(36136, data=rb(4)), ike_v1_n(14, data=rb(40)), ike_v1_n(14, data=rb(5)),
          ike_v1_n(1, doi=0, proto=3, spi=b"\xaa\xbb"), ike_v1_n(16384, doi=2), ike_v1_n(9000, doi=3),
          ike_v1_n(20000, doi=3), ike_v1_n(30000, doi=0, data=b"ignored"), ike_v1_n(5, proto=7)]
    for i in range(0, len(ns), 5):
        m.append((False, ike_msg([hash_] + ns[i:i + 5], ick=ck_a, rck=ck_b, etype=5, msgid=0x99 + i)))
    ds = [ike_pl(12, struct.pack(">IBBH", 1, 3, 4, 2) + rb(8)),
          ike_pl(12, struct.pack(">IBBH", 1, 1, 16, 1) + ck_a + ck_b),
          ike_pl(12, struct.pack(">IBBH", 0, 3, 4, 1) + rb(4)),
          ike_pl(12, struct.pack(">IBBH", 1, 2, 0, 3)),
          ike_pl(12, struct.pack(">IBBH", 1, 9, 4, 5) + rb(8))]
    m.append((False, ike_msg([hash_] + ds, ick=ck_a, rck=ck_b, etype=5, msgid=0x55)))
    # Certificates, requests, signatures, unknown payload types.
    certs = [ike_pl(6, bytes([4]) + rb(40)), ike_pl(6, bytes([11]) + rb(3)), ike_pl(7, bytes([4])),
             ike_pl(7, bytes([200]) + b"CA"), ike_pl(9, rb(64)), ike_pl(8, rb(16)), ike_pl(14, rb(6)),
             ike_pl(20, rb(16)), ike_pl(130, rb(8)), ike_pl(46, rb(8)), ike_pl(49, b"x")]
    m.append((False, ike_msg(certs, ick=ck_a, rck=ck_b)))
    # SA forms: other DOI, situations, no proposals, long spi.
    for doi, sit in ((1, 2), (1, 4), (1, 7), (1, 0), (2, 1), (0, 0)):
        m.append((False, ike_msg([ike_v1_sa([(1, 1, b"", [(1, 1, oak[:2])])], doi=doi, sit=sit), vid],
                                 ick=bytes([0x30 + sit]) * 8)))
    # An IKEv2 SA in an IKEv1 message and an IKEv1 SA in an IKEv2 one.
    m.append((False, ike_msg([ike_v2_sa([(1, 1, b"", [(1, 12)])]), nonce], ick=b"\x21" * 8)))
    # IKEv2.
    v2sa = ike_v2_sa([(1, 1, b"", [(1, 12, [(14, 128)]), (1, 20, [(14, 256)]), (1, 3), (1, 13),
                                    (2, 2), (2, 5), (2, 4), (2, 9), (3, 2), (3, 12), (3, 5), (3, 6),
                                    (4, 14), (4, 19), (4, 2), (4, 31)]),
                      (2, 3, b"\x01\x02\x03\x04", [(1, 12, [(14, 128)]), (3, 2), (5, 0), (5, 1), (5, 2)]),
                      (3, 2, b"\x05\x06\x07\x08", [(3, 2), (6, 1), (0, 0), (9, 300, [(1, 2), (2, b"ab")])])])
    ke2 = ike_pl(34, struct.pack(">HH", 14, 0) + rb(64))
    n2 = [ike_v2_n(16388, data=rb(20)), ike_v2_n(16389, spi=rb(8), data=rb(20)),
          ike_v2_n(16390, data=rb(16)), ike_v2_n(16390, data=rb(40)), ike_v2_n(16430),
          ike_v2_n(16404), ike_v2_n(16391, proto=3, spi=b"\x00\x00\x10\x01")]
    i2, r2 = bytes.fromhex("0102030405060708"), bytes.fromhex("f1f2f3f4f5f6f7f8")
    vid2 = ike_pl(43, b"strongSwan 5.9\x00\x01")
    m.append((False, ike_msg([v2sa, ke2, ike_pl(40, rb(32))] + n2[:3] + [vid2], ick=i2, ver=0x20,
                             etype=34, flags=0x08)))
    m.append((True, ike_msg([v2sa, ke2, ike_pl(40, rb(32))] + n2[3:], ick=i2, rck=r2, ver=0x20,
                            etype=34, flags=0x20)))
    # IKE_AUTH: encrypted, and an unencrypted one with every payload.
    m.append((False, ike_msg([ike_pl(46, rb(80))], ick=i2, rck=r2, ver=0x20, etype=35, flags=0x08,
                             msgid=1)))
    m.append((True, ike_msg([ike_pl(46, rb(3))], ick=i2, rck=r2, ver=0x20, etype=35, flags=0x20,
                            msgid=1)))
    m.append((False, ike_msg([ike_pl(46, rb(30))], ick=i2, rck=r2, ver=0x20, etype=35, flags=0x09,
                             msgid=1)))
    ids2 = [ike_pl(35, bytes([2, 0, 0, 0]) + b"vpn.example\x01"), ike_pl(36, bytes([1, 0, 0, 0]) + bytes([198, 18, 0, 2])),
            ike_pl(35, bytes([3, 0, 0, 0]) + b"me@example.com"), ike_pl(36, bytes([5, 0, 0, 0]) + rb(16)),
            ike_pl(35, bytes([9, 0, 0, 0]) + rb(20)), ike_pl(36, bytes([10, 0, 0, 0]) + rb(6)),
            ike_pl(35, bytes([11, 0, 0, 0]) + b"kid"), ike_pl(36, bytes([4, 0, 0, 0]) + b"zz"),
            ike_pl(35, bytes([2, 0, 0])), ike_pl(36, bytes([0, 0, 0, 0]))]
    auth = [ike_pl(39, bytes([2, 0, 0, 0]) + rb(20)), ike_pl(39, bytes([1, 0, 0, 0]) + rb(48)),
            ike_pl(39, bytes([3, 0, 0, 0])), ike_pl(39, bytes([9, 0, 0, 0]) + b"x"),
            ike_pl(39, bytes([0, 0]))]
    other = [ike_pl(37, bytes([4]) + rb(30)), ike_pl(38, bytes([4]) + rb(20)),
             ike_pl(44, bytes([1, 0, 0, 0, 7, 0, 0, 16, 0, 0, 255, 255, 198, 18, 0, 0, 198, 18, 0, 255])),
             ike_pl(45, bytes([1, 0, 0, 0]) + rb(16)), ike_pl(47, bytes([1, 0, 0, 0]) + rb(8)),
             ike_pl(48, bytes([1, 1, 0, 5, 1])), ike_pl(42, bytes([3, 4, 0, 1]) + rb(4)),
             ike_pl(43, b"\x01\x02\x03"), ike_pl(43, b"abcd"), ike_pl(49, b"unknown"), ike_pl(14, b"v1")]
    crit = [ike_pl(40, rb(16), 0x80), ike_pl(41, struct.pack(">BBH", 0, 0, 16384), 0x80),
            ike_pl(34, struct.pack(">HH", 2, 0) + rb(8), 0x81), ike_pl(44, rb(8), 0xff)]
    notes = [ike_v2_n(t, spi=(b"\x00\x00\x00\x07" if t % 3 else b""), data=(rb(6) if t % 2 else b""))
             for t in (1, 4, 5, 7, 9, 11, 14, 17, 24, 34, 35, 36, 37, 39, 16384, 16385, 16386, 16387,
                       16392, 16393, 16394, 16395, 0, 100, 8191, 8192, 10000, 16383, 40959, 40960, 65535)]
    groups = [ids2[:4], ids2[4:], auth, other, crit] + [notes[i:i + 8] for i in range(0, len(notes), 8)]
    for i, g in enumerate(groups):
        m.append((i % 2 == 1, ike_msg(g, ick=i2, rck=r2, ver=0x20, etype=(35, 36, 37, 38, 40)[i % 5],
                                      flags=(0x08, 0x20, 0x28, 0x10, 0x38)[i % 5], msgid=i + 2)))
    m.append((False, ike_msg([v2sa, ke2], ick=i2, rck=r2, ver=0x20, etype=36, flags=0x08, msgid=9)))
    # Bogus IKEv2 SAs: zero-length proposal/transform, lengths past the SA.
    bad_sa = [
        ike_pl(33, struct.pack(">BBH", 0, 0, 4)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 200) + bytes(8)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 12) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 0, 0, 4)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 16) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 0, 0, 40) + bytes(4)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 12) + struct.pack(">BBBB", 1, 1, 9, 1)),
        ike_pl(33, struct.pack(">BBH", 2, 0, 16) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 0, 0, 8) + bytes(4)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 16) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 3, 0, 8) + bytes([1, 0, 0, 12])),
        ike_pl(33, struct.pack(">BBH", 0, 0, 20) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 0, 0, 12) + bytes([1, 0, 0, 12]) + struct.pack(">HH", 14, 300)),
        ike_pl(33, struct.pack(">BBH", 0, 0, 16) + struct.pack(">BBBB", 1, 1, 0, 1) + struct.pack(">BBH", 5, 0, 8) + bytes([1, 0, 0, 12])),
        ike_pl(33, struct.pack(">BBH", 7, 0, 12) + bytes(8)),
        ike_pl(34, b"\x00\x0e"),
        ike_pl(34, b""),
    ]
    for i, b_ in enumerate(bad_sa):
        m.append((False, ike_msg([b_, ike_pl(40, rb(8))], ick=i2, rck=r2, ver=0x20, etype=34, msgid=0)))
    # Bogus IKEv1 chains: zero lengths, a proposal naming an SA, length past the end.
    z = struct.pack(">BBH", 0, 0, 0)
    m.append((False, ike_msg([ike_pl(10, rb(4))], ick=ck_a, rck=ck_b) + z))
    m.append((False, ike_msg([], ick=ck_a, rck=ck_b, np=10) + z))
    m.append((False, ike_msg([], ick=ck_a, rck=ck_b, np=10) + struct.pack(">BBH", 0, 0, 4)))
    m.append((False, ike_msg([], ick=ck_a, rck=ck_b, np=10) + struct.pack(">BBH", 0, 0, 90) + bytes(8)))
    loop = struct.pack(">IIBBBB", 1, 1, 0, 1, 0, 1)  # SA body + proposal header
    nest = b""
    for _ in range(30):
        nest = struct.pack(">BBH", 1, 0, 16 + len(nest)) + struct.pack(">II", 1, 1) + nest
    m.append((False, ike_msg([], ick=ck_a, rck=ck_b, np=1) + struct.pack(">BBH", 0, 0, 20) + loop[:8]
              + struct.pack(">BBH", 1, 0, 8) + bytes(4) + nest))
    m.append((False, ike_msg([ike_pl(12, struct.pack(">IBBH", 1, 3, 0, 4000))], ick=ck_a, rck=ck_b)))
    # Header forms: version 3 and 0, length mismatch, minor versions.
    m.append((False, ike_msg([nonce], ick=ck_a, ver=0x30)))
    m.append((False, ike_msg([nonce], ick=ck_a, ver=0x00)))
    m.append((False, ike_msg([nonce], ick=ck_a, ver=0x1f, length=9999)))
    m.append((False, ike_msg([nonce], ick=ck_a, ver=0x21, length=10, etype=37, flags=0xff)))
    m.append((False, ike_msg([], ick=ck_a, np=0, etype=5)))
    # The cookie cache: 25 initiators (the cache holds 20), then the first again.
    for i in range(25):
        m.append((i % 3 == 0, ike_msg([nonce], ick=struct.pack(">Q", 0x1000 + i))))
    m.append((False, ike_msg([nonce], ick=struct.pack(">Q", 0x1000))))
    m.append((True, ike_msg([nonce], ick=struct.pack(">Q", 0x1018), rck=ck_b)))
    m.append((False, ike_msg([nonce], ick=bytes(8), rck=ck_b)))
    return m


def isakmp_file():
    p = Pcap()
    rng = random.Random(4500)
    msgs = isakmp_messages()
    frames = []
    for from_b, msg in msgs:
        src, dst = (V4_B, V4_A) if from_b else (V4_A, V4_B)
        frames.append(udp4(500, 500, Raw(msg), src=src, dst=dst))
    for f in frames:
        p.add(f)
    # Other ports and IPv6 (the cookie cache keys on the IP version too).
    v1_i1, v2_init = msgs[0][1], [x for _, x in msgs if x[17] == 0x20][0]
    for port in (7500, 8500):
        p.add(udp4(40000, port, Raw(v1_i1)))
    p.add(udp6(500, 500, Raw(v1_i1)))
    p.add(udp6(500, 500, Raw(v1_i1[:8] + b"\x99" * 8 + v1_i1[16:]), src=V6_B, dst=V6_A))
    p.add(udp6(500, 500, Raw(v2_init)))
    # NAT traversal (4500): a marker then IKE; IKE over 4500 without it is ESP.
    for msg in (v1_i1, v2_init, msgs[4][1], msgs[-1][1]):
        p.add(udp4(4500, 4500, Raw(b"\x00\x00\x00\x00" + msg)))
    p.add(udp4(4500, 4500, Raw(b"\x00\x00\x00\x00" + v1_i1[:20])))
    p.add(udp6(4500, 4500, Raw(b"\x00\x00\x00\x00" + v2_init)))
    # A UDP length shorter than the datagram (the length check uses it).
    short = udp4(500, 500, Raw(v1_i1))
    short[UDP].len = 8 + 60
    p.add(short)
    # Cut at every byte (two small messages with most payload kinds) and mutants.
    ck = bytes.fromhex("c1c2c3c4c5c6c7c8")
    v1 = ike_msg([ike_v1_sa([(1, 1, b"\x01", [(1, 1, [(1, 7), (12, b"\x0e\x10")])])]), ike_pl(4, b"\x01" * 4),
                  ike_pl(10, b"\x02" * 4), ike_v1_id(1, bytes([198, 18, 0, 1])),
                  ike_v1_n(24576, spi=b"\x03", data=ike_attr(11, 1)), ike_v1_n(24577, data=bytes(4)),
                  ike_pl(12, struct.pack(">IBBH", 1, 3, 2, 2) + b"\x04" * 4)], ick=ck, rck=ck, msgid=5)
    v2 = ike_msg([ike_v2_sa([(1, 1, b"\x05", [(1, 12, [(14, 128)]), (4, 14)])]),
                  ike_pl(34, struct.pack(">HH", 14, 0) + b"\x06" * 4), ike_pl(40, b"\x07" * 4),
                  ike_pl(35, bytes([2, 0, 0, 0]) + b"ab"), ike_pl(39, bytes([2, 0, 0, 0]) + b"\x08"),
                  ike_v2_n(16390, spi=b"\x09", data=b"\x0a" * 2), ike_pl(43, b"xy"), ike_pl(46, b"\x0b" * 5)],
                 ick=ck, ver=0x20, etype=34, flags=0x08)
    for f in (udp4(500, 500, Raw(v1)), udp4(500, 500, Raw(v2))):
        p.add_every_cut(f, 42, 1)
    for f in frames:
        p.add_mutants(f, 42, len(bytes(f)), 2, rng)
    return p


# ---------------------------------------------------------------- OSPFv3

def ospf6_file():
    ip4 = lambda s_: bytes(int(x) for x in s_.split("."))
    ip6 = lambda s_: IPv6(dst=s_).dst and __import__("socket").inet_pton(__import__("socket").AF_INET6, s_)
    rid = ip4("198.18.0.1")

    def hdr(ty, body, area="0.0.0.1", inst=0, ver=3, length=None, rtr=rid):
        n = 16 + len(body) if length is None else length
        return struct.pack(">BBH", ver, ty, n) + rtr + ip4(area) + struct.pack(">HBB", 0, inst, 0) + body

    def hello(opts=0x13, pri=1, ifid=5, hi=10, dead=40, dr="198.18.0.1", bdr="198.18.0.2", nbrs=()):
        return (struct.pack(">I", ifid) + struct.pack(">I", (pri << 24) | opts) + struct.pack(">HH", hi, dead)
                + ip4(dr) + ip4(bdr) + b"".join(ip4(n) for n in nbrs))

    def lsh(t, lsid="0.0.0.0", adv="198.18.0.1", seq=0x80000001, age=1, length=20):
        return struct.pack(">HH", age, t) + ip4(lsid) + ip4(adv) + struct.pack(">IHH", seq, 0x1234, length)

    def lsa(t, body, lsid="0.0.0.0", adv="198.18.0.1", seq=0x80000001, age=1, length=None):
        return lsh(t, lsid, adv, seq, age, 20 + len(body) if length is None else length) + body

    def pfx(plen, addr="2001:db8::", opt=0, metric=10, words=None):
        w = (plen + 31) // 32 if words is None else words
        return struct.pack(">BBH", plen, opt, metric) + ip6(addr)[:w * 4]

    def link(t, metric, ifid, nifid, nrtid):
        return struct.pack(">BBHII", t, 0, metric, ifid, nifid) + ip4(nrtid)

    lsas = [
        lsa(0x2001, struct.pack(">I", (0x01 << 24) | 0x33) + link(1, 10, 5, 6, "198.18.0.2")
            + link(2, 20, 5, 7, "198.18.0.3") + link(4, 30, 8, 9, "198.18.0.4")),
        lsa(0x2001, struct.pack(">I", (0x1f << 24) | 0x733) + link(9, 1, 1, 1, "0.0.0.1") + link(1, 2, 2, 2, "0.0.0.2")),
        lsa(0x2001, struct.pack(">I", 0)),
        lsa(0x2001, struct.pack(">I", 0x13) + link(1, 5, 1, 2, "198.18.0.9")[:10]),
        lsa(0x2002, struct.pack(">I", 0x13) + ip4("198.18.0.1") + ip4("198.18.0.2") + ip4("198.18.0.3"), lsid="0.0.0.5"),
        lsa(0x2002, struct.pack(">I", 0x13) + b"\x01\x02"),
        lsa(0x2003, struct.pack(">I", 0xff000064) + pfx(64, "2001:db8:1::") + pfx(0, "::") + pfx(128, "2001:db8::1", opt=0x3f)
            + pfx(48, "2001:db8:2::", opt=0x02), lsid="0.0.0.1"),
        lsa(0x2003, struct.pack(">I", 7) + pfx(200)),
        lsa(0x2003, struct.pack(">I", 7) + pfx(64)[:6]),
        lsa(0x2004, struct.pack(">II", 0x13, 99) + ip4("198.18.0.7"), lsid="0.0.0.2"),
        lsa(0x4005, struct.pack(">I", 0x8000000a) + pfx(64, "2001:db8:3::"), lsid="0.0.0.3"),
        lsa(0x4005, struct.pack(">I", 0x03000014) + pfx(56, "2001:db8:4::") + ip6("2001:db8::99") + ip4("0.0.0.7")),
        lsa(0x4005, struct.pack(">I", 0x01000014) + struct.pack(">BBH", 32, 0, 0x2001) + ip6("2001:db8::")[:4]
            + ip4("0.0.0.7") + ip4("0.0.0.8")),
        lsa(0x4005, struct.pack(">I", 0x02000014) + pfx(32, "2001:db8::") + b"\x00" * 8),
        lsa(0x4005, struct.pack(">I", 0x01000014) + pfx(32, "2001:db8::")),
        lsa(0x4005, struct.pack(">I", 0x00000014) + struct.pack(">BBH", 32, 0, 0x2001) + ip6("2001:db8::")[:4]),
        lsa(0x4005, b"\x00\x00"),
        lsa(0x2007, struct.pack(">I", 0x14) + pfx(64)),
        lsa(0x0008, struct.pack(">I", (1 << 24) | 0x13) + ip6("fe80::1") + struct.pack(">I", 2)
            + pfx(64, "2001:db8:5::") + pfx(64, "2001:db8:6::", opt=0x08), lsid="0.0.0.5"),
        lsa(0x0008, struct.pack(">I", 0x13) + ip6("fe80::2") + struct.pack(">I", 0xffffffff) + pfx(64)),
        lsa(0x0008, struct.pack(">I", 0x13) + ip6("fe80::2")[:8]),
        lsa(0x2009, struct.pack(">HH", 2, 0x2001) + ip4("0.0.0.0") + ip4("198.18.0.1") + pfx(64, "2001:db8:7::")
            + pfx(128, "2001:db8:7::1", opt=0x02, metric=0)),
        lsa(0x2009, struct.pack(">HH", 3, 0x2002) + ip4("0.0.0.5") + ip4("198.18.0.1") + pfx(64)),
        lsa(0x2009, struct.pack(">HH", 1, 0x2002) + ip4("0.0.0.5")),
        lsa(0x000b, struct.pack(">HHI", 1, 4, 120) + struct.pack(">HHB3x", 2, 1, 1) + struct.pack(">HH", 3, 4)
            + ip4("198.18.0.1") + struct.pack(">HH", 9, 2) + b"ab\x00\x00"),
        lsa(0x000b, struct.pack(">HHB3x", 2, 1, 7) + struct.pack(">HH", 1, 3) + b"abc\x00"),
        lsa(0x000b, struct.pack(">HH", 1, 40) + bytes(4)),
        lsa(0x000b, struct.pack(">HH", 0, 4) + bytes(4)),
        lsa(0x000b, struct.pack(">HH", 1, 4) + bytes(4) + b"\x00\x01"),
        lsa(0x000b, struct.pack(">HH", 3, 2) + b"\x01\x02"),
        lsa(0x600c, b"\x00\x01\x00\x04\x00\x00\x00\x01"),
        lsa(0x8001, b"\x01\x02\x03\x04"),
        lsa(0xa00e, b""),
        lsa(0x4009, b"\x00\x00\x00\x00"),
        lsa(0x1fff, b"\xff" * 6),
    ]
    hdrs = [lsh(0x2001, adv="198.18.0.2", length=56), lsh(0x4005, "0.0.0.3", seq=0x80000010, age=3600, length=44),
            lsh(0x0008, "0.0.0.5", length=56), lsh(0xe00f, "1.2.3.4", length=12), lsh(0x2009, length=20)]
    lls = struct.pack(">HH", 0xfff6, 12) + struct.pack(">HHI", 1, 4, 1)
    at = struct.pack(">HHHHII", 1, 32, 0, 7, 0, 42) + bytes(range(16))
    msgs = [
        hdr(1, hello(nbrs=["198.18.0.2", "198.18.0.3"])),
        hdr(1, hello(opts=0, pri=0, dr="0.0.0.0", bdr="0.0.0.0"), area="0.0.0.0", inst=5),
        hdr(1, hello(dr="0.0.0.0")),
        hdr(1, hello(opts=0xffffff, pri=255, hi=65535, dead=0)),
        hdr(1, hello(opts=0x213, nbrs=["198.18.0.2"])) + lls,
        hdr(1, hello(opts=0x613, nbrs=["198.18.0.2"])) + lls + at,
        hdr(1, hello(opts=0x413)) + at,
        hdr(1, hello(opts=0x413)) + struct.pack(">HHHHII", 9, 16, 0, 1, 2, 3),
        hdr(1, hello(opts=0x413)) + struct.pack(">HHHHII", 1, 99, 0, 1, 2, 3),
        hdr(1, hello(opts=0x413)) + b"\x00\x01\x00",
        hdr(1, hello(opts=0x213)) + struct.pack(">HH", 1, 2),
        hdr(1, hello(opts=0x213)) + struct.pack(">HH", 1, 40) + bytes(4),
        hdr(1, hello(opts=0x213)) + b"\x00\x01",
        hdr(1, hello(opts=0x13)) + b"\x00\x01\x02",
        hdr(2, struct.pack(">IHBBI", 0x13, 1500, 0, 7, 0x1234) + b"".join(hdrs)),
        hdr(2, struct.pack(">IHBBI", 0x213, 9000, 0, 0x17, 1)) + lls,
        hdr(2, struct.pack(">IHBBI", 0, 0, 0, 0, 0)),
        hdr(2, struct.pack(">IHBBI", 0x13, 1500, 0, 2, 5) + hdrs[0] + hdrs[1][:12]),
        hdr(3, b"".join(struct.pack(">HH", 0, t) + ip4(i) + ip4("198.18.0.2")
                        for t, i in ((0x2001, "0.0.0.0"), (0x2002, "0.0.0.5"), (0x0008, "0.0.0.5"), (0xc00a, "9.9.9.9")))),
        hdr(3, struct.pack(">HH", 0, 0x2001) + ip4("0.0.0.0")),
        hdr(4, struct.pack(">I", 6) + b"".join(lsas[i] for i in (0, 4, 6, 10, 18, 21))),
        hdr(4, struct.pack(">I", 1) + lsas[0] + lsas[4]),
        hdr(4, struct.pack(">I", 0) + lsas[0]),
        hdr(4, struct.pack(">I", 0xffffffff) + lsas[4] + lsas[6]),
        hdr(4, struct.pack(">I", 2) + lsh(0x2001, length=8)),
        hdr(4, struct.pack(">I", 2) + lsh(0x2001, length=200) + bytes(8)),
        hdr(4, struct.pack(">I", 2) + lsh(0x2001)[:12]),
        hdr(5, b"".join(hdrs)),
    ] + [hdr(4, struct.pack(">I", 1) + x) for x in lsas] + [
        hdr(5, hdrs[0] + b"\x00\x01"),
        hdr(6, b"\x00" * 8), hdr(0, b""), hdr(1, hello(), ver=2), hdr(1, hello(), ver=4),
        hdr(1, hello(), length=200), hdr(1, hello(), length=20), hdr(4, struct.pack(">I", 1) + lsas[4], length=40),
    ]
    p = Pcap()
    rng = random.Random(89)
    mk = lambda m, src="fe80::1", dst="ff02::5": eth(IPv6(src=src, dst=dst, nh=89, hlim=1) / Raw(m))
    frames = [mk(m) for m in msgs]
    for f in frames:
        p.add(f)
    p.add(mk(msgs[0], "2001:db8::1", "2001:db8::2"))
    for short in (b"\x03", b"\x03\x01", b"\x03\x01\x00\x24" + rid, b""):
        p.add(mk(short))
    for i in (0, 5, 14, 18, 20):
        p.add_every_cut(frames[i], 54, 1)
    for f in frames:
        p.add_mutants(f, 54, len(bytes(f)), 3, rng)
    return p


def netbios_file():
    """NetBIOS name service (UDP 137) queries, registrations and answers,
    and datagram service (UDP 138) datagrams: Debian's tcpdump 4.99.3 has
    no SMB printers, so these are its plain UDP lines (and ours)."""
    def nbname(n):
        n = n.ljust(15)[:15] + "\x00"
        enc = "".join(chr(0x41 + (ord(c) >> 4)) + chr(0x41 + (ord(c) & 15)) for c in n)
        return bytes([32]) + enc.encode() + b"\x00"
    query = struct.pack(">HHHHHH", 0x1234, 0x0110, 1, 0, 0, 0) + nbname("WORKGROUP") + b"\x00\x20\x00\x01"
    reg = (struct.pack(">HHHHHH", 0x1235, 0x2910, 1, 0, 0, 1) + nbname("HOST1") + b"\x00\x20\x00\x01"
           + b"\xc0\x0c\x00\x20\x00\x01" + struct.pack(">IH", 300000, 6) + b"\x00\x00\xc6\x12\x00\x01")
    answer = (struct.pack(">HHHHHH", 0x1234, 0x8500, 0, 1, 0, 0) + nbname("WORKGROUP") + b"\x00\x20\x00\x01"
              + struct.pack(">IH", 300000, 6) + b"\x00\x00\xc6\x12\x00\x02")
    dgm = (bytes([0x11, 0x02]) + struct.pack(">H", 0x4321) + bytes([198, 18, 0, 1]) + struct.pack(">HHH", 138, 100, 0)
           + nbname("HOST1") + nbname("WORKGROUP") + b"\xffSMB" + bytes(40))
    p = simple_file(137, [query, reg, answer, b"\x00"], 137, cut_first=1, sport=137)
    for f in simple_file(138, [dgm, b"\x11"], 138, cut_first=1, sport=138).records:
        p.records.append(f)
    return p


FILES = {
    "dns": dns_file,
    "mdns": mdns_file,
    "dhcp": dhcp_file,
    "dhcp6": dhcp6_file,
    "ntp": ntp_file,
    "tunnel": tunnel_file,
    "syslog": syslog_file,
    "tftp": tftp_file,
    "hsrp": hsrp_file,
    "sip": sip_file,
    "bfd": bfd_file,
    "rip": rip_file,
    "ripng": ripng_file,
    "vrrp": vrrp_file,
    "bgp": bgp_file,
    "ospf": ospf_file,
    "pim": pim_file,
    "eigrp": eigrp_file,
    "isakmp": isakmp_file,
    "ospf6": ospf6_file,
    "snmp": snmp_file,
    "radius": radius_file,
    "netbios": netbios_file,
}


if __name__ == "__main__":
    # decode_corpus's main builds whatever its FILES table lists.
    decode_corpus.FILES = FILES
    decode_corpus.main()
