#!/usr/bin/env bash
# Real traffic for the decode corpus: two network namespaces joined by a
# veth pair (198.18.0.1/24 and 198.18.0.2/24, 2001:db8::1/64 and
# 2001:db8::2/64), programs talking over it, and tcpdump capturing on one
# end into OUTDIR/real-traffic.pcap. Needs root.
#
#   scripts/decode_capture.sh OUTDIR
#
# The traffic: ARP, ping and ping6 (echo, neighbor discovery, MLD reports),
# fragmented pings, a TCP connection with data and a close, a TCP reset from
# a closed port, UDP to an open and a closed port (ICMP and ICMPv6 port
# unreachable), IPv4 and IPv6 multicast joins (IGMP, MLD). Every loop is
# bounded; both namespaces (and so the veth pair) are removed on every exit.
# Network safety (HELPERS.md): only these namespaces, only 198.18.0.0/15 and
# 2001:db8::/32.
set -euo pipefail
OUT=${1:?usage: decode_capture.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
A=rawcap-decode-a-$$
B=rawcap-decode-b-$$
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ip netns add "$A"
ip netns add "$B"
ip link add veth-a netns "$A" type veth peer name veth-b netns "$B"
for ns in "$A:1" "$B:2"; do
    n=${ns%%:*} i=${ns##*:}
    dev=veth-${n: -1}
    [ "$n" = "$A" ] && dev=veth-a || dev=veth-b
    ip -n "$n" link set lo up
    ip -n "$n" addr add "198.18.0.$i/24" dev "$dev"
    ip -n "$n" addr add "2001:db8::$i/64" dev "$dev" nodad
    ip -n "$n" link set "$dev" up
done

PCAP=$OUT/real-traffic.pcap
ip netns exec "$B" tcpdump -i veth-b -w "$PCAP.tmp" -U -s 0 2>/dev/null &
PIDS+=($!)
sleep 1

in_a() { ip netns exec "$A" "$@"; }
in_b() { ip netns exec "$B" "$@"; }

# ARP, echo, neighbor discovery.
in_a ping -c 2 -i 0.2 -W 1 198.18.0.2 >/dev/null || true
in_a ping -6 -c 2 -i 0.2 -W 1 2001:db8::2 >/dev/null || true
# Fragments.
in_a ping -c 1 -s 3000 -W 1 198.18.0.2 >/dev/null || true
in_a ping -6 -c 1 -s 3000 -W 1 2001:db8::2 >/dev/null || true
# TCP: a listener in B answering one connection per address family, a
# connection from A with data, and a connect to a closed port (reset).
in_b timeout 5 python3 - <<'PY' &
import socket, threading
def serve(fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 5001)); s.listen(1); s.settimeout(4)
    try:
        c, _ = s.accept()
        c.sendall(c.recv(100).upper())
        c.close()
    except OSError:
        pass
ts = [threading.Thread(target=serve, args=a) for a in ((socket.AF_INET, "198.18.0.2"), (socket.AF_INET6, "2001:db8::2"))]
[t.start() for t in ts]; [t.join() for t in ts]
PY
PIDS+=($!)
sleep 0.5
in_a timeout 5 python3 - <<'PY' || true
import socket, time
for fam, addr in ((socket.AF_INET, "198.18.0.2"), (socket.AF_INET6, "2001:db8::2")):
    c = socket.socket(fam, socket.SOCK_STREAM); c.settimeout(2)
    c.connect((addr, 5001)); c.sendall(b"hello rawcap\n"); c.recv(100); c.close()
    r = socket.socket(fam, socket.SOCK_STREAM); r.settimeout(1)
    try:
        r.connect((addr, 5999))
    except OSError:
        pass
    r.close()
    # UDP to a closed port: ICMP / ICMPv6 port unreachable.
    u = socket.socket(fam, socket.SOCK_DGRAM); u.sendto(b"anyone?", (addr, 5998)); u.close()
    time.sleep(0.2)
PY
# Multicast joins: IGMP and MLD reports (and leaves when the sockets close).
in_a timeout 3 python3 - <<'PY' || true
import socket, struct, time
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("239.1.2.3") + socket.inet_aton("198.18.0.1"))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
idx = socket.if_nametoindex("veth-a")
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff05::1:3") + struct.pack("@I", idx))
time.sleep(1)
s4.close(); s6.close()
time.sleep(0.5)
PY
sleep 1
kill "${PIDS[0]}" 2>/dev/null || true
wait "${PIDS[0]}" 2>/dev/null || true
mv "$PCAP.tmp" "$PCAP"
echo "$PCAP: $(tcpdump -r "$PCAP" 2>/dev/null | wc -l) packets"
