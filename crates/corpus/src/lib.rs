//! rawcap's deterministic packet corpus and seeded RNG, for its tests,
//! benches and fuzz targets (a workspace crate of its own: not part of the
//! shipped library).
//!
//! In: nothing. Out: [`frames`], several thousand Ethernet frames built with
//! the small named builders of [`build`] (`frame().ipv4(a, b).tcp(80, 1234)`):
//! Ethernet II and 802.3/LLC, 802.1Q and QinQ, stacked MPLS, PPPoE discovery
//! and session, ARP/RARP, IPv4 with options and fragments, IPv6 with
//! extension-header chains, TCP with every flag byte, UDP (DNS, DHCP, VXLAN,
//! Geneve with inner frames), ICMP, ICMPv6, SCTP, IGMP, PIM, VRRP, AH/ESP, GRE,
//! IPX, DECnet, AppleTalk, IS-IS, STP, and frames truncated at many lengths.
//!
//! Invariants: the same frames in the same order on every call and every
//! machine; `wire_len >= data.len()` for every frame; addresses only from
//! 198.18.0.0/15, 2001:db8::/32, multicast/link-local groups, and locally
//! administered MACs. No OS dependency.
//!
//! ```
//! let frames = rawcap_corpus::frames();
//! assert!(frames.len() >= 3000);
//! assert!(frames.iter().all(|f| f.wire_len as usize >= f.data.len()));
//! ```

extern crate alloc;

pub mod build;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use build::{frame, tcp_flags as tf, FrameBuilder, Mac, MAC_A, MAC_B, V4, V6};

/// One corpus frame: captured bytes starting at the Ethernet header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The captured bytes (possibly truncated).
    pub data: Vec<u8>,
    /// The length on the wire (at least `data.len()`).
    pub wire_len: u32,
    /// A human-readable description, unique within [`frames`] (it starts with the index).
    pub label: String,
}

const fn v6(s: [u16; 8]) -> V6 {
    std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]).octets()
}

/// IPv4 addresses the frames use: unicast in 198.18.0.0/15, broadcast, multicast.
pub const V4_ADDRS: [V4; 14] = [
    [198, 18, 0, 1],
    [198, 18, 0, 2],
    [198, 18, 1, 1],
    [198, 18, 1, 2],
    [198, 19, 0, 1],
    [198, 19, 255, 254],
    [198, 18, 0, 255],
    [198, 18, 0, 3],
    [198, 18, 200, 7],
    [198, 18, 0, 0],
    [255, 255, 255, 255],
    [224, 0, 0, 1],
    [239, 1, 2, 3],
    [198, 18, 0, 129],
];

/// IPv6 addresses the frames use: 2001:db8::/32, link-local, multicast, v4-mapped.
pub const V6_ADDRS: [V6; 10] = [
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]),
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 2]),
    v6([0x2001, 0xdb8, 1, 0, 0, 0, 0, 1]),
    v6([0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 1]),
    v6([0xff02, 0, 0, 0, 0, 0, 0, 1]),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 1]),
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 3]),
    v6([0, 0, 0, 0, 0, 0xffff, 0xc612, 0x0001]),
    v6([0xff05, 0, 0, 0, 0, 0, 0, 2]),
    v6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]),
];

/// MAC addresses the frames use: locally administered unicast, broadcast, multicast.
pub const MACS: [Mac; 8] = [
    MAC_A,
    MAC_B,
    [2, 0, 0, 0, 0, 3],
    [2, 0, 0, 0, 0, 4],
    [0xff; 6],
    [0x01, 0x00, 0x5e, 0, 0, 1],
    [0x33, 0x33, 0, 0, 0, 1],
    [0x01, 0x80, 0xc2, 0, 0, 0],
];

/// Ports the TCP/UDP/SCTP frames use, as source and as destination.
pub const PORTS: [u16; 26] = [
    0, 20, 21, 22, 23, 25, 53, 67, 68, 80, 123, 161, 443, 500, 1023, 1024, 1234, 2000, 4789, 6081,
    8000, 8080, 8100, 9899, 49152, 65535,
];

/// A small seedable generator (SplitMix64): the same numbers on every machine,
/// for the corpus's varied-but-fixed choices and for every seeded test and
/// bench of rawcap (the one generator they share).
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The next 32 random bits.
    pub fn u32(&mut self) -> u32 {
        self.next_u64() as u32
    }

    /// A number in `0..n`.
    ///
    /// # Panics
    ///
    /// When `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One element of `xs`, chosen uniformly.
    ///
    /// # Panics
    ///
    /// When `xs` is empty.
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The whole corpus, in a fixed order. See the module docs for what it covers.
pub fn frames() -> Vec<Frame> {
    let mut out: Vec<FrameBuilder> = Vec::new();
    let mut rng = Rng(0x7261_7763_6170);
    tcp_frames(&mut out, &mut rng);
    udp_frames(&mut out, &mut rng);
    icmp_frames(&mut out, &mut rng);
    ipv6_chains(&mut out, &mut rng);
    ipv4_options_and_fragments(&mut out, &mut rng);
    tags_and_tunnels(&mut out, &mut rng);
    link_layer(&mut out, &mut rng);
    other_ip_protocols(&mut out, &mut rng);
    lengths(&mut out, &mut rng);
    let full: Vec<Frame> = out.into_iter().map(FrameBuilder::build).collect();
    let mut frames = full.clone();
    truncations(&full, &mut frames);
    frames.extend(llc_frame_types());
    for (i, f) in frames.iter_mut().enumerate() {
        f.label = format!("#{i} {}", f.label);
    }
    frames
}

