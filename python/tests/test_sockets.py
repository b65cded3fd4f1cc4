"""Program.attach on ordinary sockets (no privileges), and the seed's TCP
exchange with rawcap.serve, on loopback."""

import socket
import threading
import time
import urllib.request

import pytest

import rawcap

# A UDP socket's filter sees the UDP header first: keep datagrams whose first
# payload byte is 'A', whole; cut those starting with 'C' to 8 + 4 bytes.
FIRST_BYTE_FILTER = rawcap.Program([
    (0x30, 0, 0, 8),           # ldb [8]: the first payload byte
    (0x15, 0, 1, ord("A")),    # jeq #'A'
    (0x06, 0, 0, 0x40000),     # ret #262144: keep it whole
    (0x15, 0, 1, ord("C")),    # jeq #'C'
    (0x06, 0, 0, 12),          # ret #12: the UDP header and 4 bytes
    (0x06, 0, 0, 0),           # ret #0: drop
])


def datagrams(rx, n):
    rx.settimeout(0.3)
    got = []
    try:
        for _ in range(n):
            got.append(rx.recv(100))
    except socket.timeout:
        pass
    return got


def test_attach_filters_datagrams_on_a_udp_socket():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
        rx.bind(("127.0.0.1", 0))
        FIRST_BYTE_FILTER.attach(rx)
        for msg in [b"B dropped", b"A kept", b"C cut short", b"B dropped too", b"A kept too"]:
            tx.sendto(msg, rx.getsockname())
        assert datagrams(rx, 5) == [b"A kept", b"C cu", b"A kept too"]

        # Replacing the filter: accept everything again (also by descriptor).
        rawcap.Program([(0x06, 0, 0, 0x40000)]).attach(rx.fileno())
        tx.sendto(b"B now kept", rx.getsockname())
        assert datagrams(rx, 1) == [b"B now kept"]


def test_attach_a_compiled_expression_to_a_unix_datagram_socket():
    """An AF_UNIX datagram's filter sees the datagram from byte 0: a program
    compiled for RAW (IPv4 from byte 0) runs on it as on an IP packet."""
    ip_udp_to_53 = bytes.fromhex("4500001c0000400040110000c6120001c6120002" "1234003500080000")
    ip_udp_to_54 = ip_udp_to_53[:22] + b"\x00\x36" + ip_udp_to_53[24:]
    prog = rawcap.compile("udp dst port 53", linktype="RAW")
    assert prog.matches(ip_udp_to_53) and not prog.matches(ip_udp_to_54)
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b:
        prog.attach(b)
        for d in [ip_udp_to_54, ip_udp_to_53]:
            a.send(d)
        assert datagrams(b, 2) == [ip_udp_to_53]


def test_attach_refuses_what_is_not_a_socket(tmp_path):
    with open(tmp_path / "f", "w") as f:
        with pytest.raises(OSError, match="SO_ATTACH_FILTER"):
            FIRST_BYTE_FILTER.attach(f)
    with pytest.raises(TypeError):
        FIRST_BYTE_FILTER.attach("eth0")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.close()
    with pytest.raises(ValueError, match="closed"):
        FIRST_BYTE_FILTER.attach(s)


def test_exchange_with_the_echo_server():
    server = rawcap.serve(port=0, count=2)
    host, port = server.address
    assert host == "127.0.0.1" and port > 0
    assert rawcap.exchange(host, port) == b"Hello, server!"
    assert rawcap.exchange(host, port, "héllo".encode() * 1000) == "héllo".encode() * 1000
    assert server.join(timeout=10) == 2


def test_http_server_answers_a_real_client():
    server = rawcap.serve(port=0, http=True, count=1)
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/page", timeout=5) as r:
        assert r.status == 200
        assert b"rawcap" in r.read()
    assert server.join(timeout=10) == 1
    assert server.requests == ["GET /page HTTP/1.1"]


def test_exchange_errors_are_python_connection_errors():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        # Bound, not listening: refused.
        with pytest.raises(ConnectionRefusedError):
            rawcap.exchange("127.0.0.1", port, "x")
        # Listening, never answering: a timeout after the given seconds.
        s.listen()
        t = time.monotonic()
        with pytest.raises(TimeoutError):
            rawcap.exchange("127.0.0.1", port, "x", timeout=0.3)
        assert time.monotonic() - t < 3
    with pytest.raises(OSError):
        rawcap.exchange("no-such-host.invalid", 80, "x", timeout=1)
    with pytest.raises(ValueError):
        rawcap.exchange("127.0.0.1", 80, "x", timeout=0)


def test_exchange_releases_the_gil():
    """A thread keeps running Python while exchange() waits on its peer."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        ticks = []
        stop = threading.Event()

        def tick():
            while not stop.is_set():
                ticks.append(1)
                time.sleep(0.01)

        t = threading.Thread(target=tick)
        t.start()
        try:
            with pytest.raises(TimeoutError):
                rawcap.exchange("127.0.0.1", s.getsockname()[1], "x", timeout=0.5)
        finally:
            stop.set()
            t.join()
        assert len(ticks) >= 10
