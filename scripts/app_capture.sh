#!/usr/bin/env bash
# Real application exchanges for the decode corpus (issue 16), captured
# between two network namespaces this script creates and removes:
#
#   real-dhcp.pcap  busybox udhcpc against dnsmasq's DHCP server
#                   (DISCOVER/OFFER/REQUEST/ACK, then RELEASE)
#   real-dns.pcap   dig against dnsmasq's DNS (A, AAAA, MX, TXT, SRV, PTR,
#                   CNAME, ANY, NXDOMAIN, EDNS with DO/NSID/cookie, over TCP)
#   real-ntp.pcap   sntp (ntpsec's ntpdig) and ntpq against ntpd
#
#   scripts/app_capture.sh OUTDIR     # root; prints the names it wrote
#
# Needs: ip, tcpdump, dnsmasq (dnsmasq-base), busybox, dig, ntpd (ntpsec),
# sntp, ntpq. Traffic stays on a veth pair whose both ends live in the two
# namespaces (addresses from 198.18.16.0/24 and 2001:db8:16::/64); every
# program is bounded by `timeout`, and the namespaces go on every exit path.
# Called by scripts/gen-decode-fixtures.sh --capture, which then runs tcpdump
# over the files for the expected text.
set -euo pipefail
OUT=${1:?usage: app_capture.sh OUTDIR}
OUT=$(cd "$OUT" && pwd)
SRV=rawcap-app-srv-$$
CLI=rawcap-app-cli-$$
TMP=$(mktemp -d)
pids=()

cleanup() {
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    ip netns del "$SRV" 2>/dev/null || true
    ip netns del "$CLI" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$SRV"
ip netns add "$CLI"
ip link add vs netns "$SRV" type veth peer name vc netns "$CLI"
ip -n "$SRV" link set lo up
ip -n "$CLI" link set lo up
ip -n "$SRV" link set vs address 02:00:00:00:16:01
ip -n "$CLI" link set vc address 02:00:00:00:16:02
ip -n "$SRV" addr add 198.18.16.1/24 dev vs
ip -n "$SRV" addr add 2001:db8:16::1/64 dev vs nodad
ip -n "$SRV" link set vs up
ip -n "$CLI" link set vc up
in_srv() { ip netns exec "$SRV" "$@"; }
in_cli() { ip netns exec "$CLI" "$@"; }

# One capture on the server's end for everything, split by port afterwards.
in_srv timeout 120 tcpdump -i vs -U -s 0 -w "$TMP/all.pcap" 2>/dev/null &
pids+=($!)
sleep 1

# DNS and DHCP: dnsmasq with a few local records.
in_srv timeout 60 dnsmasq --no-daemon --conf-file=/dev/null --interface=vs \
    --bind-interfaces --no-resolv --no-hosts --log-facility=/dev/null \
    --dhcp-leasefile="$TMP/leases" --pid-file="$TMP/dnsmasq.pid" \
    --dhcp-range=198.18.16.100,198.18.16.150,255.255.255.0,1h \
    --dhcp-option=option:router,198.18.16.1 --dhcp-option=option:ntp-server,198.18.16.1 \
    --domain=example.test --local=/example.test/ --local=/invalid/ \
    --address=/example.test/198.18.16.9 \
    --host-record=host.example.test,198.18.16.10,2001:db8:16::10 \
    --mx-host=example.test,mail.example.test,10 \
    --srv-host=_sip._udp.example.test,sip.example.test,5060,10,20 \
    --txt-record=example.test,"v=spf1 -all","second string" \
    --cname=www.example.test,host.example.test \
    --ptr-record=10.16.18.198.in-addr.arpa,host.example.test 2>/dev/null &
pids+=($!)
sleep 1

in_cli timeout 20 busybox udhcpc -i vc -n -q -f -s /bin/true -t 3 -T 2 \
    -x hostname:rawcap-client -V rawcap-test -O ntpsrv -O domain >/dev/null 2>&1 || true
in_cli ip addr add 198.18.16.2/24 dev vc
in_cli ip addr add 2001:db8:16::2/64 dev vc nodad
sleep 1
in_cli timeout 20 busybox udhcpc -i vc -n -q -f -s /bin/true -t 2 -T 1 -R \
    -r 198.18.16.2 >/dev/null 2>&1 || true

q() { in_cli timeout 5 dig +tries=1 +time=2 @198.18.16.1 "$@" >/dev/null 2>&1 || true; }
q example.test A
q host.example.test AAAA
q example.test MX
q example.test TXT
q _sip._udp.example.test SRV
q www.example.test A
q -x 198.18.16.10
q nothing.invalid A +norec
q example.test ANY +nocookie
q host.example.test A +dnssec +nsid
q host.example.test A +noedns
q host.example.test A +tcp
in_cli timeout 5 dig +tries=1 +time=2 @2001:db8:16::1 host.example.test AAAA >/dev/null 2>&1 || true

# NTP: ntpd serving its own (unsynchronized) clock; sntp queries, ntpq reads
# the peer list and variables with control (mode 6) messages.
cat >"$TMP/ntp.conf" <<CONF
driftfile $TMP/ntp.drift
restrict default
restrict -6 default
CONF
in_srv timeout 60 ntpd -n -g -c "$TMP/ntp.conf" -p "$TMP/ntpd.pid" >/dev/null 2>&1 &
pids+=($!)
sleep 2
in_cli timeout 10 sntp -t 2 198.18.16.1 >/dev/null 2>&1 || true
in_cli timeout 10 ntpq -n -c rv -c peers 198.18.16.1 >/dev/null 2>&1 || true
sleep 1

for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
done
wait 2>/dev/null || true
pids=()

tcpdump -r "$TMP/all.pcap" -w "$OUT/real-dhcp.pcap" 'udp port 67 or udp port 68' 2>/dev/null
tcpdump -r "$TMP/all.pcap" -w "$OUT/real-dns.pcap" 'port 53' 2>/dev/null
tcpdump -r "$TMP/all.pcap" -w "$OUT/real-ntp.pcap" 'udp port 123' 2>/dev/null
echo real-dhcp real-dns real-ntp