/// 802.3 frames with every LLC frame type `llc TYPE` names (after the
/// truncated copies, so existing frames keep their numbers): I frames,
/// supervisory RR/RNR/REJ and an undefined one, unnumbered UI, UA, DISC, DM,
/// SABME, TEST, XID, FRMR (each also with the poll/final bit) and an
/// undefined one; on the NetBEUI SAP.
fn llc_frame_types() -> Vec<Frame> {
    const CONTROLS: [u8; 22] = [
        0x00, 0x02, 0xfe, 0x01, 0x05, 0x09, 0x0d, 0x03, 0x13, 0x63, 0x73, 0x43, 0x53, 0x0f, 0x1f,
        0x6f, 0xe3, 0xf3, 0xaf, 0xbf, 0x87, 0x27,
    ];
    CONTROLS
        .iter()
        .map(|&c| {
            frame()
                .eth8023(MAC_A, MAC_B)
                .llc(0xf0, 0xf0, c)
                .payload(30)
                .build()
        })
        .collect()
}

/// A unicast/broadcast/multicast Ethernet header chosen by `rng`.
fn eth(rng: &mut Rng) -> FrameBuilder {
    let src = rng.pick(&MACS[..4]);
    let dst = rng.pick(&MACS);
    frame().eth(src, dst)
}

fn tcp_frames(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // Every flag byte, over IPv4 and IPv6.
    for flags in 0..=255u8 {
        let (s, d) = (rng.pick(&PORTS), rng.pick(&PORTS));
        let (a, b) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS[..9]));
        out.push(
            eth(rng)
                .ipv4(a, b)
                .tcp(s, d)
                .flags(flags)
                .payload(flags as usize % 7),
        );
        if flags % 4 == 0 {
            let (a, b) = (rng.pick(&V6_ADDRS), rng.pick(&V6_ADDRS));
            out.push(eth(rng).ipv6(a, b).tcp(s, d).flags(flags));
        }
    }
    // Every port as source and as destination, with the usual flag mixes.
    let mixes = [
        tf::SYN,
        tf::SYN | tf::ACK,
        tf::ACK,
        tf::PSH | tf::ACK,
        tf::FIN | tf::ACK,
        tf::RST,
    ];
    for &p in &PORTS {
        for dir in 0..2 {
            let other = rng.pick(&[1234, 40000, 80, 443, 65535, 1024]);
            let (s, d) = if dir == 0 { (p, other) } else { (other, p) };
            let flags = rng.pick(&mixes);
            for (a, b) in [(0, 1), (1, 0), (2, 4), (8, 3)] {
                let (a, b) = (V4_ADDRS[a], V4_ADDRS[b]);
                out.push(
                    frame()
                        .eth(MAC_A, MAC_B)
                        .ipv4(a, b)
                        .tcp(s, d)
                        .flags(flags)
                        .pad(60),
                );
            }
            let (a, b) = (rng.pick(&V6_ADDRS[..4]), rng.pick(&V6_ADDRS));
            out.push(frame().eth(MAC_B, MAC_A).ipv6(a, b).tcp(s, d).flags(flags));
        }
    }
    // Data offsets above 5, HTTP and TLS payloads.
    let opts: [&[u8]; 3] = [
        &[2, 4, 5, 0xb4],
        &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
        &[1; 20],
    ];
    for (i, o) in opts.iter().enumerate() {
        for &(s, d) in &[(1234, 80), (80, 1234), (40000, 443), (443, 40000)] {
            let (a, b) = (V4_ADDRS[i], V4_ADDRS[i + 1]);
            out.push(
                frame()
                    .ipv4(a, b)
                    .tcp_opts(s, d, o)
                    .flags(tf::PSH | tf::ACK)
                    .bytes(b"GET / HTTP/1.1\r\n"),
            );
            out.push(
                frame()
                    .ipv4(b, a)
                    .tcp_opts(d, s, o)
                    .bytes(&[0x16, 3, 1, 0, 0x40]),
            );
            out.push(
                frame()
                    .ipv6(V6_ADDRS[i], V6_ADDRS[i + 1])
                    .tcp_opts(s, d, o)
                    .bytes(b"GET /x"),
            );
        }
    }
    // Handshakes: SYN with sequence 0, SYN-ACK from the server port, and the ACK.
    for (i, &(c, srv)) in [(1234u16, 80u16), (40000, 443), (2000, 22), (1024, 21)]
        .iter()
        .enumerate()
    {
        let (a, b) = (V4_ADDRS[i], V4_ADDRS[i + 4]);
        out.push(frame().ipv4(a, b).tcp(c, srv).flags(tf::SYN).seq(0));
        out.push(
            frame()
                .ipv4(b, a)
                .tcp(srv, c)
                .flags(tf::SYN | tf::ACK)
                .seq(0),
        );
        out.push(frame().ipv4(a, b).tcp(c, srv).flags(tf::ACK));
        out.push(
            frame()
                .ipv6(V6_ADDRS[i], V6_ADDRS[i + 1])
                .tcp(srv, c)
                .flags(tf::SYN | tf::ACK),
        );
    }
    for &(s, d) in &[(1234, 80), (80, 1234), (5555, 8080)] {
        out.push(
            frame()
                .ipv4(V4_ADDRS[0], V4_ADDRS[1])
                .tcp(s, d)
                .bytes(b"GET / HTTP/1.0\r\n\r\n"),
        );
    }
}

