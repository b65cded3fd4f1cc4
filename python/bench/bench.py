"""Speed of the rawcap Python package against scapy, dpkt and pcapy on the
same file and the same traffic (scripts/bench-python.sh drives it).

    python bench.py gen FILE N             write the bench pcap (N frames)
    python bench.py offline FILE ROUNDS    time every reader over FILE
    python bench.py live TOOL IFACE SECS   receive `tcp port 80` on IFACE until
                                           idle (or SECS), print the figures

Offline, every tool reads the whole file and keeps the `tcp port 80` packets;
the figure is file records per second of wall time (best of ROUNDS; a reader
slower than 10 s per pass runs once), so a
tool that filters in C and one that parses every packet in Python are timed
on the same work: from file to the packets the user wanted. Live, every tool
receives `tcp port 80` from the same flood (the kernel filters for all of
them); the figure is packets handed to Python per second between the first
and the last packet, with the kernel's drops.
"""

import struct
import sys
import time

EXPR = "tcp port 80"


# ---------------------------------------------------------------- the file

def frames():
    """A fixed cycle of 16 frames: 4 are TCP port 80 (IPv4 both ways, IPv6,
    one with payload), the rest TCP 443/22, UDP 53/5001, ICMP, ARP."""
    mac_a, mac_b = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")

    def csum(b):
        if len(b) % 2:
            b += b"\0"
        s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        return ~s & 0xFFFF

    def ipv4(proto, payload, src=b"\xc6\x12\x00\x01", dst=b"\xc6\x12\x00\x02"):
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, 0x4000, 64, proto,
                        0, src, dst)
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
        return mac_b + mac_a + b"\x08\x00" + h + payload

    def ipv6(proto, payload):
        h = struct.pack("!IHBB16s16s", 0x60000000, len(payload), proto, 64,
                        bytes.fromhex("20010db8000000000000000000000001"),
                        bytes.fromhex("20010db8000000000000000000000002"))
        return mac_b + mac_a + b"\x86\xdd" + h + payload

    def tcp(sport, dport, flags=0x10, data=b""):
        return struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, 0x50, flags, 65535, 0, 0) + data

    def udp(sport, dport, data):
        return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data

    get = b"GET /index.html HTTP/1.1\r\nHost: bench\r\n\r\n"
    out = [
        ipv4(6, tcp(40000, 80, 0x18, get)),
        ipv4(6, tcp(80, 40000, 0x18, b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 1200)),
        ipv6(6, tcp(40001, 80, 0x02)),
        ipv4(6, tcp(40002, 80, 0x10)),
        ipv4(6, tcp(40003, 443, 0x18, b"\x17\x03\x03" + b"y" * 500)),
        ipv4(6, tcp(40004, 22, 0x18, b"z" * 48)),
        ipv4(6, tcp(443, 40005, 0x10)),
        ipv6(6, tcp(40006, 443, 0x10)),
        ipv4(17, udp(40007, 53, b"\x12\x34\x01\x00\x00\x01" + b"\0" * 6 + b"\x07example\x03com\x00\x00\x01\x00\x01")),
        ipv4(17, udp(40008, 5001, b"u" * 100)),
        ipv6(17, udp(40009, 5001, b"v" * 64)),
        ipv4(17, udp(53, 40010, b"\x12\x34\x81\x80" + b"\0" * 8)),
        ipv4(1, b"\x08\x00\xf7\xff\x00\x01\x00\x01" + b"p" * 56),
        mac_b + mac_a + b"\x08\x06" + bytes.fromhex("0001080006040001") + mac_a
        + b"\xc6\x12\x00\x01" + bytes(6) + b"\xc6\x12\x00\x02" + bytes(18),
        ipv4(6, tcp(40011, 8080, 0x18, b"w" * 300)),
        ipv4(17, udp(40012, 123, b"\x23" + b"\0" * 47)),
    ]
    return [f + bytes(max(0, 60 - len(f))) for f in out]


def gen(path, n):
    import rawcap
    cycle = frames()
    t0 = 1_700_000_000 * 10**9
    with rawcap.write(path) as w:
        for i in range(n):
            w.write(cycle[i % len(cycle)], ts_ns=t0 + i * 1000)
    print(f"{path}: {n} frames, {n * 4 // len(cycle)} match '{EXPR}'")


# ---------------------------------------------------------------- offline

def is_port80(sport, dport):
    return sport == 80 or dport == 80


def run_rawcap(path):
    import rawcap
    n = sum(1 for _ in rawcap.read(path, EXPR))
    return n


def run_rawcap_all(path):
    """Every record to Python, filtered there by the JSON-free decode of ports."""
    import rawcap
    prog = rawcap.compile(EXPR, target="userspace")
    return sum(1 for p in rawcap.read(path) if prog.matches(p))


def run_scapy_rdpcap(path):
    from scapy.all import TCP, rdpcap
    return sum(1 for p in rdpcap(path) if TCP in p and is_port80(p[TCP].sport, p[TCP].dport))


