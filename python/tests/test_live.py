"""Live capture in test namespaces (privileged: root, `ip`).

Every test builds its own namespaces (conftest.Bed), sends traffic only
inside them (198.18.0.0/15 on a veth pair whose ends both live in them, or
their loopback), and bounds every loop by count and time.
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

import pytest

import rawcap
from conftest import ROOT, require_privileges, require_tool


def wait_line(proc, want, timeout=20):
    """Reads proc's stdout until a line equal to `want`; fails on exit or timeout."""
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.strip() == want:
            return lines
    proc.kill()
    out, err = proc.communicate(timeout=5)
    pytest.fail(f"no {want!r} from the helper: {''.join(lines)}{out}\n{err}")


def finish(proc, timeout=30):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the helper did not finish: {out}\n{err}")
    assert proc.returncode == 0, f"exit {proc.returncode}: {out}\n{err}"
    return out


def is_tcp_port_80(frame):
    """IPv4 TCP with source or destination port 80, parsed by hand (no rawcap)."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return False
    if struct.unpack("!H", frame[20:22])[0] & 0x1FFF:
        return False
    ihl = (frame[14] & 0x0F) * 4
    sport, dport = struct.unpack("!HH", frame[14 + ihl:14 + ihl + 4])
    return 80 in (sport, dport)


SERVERS = """
    import sys, rawcap
    host = sys.argv[1]
    web = rawcap.serve(host, 80, http=True, count=2, timeout=15)
    echo = rawcap.serve(host, 12345, count=1, timeout=15)
    print("ready", flush=True)
    print(web.join(), echo.join(), flush=True)
"""

CAPTURE_AND_TALK = """
    import sys, socket, threading, time, rawcap
    peer, out_all, out_80 = sys.argv[1:4]
    caps = {"all": rawcap.capture("va", duration=10),
            "80": rawcap.capture("va", "tcp port 80", duration=10)}
    got = {k: [] for k in caps}
    def drain(k):
        for p in caps[k]:
            got[k].append(p)
    threads = [threading.Thread(target=drain, args=(k,)) for k in caps]
    for t in threads:
        t.start()
    get = b"GET /one HTTP/1.1\\r\\nHost: peer\\r\\nConnection: close\\r\\n\\r\\n"
    assert rawcap.exchange(peer, 80, get, half_close=False).startswith(b"HTTP/1.1 200")
    assert rawcap.exchange(peer, 12345, "Hello, server!") == b"Hello, server!"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.sendto(b"not web traffic", (peer, 40000))
    assert rawcap.exchange(peer, 80, get.replace(b"one", b"two"), half_close=False)
    time.sleep(0.5)
    for c in caps.values():
        c.stop()
    for t in threads:
        t.join(timeout=10)
    for k, path in (("all", out_all), ("80", out_80)):
        with rawcap.write(path) as w:
            for p in got[k]:
                w.write(p)
        s = caps[k].stats()
        print(k, s.received, s.dropped, s.delivered, caps[k].closed, flush=True)
    print(sorted({p.direction for p in got["80"]}), got["80"][0].ifindex == socket.if_nametoindex("va"))
"""


def test_live_capture_sees_exactly_the_port_80_frames(bed, tmp_path):
    require_tool("tcpdump")
    servers = bed.python(bed.b, SERVERS, bed.addr_b)
    try:
        wait_line(servers, "ready")
        all_path, web_path = tmp_path / "all.pcap", tmp_path / "80.pcap"
        out = finish(bed.python(bed.a, CAPTURE_AND_TALK, bed.addr_b, all_path, web_path))
        assert finish(servers).strip().endswith("2 1")
    finally:
        servers.kill()
        servers.wait()
    everything = list(rawcap.read(all_path))
    web = list(rawcap.read(web_path))
    expected = [p for p in everything if is_tcp_port_80(p.data)]
    # Two HTTP exchanges (handshake, request, reply, closing) and other traffic around them.
    assert len(expected) >= 12 and len(everything) > len(expected) + 8
    assert [(p.data, p.length) for p in web] == [(p.data, p.length) for p in expected]
    # tcpdump's filter over the unfiltered capture picks the same frames.
    subprocess.run(["tcpdump", "-r", str(all_path), "-w", str(tmp_path / "t.pcap"), "tcp port 80"],
                   check=True, capture_output=True, timeout=60)
    assert [p.data for p in rawcap.read(tmp_path / "t.pcap")] == [p.data for p in web]
    lines = dict((l.split()[0], l.split()[1:]) for l in out.splitlines()[:2])
    for k, n in (("all", len(everything)), ("80", len(web))):
        received, dropped, delivered, closed = lines[k]
        assert (int(delivered), int(dropped), closed) == (n, 0, "True")
        assert int(received) >= n
    assert out.splitlines()[2] == "['in', 'out'] True"
    # The text of real TCP flows (relative sequence numbers) is tcpdump's.
    want = subprocess.run(["tcpdump", "-nr", str(all_path)], capture_output=True, text=True,
                          timeout=60).stdout
    pr = rawcap.Printer(numeric=True)
    assert "".join(pr.format(p) + "\n" for p in everything) == want


def test_seed_example_runs_end_to_end(netns):
    seed = os.path.join(ROOT, "examples", "seed.py")
    out = finish(subprocess.Popen(["ip", "netns", "exec", netns.a, sys.executable, seed],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    lines = out.splitlines()
    assert lines[0] == "Received: Hello, server!"
    found = [l for l in lines if l.startswith("HTTP packet found! ")]
    assert len(found) == 2, out
    assert found[0].startswith("HTTP packet found! 127.0.0.1:") and found[0].endswith(
        " -> 127.0.0.1:80  GET / HTTP/1.1")
    assert found[1].startswith("HTTP packet found! 127.0.0.1:80 -> 127.0.0.1:") and found[1].endswith(
        "  HTTP/1.1 200 OK")
    assert ", 2 carrying HTTP;" in lines[-1] and "0 dropped by kernel" in lines[-1]


INTERRUPTED = """
    import socket, threading, time, rawcap
    def send():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for i in range(25):
                s.sendto(b"x%d" % i, ("127.0.0.1", 9))
                time.sleep(0.01)
    cap = rawcap.capture("lo", "udp port 9", duration=30)
    n = 0
    try:
        t = threading.Thread(target=send)
        t.start()
        for p in cap:
            n += 1
            if n == 25:
                print("ready", flush=True)
    except KeyboardInterrupt:
        s = cap.stats()
        cap.close()
        print("interrupted", n, s.delivered, s.received, s.dropped, cap.closed, flush=True)