fn udp_frames(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    for &p in &PORTS {
        for dir in 0..2 {
            let other = rng.pick(&[53, 33000, 68, 67, 123, 65535]);
            let (s, d) = if dir == 0 { (p, other) } else { (other, p) };
            for (a, b) in [(0, 1), (3, 2), (4, 10), (1, 11)] {
                let len = rng.pick(&[0, 4, 12, 30, 100]);
                out.push(
                    eth(rng)
                        .ipv4(V4_ADDRS[a], V4_ADDRS[b])
                        .udp(s, d)
                        .payload(len),
                );
            }
            let (a, b) = (rng.pick(&V6_ADDRS), rng.pick(&V6_ADDRS));
            out.push(eth(rng).ipv6(a, b).udp(s, d).payload(20));
        }
    }
    // DNS, DHCP, NTP, SNMP with real-looking first bytes.
    for i in 0..8usize {
        let (a, b) = (V4_ADDRS[i % 5], V4_ADDRS[(i + 1) % 5]);
        out.push(
            frame()
                .ipv4(a, b)
                .udp(33000 + i as u16, 53)
                .bytes(&[0x12, i as u8, 1, 0, 0, 1]),
        );
        out.push(
            frame()
                .ipv4(b, a)
                .udp(53, 33000 + i as u16)
                .bytes(&[0x12, i as u8, 0x81, 0x80]),
        );
    }
    out.push(
        frame()
            .eth(MAC_A, [0xff; 6])
            .ipv4([0, 0, 0, 0], [255; 4])
            .udp(68, 67)
            .payload(240)
            .pad(60),
    );
    out.push(
        frame()
            .eth(MAC_B, MAC_A)
            .ipv4(V4_ADDRS[0], V4_ADDRS[1])
            .udp(67, 68)
            .payload(240),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .udp(123, 123)
            .payload(48),
    );
    // IPv4 and IPv6 inside UDP (a tunnel without a header of its own).
    let v4_in_udp = frame().ipv4(V4_ADDRS[0], V4_ADDRS[4]).udp(5555, 5555);
    out.push(v4_in_udp.ipv4(V4_ADDRS[2], V4_ADDRS[3]).icmp(8, 0));
    let v6_in_udp = frame().ipv4(V4_ADDRS[4], V4_ADDRS[0]).udp(5555, 5555);
    out.push(v6_in_udp.ipv6(V6_ADDRS[0], V6_ADDRS[1]).udp(53, 53));
    out.push(
        frame()
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .udp(40000, 161)
            .bytes(&[0x30, 0x26, 2, 1, 1]),
    );
}

fn icmp_frames(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    for ty in 0..=19u8 {
        for code in [0u8, 1, 3, 4] {
            let (a, b) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS));
            out.push(eth(rng).ipv4(a, b).icmp(ty, code).payload(usize::from(ty)));
        }
    }
    for ty in [40u8, 42, 43, 200, 255] {
        out.push(frame().ipv4(V4_ADDRS[0], V4_ADDRS[4]).icmp(ty, 0));
    }
    let types6 = [
        1u8, 2, 3, 4, 100, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143, 200,
    ];
    for ty in types6 {
        for code in [0u8, 1, 4] {
            let (a, b) = (rng.pick(&V6_ADDRS), rng.pick(&V6_ADDRS));
            out.push(eth(rng).ipv6(a, b).icmp6(ty, code).payload(16));
        }
        // Multicast listener messages come behind a hop-by-hop header, with hop limit 1.
        out.push(
            frame()
                .eth(MAC_A, MACS[6])
                .ipv6(V6_ADDRS[5], V6_ADDRS[4])
                .hop_limit(1)
                .ext(0, 0)
                .icmp6(ty, 0),
        );
    }
}

fn upper(b: FrameBuilder, kind: usize, rng: &mut Rng) -> FrameBuilder {
    match kind {
        0 => b.tcp(rng.pick(&PORTS), rng.pick(&PORTS)).flags(tf::SYN),
        1 => b.udp(rng.pick(&PORTS), rng.pick(&PORTS)).payload(8),
        2 => b.icmp6(128, 0).payload(8),
        3 => b.sctp(rng.pick(&PORTS), rng.pick(&PORTS), 1),
        4 => b.icmp(8, 0),
        _ => b.payload(12),
    }
}

fn ipv6_chains(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // Extension header chains: 0 hop-by-hop, 43 routing, 44 fragment, 60 dstopts, 51 AH.
    let chains: [&[(u8, u16)]; 18] = [
        &[],
        &[(0, 0)],
        &[(0, 1)],
        &[(43, 0)],
        &[(60, 0)],
        &[(0, 0), (43, 0)],
        &[(0, 0), (60, 2)],
        &[(0, 0), (43, 0), (60, 0)],
        &[(44, 0)],
        &[(44, 1)],
        &[(44, 100)],
        &[(0, 0), (44, 0)],
        &[(60, 0), (44, 0)],
        &[(51, 0)],
        &[(0, 0), (51, 0)],
        &[(0, 0), (43, 0), (44, 0), (60, 0)],
        // Long chains, for `protochain` (libpcap walks them in a loop of no fixed bound).
        &[
            (0, 0),
            (60, 0),
            (43, 0),
            (60, 0),
            (60, 1),
            (51, 0),
            (60, 0),
            (44, 0),
        ],
        &[
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
            (60, 0),
        ],
    ];
    for chain in chains {
        for kind in 0..6 {
            for pair in 0..2 {
                let (a, b) = if pair == 0 {
                    (V6_ADDRS[0], V6_ADDRS[1])
                } else {
                    (rng.pick(&V6_ADDRS), rng.pick(&V6_ADDRS))
                };
                let mut f = eth(rng).ipv6(a, b);
                for &(h, x) in chain {
                    f = match h {
                        44 => f.ext_frag(x, x == 0),
                        51 => f.ah(0x100 + u32::from(x)),
                        _ => f.ext(h, x as u8),
                    };
                }
                out.push(upper(f, kind, rng));
            }
        }
    }
    // IPv6 carrying ESP, IPv4-in-IPv6, no next header.
    out.push(frame().ipv6(V6_ADDRS[0], V6_ADDRS[1]).esp(0x100));
    out.push(frame().ipv6(V6_ADDRS[0], V6_ADDRS[1]).ext(0, 0).esp(0x101));
    out.push(
        frame()
            .ipv6(V6_ADDRS[2], V6_ADDRS[3])
            .ipv4(V4_ADDRS[0], V4_ADDRS[1])
            .tcp(1234, 80),
    );
    out.push(frame().ipv6(V6_ADDRS[2], V6_ADDRS[3]).bytes(&[]));
}