def run_scapy_sniff(path):
    from scapy.all import sniff
    return len(sniff(offline=path, filter=EXPR, store=True))


def run_dpkt(path):
    import dpkt
    n = 0
    with open(path, "rb") as f:
        for _, buf in dpkt.pcap.Reader(f):
            eth = dpkt.ethernet.Ethernet(buf)
            ip = eth.data
            if isinstance(ip, (dpkt.ip.IP, dpkt.ip6.IP6)) and isinstance(ip.data, dpkt.tcp.TCP):
                n += is_port80(ip.data.sport, ip.data.dport)
    return n


def run_pcapy_dpkt(path):
    """The seed's stack: libpcap filters (through pcapy), dpkt parses what passes."""
    try:
        import pcapy
    except ImportError:
        import pcapy_ng as pcapy  # noqa: F401 (pcapy-ng's module name)
    import dpkt
    r = pcapy.open_offline(path)
    r.setfilter(EXPR)
    n = 0
    while True:
        hdr, buf = r.next()
        if hdr is None:
            break
        eth = dpkt.ethernet.Ethernet(buf)
        n += isinstance(eth.data.data, dpkt.tcp.TCP)
    return n


OFFLINE = [
    ("rawcap.read(path, 'tcp port 80')", run_rawcap, None),
    ("rawcap.read(path) + Program.matches", run_rawcap_all, None),
    ("scapy rdpcap + TCP port test", run_scapy_rdpcap, "scapy"),
    ("scapy sniff(offline=, filter=)", run_scapy_sniff, "scapy"),
    ("dpkt pcap.Reader + Ethernet parse", run_dpkt, "dpkt"),
    ("pcapy setfilter + dpkt parse", run_pcapy_dpkt, "pcapy"),
]


def available(module):
    if module is None:
        return True
    names = {"pcapy": ["pcapy", "pcapy_ng"]}.get(module, [module])
    for name in names:
        try:
            __import__(name)
            return True
        except ImportError:
            pass
    return False


def offline(path, rounds):
    import rawcap
    records = rawcap.read(path)
    total = sum(1 for _ in records)
    print(f"file: {path}, {total} records; filter '{EXPR}'; best of {rounds} rounds, same run")
    print()
    print("| reader | matched | records/s | rawcap.read's speed / this |")
    print("|---|---:|---:|---:|")
    results = []
    for name, fn, module in OFFLINE:
        if not available(module):
            results.append((name, None, None))
            continue
        best = None
        for _ in range(rounds):
            t = time.perf_counter()
            n = fn(path)
            dt = time.perf_counter() - t
            best = dt if best is None else min(best, dt)
            if dt > 10:  # slow readers run once
                break
        results.append((name, n, total / best))
    base = results[0][2]
    for name, n, pps in results:
        if pps is None:
            print(f"| {name} | not installable here | | |")
        else:
            print(f"| {name} | {n} | {pps:,.0f} | {base / pps:.1f}x |")


# ---------------------------------------------------------------- live

def live(tool, iface, secs):
    """Receives `tcp port 80` on iface; prints 'ready', then after the
    flood: tool, packets, first-to-last seconds, drops (or '?')."""
    secs = float(secs)
    first = last = None
    n = 0
    drops = "?"
    if tool == "rawcap":
        import rawcap
        cap = rawcap.capture(iface, EXPR, duration=secs, read_timeout=0.05)
        print("ready", flush=True)
        for _ in cap:
            now = time.monotonic()
            if first is None:
                first = now
            last = now
            n += 1
        s = cap.stats()
        drops = s.dropped
    elif tool == "scapy":
        from scapy.all import conf, sniff

        def count(_):
            nonlocal n, first, last
            now = time.monotonic()
            if first is None:
                first = now
            last = now
            n += 1
        sock = conf.L2listen(iface=iface, filter=EXPR)
        print("ready", flush=True)
        sniff(opened_socket=sock, prn=count, store=False, timeout=secs)
        sock.close()
    elif tool == "pcapy":
        try:
            import pcapy
        except ImportError:
            import pcapy_ng as pcapy
        r = pcapy.open_live(iface, 262144, 1, 100)
        r.setfilter(EXPR)
        # Non-blocking dispatch: next() waits for ever on an idle link.
        r.setnonblock(1)

        def count(_hdr, _data):
            nonlocal n, first, last
            now = time.monotonic()
            if first is None:
                first = now
            last = now
            n += 1
        print("ready", flush=True)
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if r.dispatch(-1, count) == 0:
                time.sleep(0.001)
        drops = r.stats()[1]
    else:
        raise SystemExit(f"unknown tool {tool}")
    span = (last - first) if n > 1 else 0.0
    print(f"{tool} {n} {span:.6f} {drops}", flush=True)


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    elif cmd == "offline":
        offline(sys.argv[2], int(sys.argv[3]))
    elif cmd == "live":
        live(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "available":
        print(" ".join(m for m in ("scapy", "dpkt", "pcapy") if available(m)))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
