"""rawcap: packet capture and tcpdump filters on Linux, without libpcap.

Filters (no privileges needed)::

    prog = rawcap.compile("tcp port 80")      # libpcap's program for EN10MB
    print(prog)                               # tcpdump -d; prog.dd(), prog.ddd()
    prog.matches(frame_bytes)                 # the kernel's verdict: bytes kept, 0 = dropped
    prog.attach(sock)                         # SO_ATTACH_FILTER on any socket

Live capture (root or CAP_NET_RAW; an AF_PACKET socket and a TPACKET_V3 ring,
the filter attached before anything is received, the GIL released while
waiting)::

    with rawcap.capture("eth0", "tcp port 80", count=10) as cap:
        for p in cap:
            print(p.summary())                # the line tcpdump prints
        print(cap.stats())                    # kernel counters

Files::

    for p in rawcap.read("trace.pcap", "udp"):   # pcap or pcapng
        print(p.decode()["src"])                 # rawcap's JSON fields as a dict
    with rawcap.write("out.pcap") as w:          # pcap, read by tcpdump/tshark
        w.write(p)

The seed program's client and its server::

    server = rawcap.serve(port=0, count=1)            # echo (http=True: a web page)
    rawcap.exchange("127.0.0.1", server.port, "Hello, server!")

Errors: FilterError (a ValueError; str() shows the expression with carets),
CaptureError (an OSError; PermissionError without CAP_NET_RAW),
SavefileError (a ValueError with the byte offset of the damage).
"""

from ._rawcap import (
    SNAPLEN,
    Capture,
    CaptureError,
    FilterError,
    Packet,
    Printer,
    Program,
    Reader,
    SavefileError,
    Server,
    Stats,
    Writer,
    __version__,
    capture,
    compile,
    exchange,
    read,
    serve,
    write,
)

__all__ = [
    "SNAPLEN",
    "Capture",
    "CaptureError",
    "FilterError",
    "Packet",
    "Printer",
    "Program",
    "Reader",
    "SavefileError",
    "Server",
    "Stats",
    "Writer",
    "__version__",
    "capture",
    "compile",
    "exchange",
    "read",
    "serve",
    "write",
]