fn ipv4_options_and_fragments(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // 4 x NOP; record route (3 slots); timestamp; router alert.
    let opts: [&[u8]; 4] = [
        &[],
        &[1, 1, 1, 1],
        &[7, 15, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &[148, 4, 0, 0],
    ];
    // (offset in 8-byte units, MF, DF)
    let frags = [
        (0, false, false),
        (0, false, true),
        (0, true, false),
        (1, true, false),
        (185, false, false),
        (8191, false, false),
    ];
    for o in opts {
        for &(off, mf, df) in &frags {
            for kind in [0usize, 1, 4] {
                let (a, b) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS));
                let f = eth(rng).ipv4_opts(a, b, o).frag(off, mf, df).ttl_tos(
                    rng.pick(&[1, 2, 5, 64, 128, 255]),
                    rng.pick(&[0, 0x10, 0xb8]),
                );
                out.push(upper(f, kind, rng));
            }
        }
    }
    // IP-in-IP and unknown protocols.
    out.push(
        frame()
            .ipv4(V4_ADDRS[0], V4_ADDRS[1])
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .udp(53, 53),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[0], V4_ADDRS[1])
            .ip_proto(253, &[1, 2, 3, 4]),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[0], V4_ADDRS[1])
            .ip_proto(255, &[0; 8]),
    );
    out.push(frame().ipv4(V4_ADDRS[0], V4_ADDRS[1]).ip_proto(0, &[0; 8]));
}

fn l3(b: FrameBuilder, kind: usize, rng: &mut Rng) -> FrameBuilder {
    let (a, c) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS[..9]));
    let (a6, c6) = (rng.pick(&V6_ADDRS), rng.pick(&V6_ADDRS));
    match kind {
        0 => b.ipv4(V4_ADDRS[0], c).tcp(1234, 80).flags(tf::SYN),
        1 => b.ipv4(a, V4_ADDRS[1]).udp(53, 33000).payload(20),
        2 => b.ipv6(a6, c6).tcp(443, 40000).flags(tf::ACK),
        3 => b.arp(false, 1, MAC_A, a, [0; 6], c),
        4 => b.ipv4(a, c).icmp(8, 0).payload(16),
        _ => b.ipv6(a6, c6).udp(5353, 53).payload(10),
    }
}

fn tags_and_tunnels(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // Single tags (with priority bits), QinQ and triple stacks.
    for id in [0u16, 1, 100, 200, 300, 4095, 0x2064, 0xe0c8] {
        for kind in 0..6 {
            out.push(l3(eth(rng).vlan(id), kind, rng));
        }
    }
    let stacks: [&[(u16, u16)]; 6] = [
        &[(0x8100, 100), (0x8100, 200)],
        &[(0x8100, 200), (0x8100, 100)],
        &[(0x88a8, 100), (0x8100, 200)],
        &[(0x9100, 300), (0x8100, 100)],
        &[(0x88a8, 100), (0x8100, 200), (0x8100, 300)],
        &[(0x8100, 100), (0x8100, 100)],
    ];
    for stack in stacks {
        for kind in 0..6 {
            let mut f = eth(rng);
            for &(tpid, id) in stack {
                f = f.vlan_tpid(tpid, id);
            }
            out.push(l3(f, kind, rng));
        }
    }
    // MPLS stacks over IPv4/IPv6, and over VLAN.
    let labels: [&[u32]; 8] = [
        &[100],
        &[200],
        &[0],
        &[1_048_575],
        &[100, 200],
        &[200, 100],
        &[100, 200, 300],
        &[16, 17, 18, 19],
    ];
    for ls in labels {
        for kind in [0usize, 1, 2, 4, 5] {
            let mut f = eth(rng);
            for &l in ls {
                f = f.mpls(l);
            }
            out.push(l3(f, kind, rng));
        }
        let mut f = eth(rng).vlan(100);
        for &l in ls {
            f = f.mpls(l);
        }
        out.push(l3(f, 0, rng));
    }
    // PPPoE discovery and session.
    for code in [0x09u8, 0x07, 0x19, 0x65, 0xa7] {
        out.push(
            frame()
                .eth(MAC_A, [0xff; 6])
                .pppoe_discovery(code, if code == 0x65 { 1 } else { 0 }),
        );
    }
    for sid in [0u16, 1, 0x10, 0x1234, 65535] {
        for kind in [0usize, 1, 2, 4] {
            out.push(l3(frame().eth(MAC_A, MAC_B).pppoe_session(sid), kind, rng));
        }
        // LCP echo (PPP protocol 0xc021).
        out.push(
            frame()
                .eth(MAC_B, MAC_A)
                .pppoe_session(sid)
                .ppp(0xc021)
                .bytes(&[9, 1, 0, 8, 0, 0, 0, 0]),
        );
    }
    out.push(l3(
        frame().eth(MAC_A, MAC_B).vlan(100).pppoe_session(1),
        0,
        rng,
    ));
    // VXLAN and Geneve with inner frames.
    for vni in [0u32, 1, 100, 5000] {
        let outer = frame()
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .udp(40000 + vni as u16, 4789)
            .vxlan(vni);
        out.push(l3(
            outer.eth(MACS[2], MACS[3]),
            rng.pick(&[0, 1, 2, 3]),
            rng,
        ));
    }
    for vni in [0u32, 100, 200, 16_777_215] {
        for opt4 in [0u8, 2] {
            let outer = |r: &mut Rng| {
                frame()
                    .ipv4(r.pick(&V4_ADDRS[..5]), V4_ADDRS[4])
                    .udp(50000, 6081)
            };
            out.push(l3(
                outer(rng).geneve(vni, opt4, 0x6558).eth(MACS[2], MACS[3]),
                rng.pick(&[0, 1, 2, 3]),
                rng,
            ));
            out.push(
                outer(rng)
                    .geneve(vni, opt4, 0x0800)
                    .ipv4(V4_ADDRS[2], V4_ADDRS[0])
                    .tcp(1234, 80),
            );
            out.push(
                frame()
                    .ipv6(V6_ADDRS[0], V6_ADDRS[1])
                    .udp(50001, 6081)
                    .geneve(vni, opt4, 0x86dd)
                    .ipv6(V6_ADDRS[2], V6_ADDRS[3])
                    .udp(53, 53),
            );
        }
    }
    // GRE carrying IPv4 and IPv6.
    out.push(
        frame()
            .ipv4(V4_ADDRS[0], V4_ADDRS[4])
            .gre()
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .tcp(1234, 80),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[0], V4_ADDRS[4])
            .gre()
            .ipv6(V6_ADDRS[0], V6_ADDRS[1])
            .icmp6(128, 0),
    );
    out.push(
        frame()
            .ipv6(V6_ADDRS[0], V6_ADDRS[1])
            .gre()
            .ipv4(V4_ADDRS[2], V4_ADDRS[3])
            .udp(53, 53),
    );
}

