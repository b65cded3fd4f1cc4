//! A small varied set of Ethernet frames for the output tests (until the
//! shared packet corpus lands): a TCP conversation with options and HTTP,
//! UDP, ICMP, ARP, IPv6 with extension headers, VLAN/QinQ, IPv4 options and
//! fragments, and frames cut short by a snapshot length.
#![allow(dead_code)]

use etherparse::{ArpHardwareId, ArpOperation, ArpPacket, EtherType, PacketBuilder, VlanId};

/// One test frame: captured bytes and wire length.
pub struct Frame {
    pub data: Vec<u8>,
    pub wire_len: u32,
    pub label: &'static str,
}

const A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
const B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];
const IP_A: [u8; 4] = [198, 18, 0, 1];
const IP_B: [u8; 4] = [198, 18, 0, 2];
const IP6_A: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const IP6_B: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

fn whole(label: &'static str, data: Vec<u8>) -> Frame {
    let mut data = data;
    if data.len() < 60 {
        data.resize(60, 0);
    }
    Frame {
        wire_len: data.len() as u32,
        data,
        label,
    }
}

fn syn_opts(ts: u32, ecr: u32) -> Vec<u8> {
    let mut o = vec![2, 4, 0x05, 0xb4, 4, 2, 8, 10];
    o.extend_from_slice(&ts.to_be_bytes());
    o.extend_from_slice(&ecr.to_be_bytes());
    o.extend_from_slice(&[1, 3, 3, 7]);
    o
}

fn ts_opts(ts: u32, ecr: u32) -> Vec<u8> {
    let mut o = vec![1, 1, 8, 10];
    o.extend_from_slice(&ts.to_be_bytes());
    o.extend_from_slice(&ecr.to_be_bytes());
    o
}

/// A TCP conversation between `a`:`sport` and `b`:`dport`, with `req` as
/// the client's data and `resp` as the server's.
fn conversation(out: &mut Vec<Frame>, sport: u16, dport: u16, req: &[u8], resp: &[u8], v6: bool) {
    let (cs, ss) = (0x1000_0000u32 + u32::from(sport), 0xa000_0000u32);
    let tcp = |from_client: bool| {
        let (sm, dm) = if from_client { (A, B) } else { (B, A) };
        let b = PacketBuilder::ethernet2(sm, dm);
        let b = if v6 {
            let (s, d) = if from_client {
                (IP6_A, IP6_B)
            } else {
                (IP6_B, IP6_A)
            };
            b.ipv6(s, d, 64)
        } else {
            let (s, d) = if from_client {
                (IP_A, IP_B)
            } else {
                (IP_B, IP_A)
            };
            b.ipv4(s, d, 64)
        };
        let (sp, dp) = if from_client {
            (sport, dport)
        } else {
            (dport, sport)
        };
        (b, sp, dp)
    };
    let mut push = |label, v: Vec<u8>| out.push(whole(label, v));
    let (b, sp, dp) = tcp(true);
    let mut v = Vec::new();
    b.tcp(sp, dp, cs, 64240)
        .syn()
        .options_raw(&syn_opts(100, 0))
        .unwrap()
        .write(&mut v, &[])
        .unwrap();
    push("tcp syn", v);
    let (b, sp, dp) = tcp(false);
    let mut v = Vec::new();
    b.tcp(sp, dp, ss, 65160)
        .syn()
        .ack(cs + 1)
        .options_raw(&syn_opts(200, 100))
        .unwrap()
        .write(&mut v, &[])
        .unwrap();
    push("tcp syn-ack", v);
    let (b, sp, dp) = tcp(true);
    let mut v = Vec::new();
    b.tcp(sp, dp, cs + 1, 502)
        .ack(ss + 1)
        .options_raw(&ts_opts(101, 200))
        .unwrap()
        .write(&mut v, &[])
        .unwrap();
    push("tcp ack", v);
    let (b, sp, dp) = tcp(true);
    let mut v = Vec::new();
    b.tcp(sp, dp, cs + 1, 502)
        .ack(ss + 1)
        .psh()
        .options_raw(&ts_opts(102, 200))
        .unwrap()
        .write(&mut v, req)
        .unwrap();
    push("tcp data", v);
    let (b, sp, dp) = tcp(false);
    let mut v = Vec::new();
    b.tcp(sp, dp, ss + 1, 509)
        .ack(cs + 1 + req.len() as u32)
        .psh()
        .options_raw(&ts_opts(203, 102))
        .unwrap()
        .write(&mut v, resp)
        .unwrap();
    push("tcp data", v);
    let (b, sp, dp) = tcp(true);
    let mut v = Vec::new();
    b.tcp(sp, dp, cs + 1 + req.len() as u32, 501)
        .ack(ss + 1 + resp.len() as u32)
        .fin()
        .write(&mut v, &[])
        .unwrap();
    push("tcp fin", v);
    let (b, sp, dp) = tcp(false);
    let mut v = Vec::new();
    b.tcp(sp, dp, ss + 1 + resp.len() as u32, 0)
        .rst()
        .write(&mut v, &[])
        .unwrap();
    push("tcp rst", v);
}

