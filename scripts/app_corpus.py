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
    DNS, DNSQR, DNSRR, DNSRROPT, EDNS0TLV, IP, IPv6, TCP, UDP, Raw,
    DNSRRMX, DNSRRSRV, DNSRRSOA, DNSRRDNSKEY, DNSRRDS, DNSRRRSIG, DNSRRNSEC,
    conf,
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


FILES = {
    "dns": dns_file,
    "mdns": mdns_file,
}


if __name__ == "__main__":
    # decode_corpus's main builds whatever its FILES table lists.
    decode_corpus.FILES = FILES
    decode_corpus.main()