fn link_layer(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // Every MAC as destination and source, over IPv4/ARP/IPv6.
    for &dst in &MACS {
        for &src in &MACS[..4] {
            for kind in [1usize, 3, 5] {
                out.push(l3(frame().eth(src, dst), kind, rng));
            }
        }
    }
    // ARP and RARP requests/replies over address pairs.
    for op in [1u16, 2, 3, 4, 8, 9] {
        for (a, b) in [(0, 1), (1, 0), (2, 3), (4, 0), (0, 0)] {
            let rarp = op == 3 || op == 4;
            let dst = if op % 2 == 1 { [0xff; 6] } else { MAC_A };
            out.push(
                frame()
                    .eth(MAC_B, dst)
                    .arp(rarp, op, MAC_B, V4_ADDRS[a], MAC_A, V4_ADDRS[b])
                    .pad(60),
            );
            if rarp {
                out.push(frame().eth(MAC_A, dst).arp(
                    false,
                    op,
                    MAC_A,
                    V4_ADDRS[b],
                    MAC_B,
                    V4_ADDRS[a],
                ));
            } else {
                out.push(frame().eth(MACS[2], dst).arp(
                    true,
                    op,
                    MACS[2],
                    V4_ADDRS[b],
                    MAC_B,
                    V4_ADDRS[a],
                ));
            }
        }
    }
    // Other ethertypes: IPX, DECnet (long-header data to 1.2 from 10.20), LAT, SCA, MOP,
    // AppleTalk, AARP, LLDP, and sizes around the 802.3 length limit.
    let types = [
        0x8137u16, 0x6001, 0x6002, 0x6004, 0x6007, 0x809b, 0x80f3, 0x88cc, 0x0600, 0x05dc, 0x9000,
        0xfefe, 0x0042,
    ];
    for t in types {
        out.push(frame().eth(MAC_A, MAC_B).ethertype(t, 46));
    }
    for (src, dst) in [
        (10 * 1024 + 20, 1024 + 2),
        (1024 + 2, 10 * 1024 + 20),
        (1023, 1024 + 1023),
        (64 * 1024 - 1, 5),
    ] {
        // DECnet: 2-byte length, pad byte 0x81 + 1 pad, flags 0x26 (long data), then areas.
        let mut h = alloc::vec![0u8, 0, 0x81, 0x26, 0, 0];
        h.extend_from_slice(&[0xaa, 0, 4, 0, 0, 0]);
        h.extend_from_slice(&(dst as u16).to_le_bytes());
        h.extend_from_slice(&[0, 0, 0xaa, 0, 4, 0, 0, 0]);
        h.extend_from_slice(&(src as u16).to_le_bytes());
        let mut f = frame().eth(MAC_A, MAC_B).ethertype(0x6003, 0);
        f = f.bytes(&h).payload(20);
        out.push(f);
        let mut s = alloc::vec![0u8, 0, 0x02];
        s.extend_from_slice(&(dst as u16).to_le_bytes());
        s.extend_from_slice(&(src as u16).to_le_bytes());
        out.push(
            frame()
                .eth(MAC_B, MAC_A)
                .ethertype(0x6003, 0)
                .bytes(&s)
                .payload(30),
        );
    }
    // 802.3 + LLC: STP (0x42), ISO (0xfe) with IS-IS/CLNP/ES-IS, NetBEUI (0xf0),
    // IPX (0xe0), SNAP (0xaa) with AppleTalk/AARP/IPv4, and raw 802.3 IPX (0xffff).
    out.push(
        frame()
            .eth8023(MAC_A, MACS[7])
            .llc(0x42, 0x42, 3)
            .payload(35),
    );
    out.push(
        frame()
            .eth8023(MAC_B, MACS[7])
            .llc(0x42, 0x42, 3)
            .bytes(&[0, 0, 2, 2])
            .payload(31)
            .pad(60),
    );
    for nlpid in [0x83u8, 0x81, 0x82, 0x80] {
        for pdu in [15u8, 16, 17, 18, 20, 24, 25, 26, 27, 1] {
            if nlpid != 0x83 && pdu != 1 {
                continue;
            }
            let f = frame()
                .eth8023(MAC_A, [0x01, 0x80, 0xc2, 0, 0, 0x14])
                .llc(0xfe, 0xfe, 3);
            out.push(f.bytes(&[nlpid, 27, 1, 0, pdu, 1, 0, 0]).payload(30));
        }
    }
    out.push(frame().eth8023(MAC_A, MAC_B).llc(0xf0, 0xf0, 3).payload(40));
    out.push(
        frame()
            .eth8023(MAC_A, MAC_B)
            .llc(0xf0, 0xf1, 0x7f)
            .payload(20),
    );
    out.push(frame().eth8023(MAC_A, MAC_B).llc(0xe0, 0xe0, 3).payload(40));
    out.push(frame().eth8023(MAC_A, MAC_B).llc(0x06, 0x06, 3).payload(40));
    out.push(frame().eth8023(MAC_A, MAC_B).llc(0x64, 0x64, 3).payload(40));
    for (oui, ty) in [
        ([8u8, 0, 7], 0x809bu16),
        ([0, 0, 0], 0x80f3),
        ([0, 0, 0], 0x0800),
        ([0, 0, 0x0c], 0x2000),
    ] {
        let f = frame().eth8023(MAC_B, MACS[5]).llc(0xaa, 0xaa, 3);
        out.push(
            f.bytes(&[oui[0], oui[1], oui[2], (ty >> 8) as u8, ty as u8])
                .payload(30),
        );
    }
    out.push(
        frame()
            .eth8023(MAC_A, MAC_B)
            .bytes(&[0xff, 0xff, 0, 30, 0, 4])
            .payload(24),
    );
    let _ = rng;
}