fn ipv4_raw(proto: u8, id: u16, frag: u16, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let hl = 20 + options.len();
    let mut ip = vec![0x40 | (hl / 4) as u8, 0];
    ip.extend_from_slice(&((hl + payload.len()) as u16).to_be_bytes());
    ip.extend_from_slice(&id.to_be_bytes());
    ip.extend_from_slice(&frag.to_be_bytes());
    ip.extend_from_slice(&[64, proto, 0, 0]);
    ip.extend_from_slice(&IP_A);
    ip.extend_from_slice(&IP_B);
    ip.extend_from_slice(options);
    let ck = rawcap::decode::inet_checksum(&[&ip]);
    ip[10..12].copy_from_slice(&ck.to_be_bytes());
    ip.extend_from_slice(payload);
    ip
}

fn eth(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = B.to_vec();
    v.extend_from_slice(&A);
    v.extend_from_slice(&ethertype.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// The frames, in capture order.
pub fn frames() -> Vec<Frame> {
    let mut out = Vec::new();
    let get = b"GET /index.html HTTP/1.1\r\nHost: 198.18.0.2\r\nUser-Agent: rawcap\r\n\r\n";
    let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
    conversation(&mut out, 43210, 80, get, ok, false);
    conversation(
        &mut out,
        50000,
        22,
        b"SSH-2.0-rawcap\r\n",
        b"SSH-2.0-peer\r\n",
        false,
    );
    conversation(&mut out, 40000, 8443, b"hello there", b"general", true);
    // UDP on ports tcpdump does not decode further.
    for (sp, dp, n) in [(40001u16, 9999u16, 10usize), (9999, 40001, 300)] {
        let mut v = Vec::new();
        PacketBuilder::ethernet2(A, B)
            .ipv4(IP_A, IP_B, 64)
            .udp(sp, dp)
            .write(&mut v, &vec![0x41; n])
            .unwrap();
        out.push(whole("udp", v));
    }
    let mut v = Vec::new();
    PacketBuilder::ethernet2(A, B)
        .ipv6(IP6_A, IP6_B, 64)
        .udp(40002, 9999)
        .write(&mut v, b"abc")
        .unwrap();
    out.push(whole("udp6", v));
    // ICMP echo, request and reply; ICMPv6 echo.
    for req in [true, false] {
        let mut v = Vec::new();
        let b = PacketBuilder::ethernet2(A, B).ipv4(IP_A, IP_B, 64);
        let b = if req {
            b.icmpv4_echo_request(0x1234, 1)
        } else {
            b.icmpv4_echo_reply(0x1234, 1)
        };
        b.write(&mut v, &[0x55; 56]).unwrap();
        out.push(whole("icmp echo", v));
        let mut v = Vec::new();
        let b = PacketBuilder::ethernet2(A, B).ipv6(IP6_A, IP6_B, 64);
        let b = if req {
            b.icmpv6_echo_request(7, 3)
        } else {
            b.icmpv6_echo_reply(7, 3)
        };
        b.write(&mut v, &[0x66; 16]).unwrap();
        out.push(whole("icmp6 echo", v));
    }
    // ICMP port unreachable quoting a UDP datagram.
    let mut quoted = ipv4_raw(
        17,
        9,
        0,
        &[],
        &[0x9c, 0x41, 0x27, 0x0f, 0, 12, 0, 0, 1, 2, 3, 4],
    );
    quoted.truncate(28);
    let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
    icmp.extend_from_slice(&quoted);
    let ck = rawcap::decode::inet_checksum(&[&icmp]);
    icmp[2..4].copy_from_slice(&ck.to_be_bytes());
    out.push(whole(
        "icmp unreachable",
        eth(0x0800, &ipv4_raw(1, 10, 0, &[], &icmp)),
    ));
    // ARP request and reply.
    for (op, tha) in [(ArpOperation::REQUEST, [0u8; 6]), (ArpOperation::REPLY, A)] {
        let arp = ArpPacket::new(
            ArpHardwareId::ETHERNET,
            EtherType::IPV4,
            op,
            if op == ArpOperation::REQUEST { &A } else { &B },
            if op == ArpOperation::REQUEST {
                &IP_A
            } else {
                &IP_B
            },
            &tha,
            if op == ArpOperation::REQUEST {
                &IP_B
            } else {
                &IP_A
            },
        )
        .unwrap();
        let mut v = Vec::new();
        let dst = if op == ArpOperation::REQUEST {
            [0xff; 6]
        } else {
            A
        };
        PacketBuilder::ethernet2(B, dst)
            .arp(arp)
            .write(&mut v)
            .unwrap();
        out.push(whole("arp", v));
    }
    // 802.1Q and QinQ.
    let mut v = Vec::new();
    PacketBuilder::ethernet2(A, B)
        .single_vlan(VlanId::try_new(100).unwrap())
        .ipv4(IP_A, IP_B, 64)
        .udp(40003, 9999)
        .write(&mut v, b"vlan")
        .unwrap();
    out.push(whole("vlan", v));
    let mut v = Vec::new();
    PacketBuilder::ethernet2(A, B)
        .double_vlan(VlanId::try_new(10).unwrap(), VlanId::try_new(20).unwrap())
        .ipv4(IP_A, IP_B, 64)
        .icmpv4_echo_request(1, 2)
        .write(&mut v, b"qinq")
        .unwrap();
    out.push(whole("qinq", v));
    // IPv4 with options (router alert) and fragments.
    let udp = {
        let mut u = vec![0x9c, 0x44, 0x27, 0x0f, 0, 24, 0, 0];
        u.extend_from_slice(&[0x42; 16]);
        u
    };
    out.push(whole(
        "ip options",
        eth(0x0800, &ipv4_raw(17, 11, 0x4000, &[148, 4, 0, 0], &udp)),
    ));
    out.push(whole(
        "frag first",
        eth(0x0800, &ipv4_raw(17, 12, 0x2000, &[], &udp[..16])),
    ));
    out.push(whole(
        "frag last",
        eth(0x0800, &ipv4_raw(17, 12, 2, &[], &udp[16..])),
    ));
    // IPv6 hop-by-hop + UDP, and a fragment header.
    let v6 = |next: u8, payload: &[u8]| {
        let mut h = vec![0x60, 0, 0, 0];
        h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        h.extend_from_slice(&[next, 64]);
        h.extend_from_slice(&IP6_A);
        h.extend_from_slice(&IP6_B);
        h.extend_from_slice(payload);
        eth(0x86dd, &h)
    };
    let mut hbh = vec![17, 0, 5, 2, 0, 0, 1, 0];
    hbh.extend_from_slice(&[0x9c, 0x45, 0x27, 0x0f, 0, 10, 0, 0, 1, 2]);
    out.push(whole("ip6 hbh", v6(0, &hbh)));
    let mut frag = vec![17, 0, 0, 1, 0, 0, 0, 42];
    frag.extend_from_slice(&[0x9c, 0x46, 0x27, 0x0f, 0, 40, 0, 0]);
    frag.extend_from_slice(&[7; 8]);
    out.push(whole("ip6 frag", v6(44, &frag)));
    // Unknown EtherType.
    out.push(whole(
        "unknown ethertype",
        eth(0x88b5, b"local experimental payload"),
    ));
    // Frames cut by a small snapshot length.
    let n = out.len();
    for i in [0usize, 3, 17] {
        let mut f = Frame {
            data: out[i % n].data.clone(),
            wire_len: out[i % n].wire_len,
            label: "cut",
        };
        f.data.truncate(54 + 4);
        out.push(f);
    }
    out
}

/// The frames as a little-endian microsecond pcap file, 1 ms apart.
pub fn pcap(frames: &[Frame]) -> Vec<u8> {
    use rawcap::packet::Packet;
    use rawcap::savefile::{PcapWriter, Resolution};
    let mut w = PcapWriter::new(
        Vec::new(),
        rawcap::LinkType::Ethernet,
        262_144,
        Resolution::Micro,
    )
    .unwrap();
    for (i, f) in frames.iter().enumerate() {
        let ts = 1_700_000_000_000_000_000u64 + i as u64 * 1_000_123;
        w.write(&Packet::new(ts, &f.data, f.wire_len)).unwrap();
    }
    w.into_inner().unwrap()
}