"""


def test_sigint_stops_a_capture_with_stats(netns):
    proc = netns.python(netns.a, INTERRUPTED)
    try:
        wait_line(proc, "ready")
        time.sleep(0.3)  # the capture now waits for packets that do not come
        t = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out = finish(proc, timeout=10)
        assert time.monotonic() - t < 2
    finally:
        proc.kill()
        proc.wait()
    word, n, delivered, received, dropped, closed = out.splitlines()[-1].split()
    assert (word, n, delivered, dropped, closed) == ("interrupted", "25", "25", "0", "True")
    # On lo the kernel may count the outgoing copy the capture skips, as libpcap's does.
    assert received in ("25", "50")


GIL = """
    import threading, time, rawcap
    ticks = 0
    stop = False
    def tick():
        global ticks
        while not stop:
            ticks += 1
    cap = rawcap.capture("lo", "udp port 9", duration=1.0)
    t = threading.Thread(target=tick)
    t.start()
    start = time.monotonic()
    n = sum(1 for _ in cap)
    waited = time.monotonic() - start
    stop = True
    t.join()
    print(n, round(waited, 1), ticks)
"""


def test_capture_releases_the_gil_while_waiting(netns):
    """While a capture waits on an idle interface a Python thread runs freely
    (tens of millions of ticks where a held GIL would allow a few thousand)."""
    out = finish(netns.python(netns.a, GIL)).split()
    n, waited, ticks = int(out[0]), float(out[1]), int(out[2])
    assert n == 0 and 0.9 <= waited <= 3
    assert ticks > 500_000, ticks


COUNT = """
    import socket, rawcap
    cap = rawcap.capture("lo", "udp port 9", count=3, snaplen=50, promisc=False)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(10):
            s.sendto(bytes(100), ("127.0.0.1", 9))
    got = list(cap)
    print(len(got), {(p.caplen, p.length) for p in got}, cap.closed, cap.snaplen, cap.linktype)
    try:
        rawcap.capture("no-such-if0")
    except rawcap.CaptureError as e:
        print("CaptureError", e)
    try:
        rawcap.capture("lo", "tcp port")
    except rawcap.FilterError as e:
        print("FilterError")
    with rawcap.capture("lo", rawcap.compile("udp port 9", snaplen=64)) as cap:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(bytes(100), ("127.0.0.1", 9))
        print(next(iter(cap)).caplen)
    # An AF_PACKET socket of our own with a compiled filter attached.
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    rawcap.compile("udp port 7").attach(raw)
    raw.bind(("lo", 0))
    raw.settimeout(0.5)
    for port in (9, 7, 9):
        s.sendto(b"to %d" % port, ("127.0.0.1", port))
    frames = []
    try:
        while True:
            frames.append(raw.recv(2000))
    except socket.timeout:
        pass
    print(sorted({f[-4:] for f in frames}))
"""


def test_count_snaplen_program_filters_and_errors(netns):
    lines = finish(netns.python(netns.a, COUNT)).splitlines()
    assert lines[0] == "3 {(50, 142)} True 50 EN10MB"
    assert lines[1].startswith("CaptureError no-such-if0: no such interface")
    assert lines[2] == "FilterError"
    assert lines[3] == "64"
    assert lines[4] == "[b'to 7']"


def test_capture_without_privileges_raises_permission_error():
    require_privileges("test_capture_without_privileges_raises_permission_error")
    require_tool("setpriv")
    code = ("import rawcap\n"
            "try:\n    rawcap.capture('lo')\n"
            "except PermissionError as e:\n    print('PermissionError', e)\n")
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--inh-caps=-all", "--bounding-set=-all", sys.executable, "-c", code],
                       capture_output=True, text=True, timeout=30, cwd="/")
    assert r.stdout.startswith("PermissionError socket(AF_PACKET): you need CAP_NET_RAW"), \
        r.stdout + r.stderr