fn other_ip_protocols(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // IGMP: v1/v2 query and reports, leave, v3 report.
    for ty in [0x11u8, 0x12, 0x16, 0x17, 0x22] {
        for dst in [11usize, 12] {
            let f = frame()
                .eth(MAC_A, MACS[5])
                .ipv4_opts(V4_ADDRS[0], V4_ADDRS[dst], &[148, 4, 0, 0])
                .ttl_tos(1, 0);
            out.push(f.ip_proto(2, &[ty, 100, 0, 0, 239, 1, 2, 3]));
        }
    }
    // PIM v2 hello/register/join, VRRP/CARP adverts, IGRP, OSPF.
    for ty in [0x20u8, 0x21, 0x23] {
        out.push(
            frame()
                .eth(MAC_A, MACS[5])
                .ipv4(V4_ADDRS[0], [224, 0, 0, 13])
                .ip_proto(103, &[ty, 0, 0, 0, 0, 1, 0, 2]),
        );
        out.push(
            frame()
                .ipv6(V6_ADDRS[5], V6_ADDRS[4])
                .ip_proto(103, &[ty, 0, 0, 0, 0, 1, 0, 2]),
        );
    }
    for first in [0x21u8, 0x31, 0x20] {
        out.push(
            frame()
                .eth(MAC_A, MACS[5])
                .ipv4(V4_ADDRS[1], [224, 0, 0, 18])
                .ttl_tos(255, 0)
                .ip_proto(112, &[first, 1, 100, 1, 0, 1, 0, 0, 198, 18, 0, 100]),
        );
    }
    out.push(
        frame()
            .ipv4(V4_ADDRS[1], V4_ADDRS[10])
            .ip_proto(9, &[0x11, 1, 0, 0, 0, 100, 0, 1]),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[1], V4_ADDRS[10])
            .ip_proto(9, &[0x12, 2, 0, 0, 0, 100, 0, 1]),
    );
    out.push(
        frame()
            .ipv4(V4_ADDRS[1], [224, 0, 0, 5])
            .ip_proto(89, &[2, 1, 0, 44, 198, 18, 0, 2]),
    );
    // AH and ESP over IPv4 and IPv6.
    for spi in [0x100u32, 0x200] {
        out.push(frame().ipv4(V4_ADDRS[0], V4_ADDRS[1]).ah(spi).tcp(1234, 80));
        out.push(frame().ipv4(V4_ADDRS[1], V4_ADDRS[0]).ah(spi).udp(500, 500));
        out.push(frame().ipv4(V4_ADDRS[2], V4_ADDRS[3]).esp(spi));
        out.push(frame().ipv6(V6_ADDRS[1], V6_ADDRS[0]).ah(spi).icmp6(129, 0));
        out.push(
            frame()
                .ipv4(V4_ADDRS[0], V4_ADDRS[1])
                .udp(4500, 4500)
                .esp(spi),
        );
    }
    // SCTP: chunk types and ports, over IPv4 and IPv6.
    out.push(frame().ipv4(V4_ADDRS[0], V4_ADDRS[1]).sctp(40000, 80, 1));
    out.push(frame().ipv4(V4_ADDRS[1], V4_ADDRS[0]).sctp(80, 40000, 2));
    for chunk in [0u8, 1, 2, 3, 6, 14] {
        let (s, d) = (rng.pick(&PORTS), rng.pick(&[80, 9899, 5060, 36412]));
        out.push(
            frame()
                .ipv4(rng.pick(&V4_ADDRS[..9]), V4_ADDRS[1])
                .sctp(s, d, chunk),
        );
        out.push(
            frame()
                .ipv6(V6_ADDRS[0], rng.pick(&V6_ADDRS))
                .sctp(d, s, chunk),
        );
    }
}

