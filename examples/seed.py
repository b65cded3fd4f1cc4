#!/usr/bin/env python3
"""The program rawcap grew from, rewritten on the rawcap Python package.

The seed was a socket client sending "Hello, server!" to port 12345 and a
pcapy capture of `tcp port 80` whose frames dpkt parsed, printing
"HTTP packet found!" with both addresses. Here the same, with no libpcap and
no dpkt:

1. the echo exchange: `rawcap serve` (rawcap.serve, in a thread) on
   127.0.0.1:12345 and rawcap.exchange() sending it "Hello, server!";
2. a capture of `tcp port 80` on the loopback interface (an AF_PACKET socket
   with the filter attached in the kernel, read from a TPACKET_V3 ring) while
   urllib fetches a page from a local HTTP server (rawcap.serve(http=True)
   on port 80); each captured packet that carries HTTP is reported.

Run it as root (or with CAP_NET_RAW on the interpreter, and something free
on port 80), e.g. in a scratch namespace:

    sudo ip netns add seed && sudo ip -n seed link set lo up
    sudo ip netns exec seed python3 examples/seed.py
    sudo ip netns del seed
"""

import argparse
import sys
import threading
import time
import urllib.request

import rawcap


def echo_exchange(port):
    server = rawcap.serve("127.0.0.1", port, count=1, timeout=10)
    reply = rawcap.exchange("127.0.0.1", port, "Hello, server!", timeout=5)
    print(f"Received: {reply.decode(errors='replace')}")
    server.join()


def fetch_page(url, cap, done):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            print(f"Fetched {url}: {r.status} {r.reason}, {len(r.read())} bytes")
    finally:
        time.sleep(0.2)  # let the closing segments arrive, then end the capture
        done.set()
        cap.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-i", "--interface", default="lo")
    ap.add_argument("--echo-port", type=int, default=12345)
    ap.add_argument("--http-port", type=int, default=80)
    args = ap.parse_args()

    echo_exchange(args.echo_port)

    web = rawcap.serve("127.0.0.1", args.http_port, http=True, count=1, timeout=10)
    url = f"http://127.0.0.1:{args.http_port}/"
    done = threading.Event()
    found = 0
    # duration bounds the capture should the fetch never finish.
    with rawcap.capture(args.interface, f"tcp port {args.http_port}", duration=10) as cap:
        fetcher = threading.Thread(target=fetch_page, args=(url, cap, done))
        fetcher.start()
        for packet in cap:
            if packet.http is None:
                continue
            d = packet.decode()
            found += 1
            print(f"HTTP packet found! {d['src']}:{d['sport']} -> {d['dst']}:{d['dport']}"
                  f"  {packet.http}")
        fetcher.join()
        stats = cap.stats()
    web.join()
    print(f"{stats.delivered} packets captured, {found} carrying HTTP; "
          f"{stats.received} received by filter, {stats.dropped} dropped by kernel")
    return 0 if found and done.is_set() else 1


if __name__ == "__main__":
    sys.exit(main())