fn lengths(out: &mut Vec<FrameBuilder>, rng: &mut Rng) {
    // Frame sizes from the minimum to the maximum, padded and not, and frames whose
    // wire length exceeds the captured bytes (cut in the payload).
    for len in [
        0usize, 1, 5, 6, 10, 18, 22, 26, 46, 50, 100, 142, 200, 228, 458, 484, 500, 986, 1000,
        1400, 1458, 1472,
    ] {
        let (a, b) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS[..9]));
        out.push(
            eth(rng)
                .ipv4(a, b)
                .udp(rng.pick(&PORTS), 9)
                .payload(len)
                .pad(60),
        );
        out.push(
            eth(rng)
                .ipv6(V6_ADDRS[0], V6_ADDRS[1])
                .tcp(80, 2000)
                .payload(len),
        );
        let (a, b) = (rng.pick(&V4_ADDRS[..9]), rng.pick(&V4_ADDRS[..9]));
        out.push(
            eth(rng)
                .ipv4(a, b)
                .tcp(rng.pick(&PORTS), 80)
                .payload(len)
                .wire_extra(1 + len as u32),
        );
    }
}

/// Cut lengths for truncated copies: inside every header of the frames above.
const CUTS: [usize; 30] = [
    0, 1, 6, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 23, 24, 26, 30, 33, 34, 35, 36, 38, 40, 42,
    46, 50, 54, 58, 62, 70,
];

fn truncations(full: &[Frame], out: &mut Vec<Frame>) {
    // Every 4th frame, cut at 10 of the lengths (rotating), so each kind of frame is cut
    // inside each of its headers somewhere in the corpus.
    for (i, f) in full.iter().enumerate().filter(|(i, _)| i % 4 == 0) {
        for j in 0..10 {
            let n = CUTS[(i / 4 * 7 + j * 3) % CUTS.len()];
            if n < f.data.len() {
                let mut t = f.clone();
                t.data.truncate(n);
                t.label = format!("{} / cut {n}", t.label);
                out.push(t);
            }
        }
    }
}

/// The same frame as a Linux cooked (SLL, v1) capture with this `sll_pkttype`
/// (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing): the 14-byte
/// Ethernet header becomes the 16-byte SLL header, the payload stays. An 802.3
/// frame (type field <= 1500) becomes protocol 0x0004 (802.2), as packet(7) reports it.
pub fn to_sll(f: &Frame, pkttype: u16) -> Frame {
    let mut data = Vec::with_capacity(f.data.len() + 2);
    data.extend_from_slice(&pkttype.to_be_bytes());
    data.extend_from_slice(&1u16.to_be_bytes());
    data.extend_from_slice(&6u16.to_be_bytes());
    let mut addr = [0u8; 8];
    let src = f.data.get(6..12.min(f.data.len())).unwrap_or(&[]);
    addr[..src.len()].copy_from_slice(src);
    data.extend_from_slice(&addr);
    let ty = match f.data.get(12..14) {
        Some(t) if u16::from_be_bytes([t[0], t[1]]) <= 1500 => 0x0004,
        Some(t) => u16::from_be_bytes([t[0], t[1]]),
        None => 0,
    };
    data.extend_from_slice(&ty.to_be_bytes());
    data.extend_from_slice(f.data.get(14..).unwrap_or(&[]));
    let cut = 16usize.saturating_sub(2 + f.data.len());
    data.truncate(data.len() - cut.min(data.len()));
    Frame {
        data,
        wire_len: f.wire_len + 2,
        label: format!("{} (sll {pkttype})", f.label),
    }
}

/// The Ethernet type field of `f` (0 when cut inside it).
fn ethertype(f: &Frame) -> u16 {
    f.data
        .get(12..14)
        .map_or(0, |t| u16::from_be_bytes([t[0], t[1]]))
}

/// `f` with its 14-byte Ethernet header replaced by `header` (the payload
/// and any truncation kept; a frame cut inside the Ethernet header keeps
/// as much of the new header as it had bytes).
fn rehead(f: &Frame, header: &[u8], label: String) -> Frame {
    let mut data = header.to_vec();
    data.extend_from_slice(f.data.get(14..).unwrap_or(&[]));
    if f.data.len() < 14 {
        data.truncate(f.data.len());
    }
    Frame {
        data,
        wire_len: (f.wire_len + header.len() as u32).saturating_sub(14),
        label,
    }
}

/// The same frame as a LINUX_SLL2 capture (`-i any` in tcpdump 4.99): the
/// 20-byte header with the protocol (0x0004 for 802.3 frames), interface
/// index `ifindex`, ARPHRD_ETHER, packet type `pkttype`, and the source MAC.
pub fn to_sll2(f: &Frame, pkttype: u8, ifindex: u32) -> Frame {
    let ty = match ethertype(f) {
        t if t <= 1500 && f.data.len() >= 14 => 0x0004,
        t => t,
    };
    let mut h = Vec::with_capacity(20);
    h.extend_from_slice(&ty.to_be_bytes());
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&ifindex.to_be_bytes());
    h.extend_from_slice(&1u16.to_be_bytes());
    h.extend_from_slice(&[pkttype, 6]);
    let mut addr = [0u8; 8];
    let src = f.data.get(6..12.min(f.data.len())).unwrap_or(&[]);
    addr[..src.len()].copy_from_slice(src);
    h.extend_from_slice(&addr);
    rehead(f, &h, format!("{} (sll2 {pkttype} if{ifindex})", f.label))
}

/// The address family a BSD loopback header gives `f`'s payload: 2 for
/// IPv4; for IPv6 Linux's 10 or a BSD's 24, 28 or 30 (by `variant`); for
/// anything else a family no filter names (7, OSI).
fn family(f: &Frame, variant: usize) -> u32 {
    match ethertype(f) {
        0x0800 => 2,
        0x86dd => [10, 24, 28, 30][variant % 4],
        _ => 7,
    }
}

/// The same frame's payload as a NULL (BSD loopback) capture: the address
/// family as a 4-byte word in the writer's byte order, little-endian, or
/// big-endian when `big` (what a big-endian host writes, which a filter
/// for this host must not take for its own).
pub fn to_null(f: &Frame, variant: usize, big: bool) -> Frame {
    let af = family(f, variant);
    let h = if big {
        af.to_be_bytes()
    } else {
        af.to_le_bytes()
    };
    let order = if big { "be" } else { "le" };
    rehead(f, &h, format!("{} (null {af} {order})", f.label))
}

/// The same frame's payload as a LOOP (OpenBSD loopback) capture: the
/// address family in network byte order.
pub fn to_loop(f: &Frame, variant: usize) -> Frame {
    let af = family(f, variant);
    rehead(f, &af.to_be_bytes(), format!("{} (loop {af})", f.label))
}

/// The same frame's payload with no link header (RAW, and IPV4/IPV6 for
/// frames of that EtherType).
pub fn to_raw(f: &Frame) -> Frame {
    rehead(f, &[], format!("{} (raw)", f.label))
}

/// Whether `f` carries IPv4 (`v6` false) or IPv6 right after its Ethernet header.
pub fn is_ip(f: &Frame, v6: bool) -> bool {
    ethertype(f) == if v6 { 0x86dd } else { 0x0800 }
}

/// A classic pcap savefile holding `frames`: magic a1b2c3d4 (microseconds),
/// version 2.4, snaplen 262144, link type 1 (Ethernet); record `i` is stamped
/// 1,700,000,000 s + `i` ms.
pub fn to_pcap_bytes(frames: &[Frame]) -> Vec<u8> {
    to_pcap_bytes_of(frames, 1)
}

/// [`to_pcap_bytes`] with another `LINKTYPE_*` number in the header.
pub fn to_pcap_bytes_of(frames: &[Frame], linktype: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + frames.iter().map(|f| 16 + f.data.len()).sum::<usize>());
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    for w in [0u32, 0, 262_144, linktype] {
        out.extend_from_slice(&w.to_le_bytes());
    }
    for (i, f) in frames.iter().enumerate() {
        let ms = i as u64;
        let sec = 1_700_000_000 + ms / 1000;
        let usec = (ms % 1000) * 1000;
        for w in [sec as u32, usec as u32, f.data.len() as u32, f.wire_len] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&f.data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_large_deterministic_and_consistent() {
        let a = frames();
        assert!(a.len() >= 3000, "{} frames", a.len());
        assert_eq!(a, frames());
        for f in &a {
            assert!(f.wire_len as usize >= f.data.len(), "{}", f.label);
        }
        let truncated = a
            .iter()
            .filter(|f| (f.wire_len as usize) > f.data.len())
            .count();
        assert!(truncated > 500, "{truncated} truncated frames");
    }

    #[test]
    fn sll_keeps_payload_and_protocol() {
        let f = frame()
            .ipv4([198, 18, 0, 1], [198, 18, 0, 2])
            .udp(53, 53)
            .build();
        let s = to_sll(&f, 4);
        assert_eq!(s.data.len(), f.data.len() + 2);
        assert_eq!(&s.data[..2], &[0, 4]);
        assert_eq!(&s.data[14..16], &[0x08, 0x00]);
        assert_eq!(&s.data[16..], &f.data[14..]);
        let short = to_sll(
            &Frame {
                data: alloc::vec![1, 2, 3],
                wire_len: 60,
                label: String::new(),
            },
            0,
        );
        assert_eq!(short.data.len(), 5);
    }

    #[test]
    fn other_link_headers_keep_the_payload() {
        let f = frame().ipv6(V6_ADDRS[0], V6_ADDRS[1]).udp(53, 53).build();
        let s2 = to_sll2(&f, 4, 3);
        assert_eq!(&s2.data[..2], &[0x86, 0xdd]);
        assert_eq!(&s2.data[4..8], &3u32.to_be_bytes());
        assert_eq!((s2.data[10], s2.data[11]), (4, 6));
        assert_eq!(&s2.data[20..], &f.data[14..]);
        assert_eq!(s2.wire_len, f.wire_len + 6);
        assert_eq!(&to_null(&f, 1, false).data[..4], &[24, 0, 0, 0]);
        assert_eq!(&to_null(&f, 0, true).data[..4], &[0, 0, 0, 10]);
        assert_eq!(&to_loop(&f, 3).data[..4], &[0, 0, 0, 30]);
        let raw = to_raw(&f);
        assert_eq!(raw.data, &f.data[14..]);
        assert_eq!(raw.wire_len, f.wire_len - 14);
        assert!(is_ip(&f, true) && !is_ip(&f, false));
        let cut = Frame {
            data: f.data[..5].to_vec(),
            wire_len: f.wire_len,
            label: String::new(),
        };
        assert_eq!(to_sll2(&cut, 0, 1).data.len(), 5);
        assert!(to_raw(&cut).data.is_empty());
    }

    #[test]
    fn pcap_bytes_layout() {
        let fs = [frame()
            .ipv4([198, 18, 0, 1], [198, 18, 0, 2])
            .tcp(1, 2)
            .cut(20)
            .build()];
        let b = to_pcap_bytes(&fs);
        assert_eq!(&b[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
        assert_eq!(&b[16..20], &262_144u32.to_le_bytes());
        assert_eq!(&b[20..24], &1u32.to_le_bytes());
        assert_eq!(&b[32..36], &20u32.to_le_bytes());
        assert_eq!(&b[36..40], &54u32.to_le_bytes());
        assert_eq!(b.len(), 24 + 16 + 20);
    }
}
