//! Small named frame builders: `frame().ipv4(a, b).tcp(80, 1234).build()`.
//!
//! Each method appends one header and writes the type field of the header
//! before it (ethertype, IP protocol / next header, PPP protocol), so layers
//! compose in any order the wire allows. Lengths (IPv4 total length and
//! checksum, IPv6 payload length, UDP length, PPPoE length, 802.3 length) are
//! filled in by [`FrameBuilder::build`], which also applies padding and
//! truncation. Checksums above IP are left zero: filters never read them.

use super::Frame;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// A MAC address.
pub type Mac = [u8; 6];
/// An IPv4 address.
pub type V4 = [u8; 4];
/// An IPv6 address.
pub type V6 = [u8; 16];

/// TCP flag bits (`tcp[13]`).
pub mod tcp_flags {
    /// FIN.
    pub const FIN: u8 = 0x01;
    /// SYN.
    pub const SYN: u8 = 0x02;
    /// RST.
    pub const RST: u8 = 0x04;
    /// PSH.
    pub const PSH: u8 = 0x08;
    /// ACK.
    pub const ACK: u8 = 0x10;
    /// URG.
    pub const URG: u8 = 0x20;
    /// ECE.
    pub const ECE: u8 = 0x40;
    /// CWR.
    pub const CWR: u8 = 0x80;
}

/// Where the next header's type goes.
#[derive(Clone, Copy, Debug)]
enum Next {
    /// Nothing to write (after a payload, ARP, or at the start of a tunnel payload).
    None,
    /// A 2-byte ethertype at this offset (Ethernet, VLAN, GRE).
    EtherType(usize),
    /// A 2-byte 802.3 length (filled in by `build`): the next layer must be LLC.
    Length,
    /// An IP protocol / IPv6 next-header byte at this offset.
    IpProto(usize),
    /// A 2-byte PPP protocol at this offset.
    Ppp(usize),
    /// After an MPLS label: the payload type is implied.
    Mpls,
}

/// Lengths and checksums filled in once the frame is complete.
#[derive(Clone, Copy, Debug)]
enum Patch {
    Ipv4(usize),
    Ipv6(usize),
    Udp(usize),
    Pppoe(usize),
    Length(usize),
}

/// Builds one frame header by header; see the module docs.
#[derive(Clone, Debug)]
pub struct FrameBuilder {
    data: Vec<u8>,
    next: Next,
    patches: Vec<Patch>,
    last_ipv4: Option<usize>,
    last_tcp: Option<usize>,
    last_mpls: Option<usize>,
    last_ipv6: Option<usize>,
    pad_to: usize,
    cut: Option<usize>,
    extra_wire: u32,
    label: String,
}

/// A frame with no header yet; start with [`FrameBuilder::eth`] (or use
/// [`FrameBuilder::ipv4`] and friends directly for a default Ethernet header).
pub fn frame() -> FrameBuilder {
    FrameBuilder {
        data: Vec::new(),
        next: Next::None,
        patches: Vec::new(),
        last_ipv4: None,
        last_tcp: None,
        last_mpls: None,
        last_ipv6: None,
        pad_to: 0,
        cut: None,
        extra_wire: 0,
        label: String::new(),
    }
}

fn put16(v: &mut [u8], at: usize, x: u16) {
    v[at..at + 2].copy_from_slice(&x.to_be_bytes());
}

/// The default unicast MACs used when a layer needs an Ethernet header and none was given.
pub const MAC_A: Mac = [2, 0, 0, 0, 0, 1];
/// The second default MAC.
pub const MAC_B: Mac = [2, 0, 0, 0, 0, 2];

impl FrameBuilder {
    fn note(&mut self, s: &str) {
        if !self.label.is_empty() {
            self.label.push_str(" / ");
        }
        self.label.push_str(s);
    }

    /// Writes the type of the layer about to be appended into the previous header.
    fn link(&mut self, ethertype: u16, ipproto: u8, ppp: u16) {
        if self.data.is_empty() {
            self.data.extend_from_slice(&MAC_B);
            self.data.extend_from_slice(&MAC_A);
            self.data.extend_from_slice(&[0, 0]);
            self.next = Next::EtherType(12);
            self.note("eth");
        }
        match self.next {
            Next::EtherType(o) => put16(&mut self.data, o, ethertype),
            Next::IpProto(o) => self.data[o] = ipproto,
            Next::Ppp(o) => put16(&mut self.data, o, ppp),
            Next::Length | Next::Mpls | Next::None => {}
        }
        self.next = Next::None;
    }

    fn push(&mut self, bytes: &[u8]) -> usize {
        let at = self.data.len();
        self.data.extend_from_slice(bytes);
        at
    }

    /// Ethernet II header; the ethertype comes from the next layer.
    pub fn eth(mut self, src: Mac, dst: Mac) -> Self {
        let at = self.push(&dst);
        self.push(&src);
        self.push(&[0, 0]);
        self.next = Next::EtherType(at + 12);
        self.note(&format!("eth {}>{}", mac_text(src), mac_text(dst)));
        self
    }

    /// 802.3 header (length instead of ethertype); follow with [`FrameBuilder::llc`].
    pub fn eth8023(mut self, src: Mac, dst: Mac) -> Self {
        let at = self.push(&dst);
        self.push(&src);
        self.push(&[0, 0]);
        self.next = Next::Length;
        self.patches.push(Patch::Length(at + 12));
        self.note(&format!("802.3 {}>{}", mac_text(src), mac_text(dst)));
        self
    }

    /// 802.2 LLC header (DSAP, SSAP, control) after [`FrameBuilder::eth8023`].
    pub fn llc(mut self, dsap: u8, ssap: u8, control: u8) -> Self {
        self.link(0, 0, 0);
        self.push(&[dsap, ssap, control]);
        self.note(&format!("llc {dsap:#04x}"));
        self
    }

    /// An 802.1Q tag (TPID 0x8100) with this TCI (priority, DEI, VLAN id).
    pub fn vlan(self, tci: u16) -> Self {
        self.vlan_tpid(0x8100, tci)
    }

    /// A VLAN tag with an explicit TPID (0x88a8 for an 802.1ad outer tag, 0x9100).
    pub fn vlan_tpid(mut self, tpid: u16, tci: u16) -> Self {
        self.link(tpid, 0, 0);
        let at = self.push(&tci.to_be_bytes());
        self.push(&[0, 0]);
        self.next = Next::EtherType(at + 2);
        self.note(&format!("vlan{} {:#x}", tci & 0xfff, tpid));
        self
    }

    /// One MPLS label stack entry; the last one pushed gets the bottom-of-stack bit.
    pub fn mpls(mut self, label: u32) -> Self {
        self.link(0x8847, 137, 0x0281);
        if let Some(prev) = self.last_mpls {
            self.data[prev + 2] &= !1;
        }
        let word = (label & 0xf_ffff) << 12 | 1 << 8 | 64;
        let at = self.push(&word.to_be_bytes());
        self.last_mpls = Some(at);
        self.next = Next::Mpls;
        self.note(&format!("mpls{label}"));
        self
    }

    /// PPPoE session header (ethertype 0x8864) and a PPP protocol field.
    pub fn pppoe_session(mut self, session: u16) -> Self {
        self.link(0x8864, 0, 0);
        let at = self.push(&[0x11, 0x00]);
        self.push(&session.to_be_bytes());
        self.push(&[0, 0, 0, 0]);
        self.patches.push(Patch::Pppoe(at));
        self.next = Next::Ppp(at + 6);
        self.note(&format!("pppoes {session}"));
        self
    }

    /// PPPoE discovery packet (ethertype 0x8863) with this code (0x09 PADI, 0x07 PADO...).
    pub fn pppoe_discovery(mut self, code: u8, session: u16) -> Self {
        self.link(0x8863, 0, 0);
        let at = self.push(&[0x11, code]);
        self.push(&session.to_be_bytes());
        self.push(&[0, 0]);
        // One Service-Name tag, empty.
        self.push(&[0x01, 0x01, 0x00, 0x00]);
        self.patches.push(Patch::Pppoe(at));
        self.note(&format!("pppoed code {code:#04x}"));
        self
    }

    /// A raw ethertype followed by `len` pattern bytes (IPX, DECnet, AppleTalk, ...).
    pub fn ethertype(mut self, ethertype: u16, len: usize) -> Self {
        self.link(ethertype, 0, 0);
        self.note(&format!("ethertype {ethertype:#06x}"));
        self.payload(len)
    }

    /// ARP (`op` 1 request, 2 reply) or, with `rarp`, RARP (`op` 3, 4) for Ethernet/IPv4.
    pub fn arp(mut self, rarp: bool, op: u16, sha: Mac, spa: V4, tha: Mac, tpa: V4) -> Self {
        self.link(if rarp { 0x8035 } else { 0x0806 }, 0, 0);
        self.push(&[0, 1, 8, 0, 6, 4]);
        self.push(&op.to_be_bytes());
        self.push(&sha);
        self.push(&spa);
        self.push(&tha);
        self.push(&tpa);
        let name = if rarp { "rarp" } else { "arp" };
        self.note(&format!("{name} op{op} {}>{}", v4_text(spa), v4_text(tpa)));
        self
    }

    /// IPv4 header without options (TTL 64, DF clear).
    pub fn ipv4(self, src: V4, dst: V4) -> Self {
        self.ipv4_opts(src, dst, &[])
    }

    /// IPv4 header with options (padded with zero to a multiple of 4 bytes).
    pub fn ipv4_opts(mut self, src: V4, dst: V4, opts: &[u8]) -> Self {
        self.link(0x0800, 4, 0x0021);
        let words = (20 + opts.len()).div_ceil(4);
        let at = self.push(&[0x40 | words as u8, 0, 0, 0, 0x12, 0x34, 0, 0, 64, 0, 0, 0]);
        self.push(&src);
        self.push(&dst);
        self.push(opts);
        self.data.resize(at + words * 4, 0);
        self.patches.push(Patch::Ipv4(at));
        self.last_ipv4 = Some(at);
        self.next = Next::IpProto(at + 9);
        self.note(&format!("ip {}>{}", v4_text(src), v4_text(dst)));
        self
    }

    /// Sets the last IPv4 header's fragment field: offset in 8-byte units, MF, DF.
    pub fn frag(mut self, offset8: u16, more: bool, dont: bool) -> Self {
        if let Some(at) = self.last_ipv4 {
            let v = (offset8 & 0x1fff) | u16::from(more) << 13 | u16::from(dont) << 14;
            put16(&mut self.data, at + 6, v);
            self.note(&format!(
                "frag {offset8}{}{}",
                if more { "+" } else { "" },
                if dont { " DF" } else { "" }
            ));
        }
        self
    }

    /// Sets the last IPv4 header's TTL and TOS.
    pub fn ttl_tos(mut self, ttl: u8, tos: u8) -> Self {
        if let Some(at) = self.last_ipv4 {
            self.data[at + 8] = ttl;
            self.data[at + 1] = tos;
        }
        self
    }

    /// Sets the last IPv6 header's hop limit.
    pub fn hop_limit(mut self, hops: u8) -> Self {
        if let Some(at) = self.last_ipv6 {
            self.data[at + 7] = hops;
        }
        self
    }

    /// IPv6 header (hop limit 64).
    pub fn ipv6(mut self, src: V6, dst: V6) -> Self {
        self.link(0x86dd, 41, 0x0057);
        let at = self.push(&[0x60, 0, 0, 0, 0, 0, 0, 64]);
        self.push(&src);
        self.push(&dst);
        self.patches.push(Patch::Ipv6(at));
        self.last_ipv6 = Some(at);
        self.next = Next::IpProto(at + 6);
        self.note(&format!("ip6 {}>{}", v6_text(src), v6_text(dst)));
        self
    }

    /// An IPv6 extension header of the options kind (0 hop-by-hop, 60 destination options,
    /// 43 routing) with `len8` extra 8-byte units.
    pub fn ext(mut self, kind: u8, len8: u8) -> Self {
        self.link(0, kind, 0);
        let at = self.push(&[0, len8]);
        let size = 8 * (usize::from(len8) + 1);
        self.data.resize(at + size, 0);
        if kind == 43 {
            // Routing type 0 with 0 segments left: nothing to process (RFC 8200 4.4).
            self.data[at + 2] = 0;
        } else {
            // PadN covering the rest of the header.
            self.data[at + 2] = 1;
            self.data[at + 3] = (size - 4) as u8;
        }
        self.next = Next::IpProto(at);
        self.note(&format!("ext{kind}"));
        self
    }

    /// IPv6 fragment header: offset in 8-byte units and the M flag.
    pub fn ext_frag(mut self, offset8: u16, more: bool) -> Self {
        self.link(0, 44, 0);
        let at = self.push(&[0, 0]);
        self.push(&(offset8 << 3 | u16::from(more)).to_be_bytes());
        self.push(&[0, 0, 0x56, 0x78]);
        self.next = Next::IpProto(at);
        self.note(&format!("frag6 {offset8}{}", if more { "+" } else { "" }));
        self
    }

    /// Authentication header (IP protocol 51), usable in IPv4 and IPv6.
    pub fn ah(mut self, spi: u32) -> Self {
        self.link(0, 51, 0);
        let at = self.push(&[0, 4, 0, 0]);
        self.push(&spi.to_be_bytes());
        self.push(&[0, 0, 0, 1]);
        self.push(&[0xaa; 12]);
        self.next = Next::IpProto(at);
        self.note(&format!("ah spi {spi:#x}"));
        self
    }

    /// ESP header (IP protocol 50) and opaque bytes.
    pub fn esp(mut self, spi: u32) -> Self {
        self.link(0, 50, 0);
        self.push(&spi.to_be_bytes());
        self.push(&[0, 0, 0, 7]);
        self.note(&format!("esp spi {spi:#x}"));
        self.payload(24)
    }

    /// TCP header (data offset 5, flags PSH|ACK until [`FrameBuilder::flags`]).
    pub fn tcp(self, sport: u16, dport: u16) -> Self {
        self.tcp_opts(sport, dport, &[])
    }

    /// TCP header with options (padded with NOPs to a multiple of 4 bytes).
    pub fn tcp_opts(mut self, sport: u16, dport: u16, opts: &[u8]) -> Self {
        self.link(0, 6, 0);
        let words = (20 + opts.len()).div_ceil(4);
        let at = self.push(&sport.to_be_bytes());
        self.push(&dport.to_be_bytes());
        self.push(&[0, 0, 0x10, 0x01, 0, 0, 0x20, 0x02]);
        self.push(&[(words as u8) << 4, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        self.push(opts);
        self.data.resize(at + words * 4, 1);
        self.last_tcp = Some(at);
        self.note(&format!("tcp {sport}>{dport}"));
        self
    }

    /// Sets the last TCP header's flags byte.
    pub fn flags(mut self, flags: u8) -> Self {
        if let Some(at) = self.last_tcp {
            self.data[at + 13] = flags;
            self.note(&format!("flags {flags:#04x}"));
        }
        self
    }

    /// Sets the last TCP header's sequence number.
    pub fn seq(mut self, seq: u32) -> Self {
        if let Some(at) = self.last_tcp {
            self.data[at + 4..at + 8].copy_from_slice(&seq.to_be_bytes());
        }
        self
    }

    /// UDP header.
    pub fn udp(mut self, sport: u16, dport: u16) -> Self {
        self.link(0, 17, 0);
        let at = self.push(&sport.to_be_bytes());
        self.push(&dport.to_be_bytes());
        self.push(&[0, 0, 0, 0]);
        self.patches.push(Patch::Udp(at));
        self.note(&format!("udp {sport}>{dport}"));
        self
    }

    /// SCTP common header and one chunk of this type (1 INIT, 0 DATA...).
    pub fn sctp(mut self, sport: u16, dport: u16, chunk: u8) -> Self {
        self.link(0, 132, 0);
        self.push(&sport.to_be_bytes());
        self.push(&dport.to_be_bytes());
        self.push(&[0, 0, 0, 1, 0, 0, 0, 0]);
        self.push(&[chunk, 0, 0, 8, 0, 0, 0, 0]);
        self.note(&format!("sctp {sport}>{dport} chunk {chunk}"));
        self
    }

    /// ICMP header of this type and code, with an 8-byte body.
    pub fn icmp(mut self, ty: u8, code: u8) -> Self {
        self.link(0, 1, 0);
        self.push(&[ty, code, 0, 0, 0, 1, 0, 1]);
        self.note(&format!("icmp {ty}/{code}"));
        self
    }

    /// ICMPv6 header of this type and code.
    pub fn icmp6(mut self, ty: u8, code: u8) -> Self {
        self.link(0, 58, 0);
        self.push(&[ty, code, 0, 0, 0, 0, 0, 0]);
        self.note(&format!("icmp6 {ty}/{code}"));
        self
    }

    /// A header for any other IP protocol: `body` is copied as it is
    /// (IGMP 2, PIM 103, VRRP/CARP 112, IGRP 9, OSPF 89, ...).
    pub fn ip_proto(mut self, proto: u8, body: &[u8]) -> Self {
        self.link(0, proto, 0);
        self.push(body);
        self.note(&format!("proto {proto}"));
        self
    }

    /// GRE header; the inner layer (e.g. [`FrameBuilder::ipv4`]) sets its protocol type.
    pub fn gre(mut self) -> Self {
        self.link(0, 47, 0);
        let at = self.push(&[0, 0, 0, 0]);
        self.next = Next::EtherType(at + 2);
        self.note("gre");
        self
    }

    /// VXLAN header (use after `udp(_, 4789)`); follow with an inner [`FrameBuilder::eth`].
    pub fn vxlan(mut self, vni: u32) -> Self {
        self.link(0, 0, 0);
        self.push(&[0x08, 0, 0, 0]);
        self.push(&(vni << 8).to_be_bytes());
        self.note(&format!("vxlan {vni}"));
        self
    }

    /// Geneve header (use after `udp(_, 6081)`) with `opt4` 4-byte units of options and
    /// this protocol type (0x6558 Ethernet, 0x0800 IPv4); follow with the inner layer.
    pub fn geneve(mut self, vni: u32, opt4: u8, proto: u16) -> Self {
        self.link(0, 0, 0);
        self.push(&[opt4 & 0x3f, 0]);
        self.push(&proto.to_be_bytes());
        self.push(&(vni << 8).to_be_bytes());
        let at = self.data.len();
        self.data.resize(at + 4 * usize::from(opt4), 0);
        self.note(&format!("geneve {vni} opt {opt4}"));
        self
    }

    /// A PPP protocol other than IPv4/IPv6 (0xc021 LCP) after [`FrameBuilder::pppoe_session`].
    pub fn ppp(mut self, proto: u16) -> Self {
        self.link(0, 0, proto);
        self.note(&format!("ppp {proto:#06x}"));
        self
    }

    /// `len` payload bytes of a fixed pattern (`i * 7 + 3`).
    pub fn payload(mut self, len: usize) -> Self {
        self.link(0, 59, 0);
        self.data.extend((0..len).map(|i| (i * 7 + 3) as u8));
        self.note(&format!("{len}B"));
        self
    }

    /// These exact payload bytes.
    pub fn bytes(mut self, b: &[u8]) -> Self {
        self.link(0, 59, 0);
        self.push(b);
        self.note(&format!("{}B", b.len()));
        self
    }

    /// Pads the finished frame with zeros to at least `len` bytes (Ethernet's 60).
    pub fn pad(mut self, len: usize) -> Self {
        self.pad_to = len;
        self
    }

    /// Keeps only the first `len` captured bytes; the wire length stays the full length.
    pub fn cut(mut self, len: usize) -> Self {
        self.cut = Some(len);
        self
    }

    /// Adds `n` bytes to the wire length beyond the built bytes (a snapshot-length cut).
    pub fn wire_extra(mut self, n: u32) -> Self {
        self.extra_wire = n;
        self
    }

    /// The frame: lengths and IPv4 checksums filled in, then padding and truncation applied.
    pub fn build(mut self) -> Frame {
        let end = self.data.len();
        for p in self.patches.iter().rev() {
            match *p {
                Patch::Ipv4(at) => {
                    put16(&mut self.data, at + 2, (end - at) as u16);
                    let hl = usize::from(self.data[at] & 0xf) * 4;
                    let sum = checksum(&self.data[at..at + hl]);
                    put16(&mut self.data, at + 10, sum);
                }
                Patch::Ipv6(at) => put16(&mut self.data, at + 4, (end - at - 40) as u16),
                Patch::Udp(at) => put16(&mut self.data, at + 4, (end - at) as u16),
                Patch::Pppoe(at) => put16(&mut self.data, at + 4, (end - at - 6) as u16),
                Patch::Length(at) => put16(&mut self.data, at, (end - at - 2) as u16),
            }
        }
        if self.data.len() < self.pad_to {
            self.data.resize(self.pad_to, 0);
        }
        let full = self.data.len() as u32 + self.extra_wire;
        if let Some(n) = self.cut {
            self.data.truncate(n);
            self.note(&format!("cut {n}"));
        }
        if self.extra_wire > 0 {
            self.note(&format!("wire +{}", self.extra_wire));
        }
        Frame {
            data: self.data,
            wire_len: full,
            label: self.label,
        }
    }
}

/// The Internet checksum of a header whose checksum field is zero.
fn checksum(b: &[u8]) -> u16 {
    let mut sum: u32 = b
        .chunks(2)
        .map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn mac_text(m: Mac) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

fn v4_text(a: V4) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

fn v6_text(a: V6) -> String {
    format!("{}", std::net::Ipv6Addr::from(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_tcp_layout() {
        let f = frame()
            .eth(MAC_A, MAC_B)
            .ipv4([198, 18, 0, 1], [198, 18, 0, 2])
            .tcp(80, 1234)
            .build();
        assert_eq!(f.data.len(), 14 + 20 + 20);
        assert_eq!(&f.data[12..14], &[0x08, 0x00]);
        assert_eq!(f.data[23], 6);
        assert_eq!(&f.data[16..18], &[0, 40]);
        assert_eq!(checksum(&f.data[14..34]), 0, "header checksum verifies");
        assert_eq!(&f.data[34..38], &[0, 80, 0x04, 0xd2]);
        assert_eq!(f.wire_len, 54);
    }

    #[test]
    fn stacked_mpls_sets_bottom_only_on_last() {
        let f = frame()
            .eth(MAC_A, MAC_B)
            .mpls(100)
            .mpls(200)
            .ipv4([1; 4], [2; 4])
            .build();
        assert_eq!(&f.data[12..14], &[0x88, 0x47]);
        assert_eq!(f.data[16] & 1, 0);
        assert_eq!(f.data[20] & 1, 1);
        assert_eq!(
            u32::from_be_bytes([f.data[18], f.data[19], f.data[20], f.data[21]]) >> 12,
            200
        );
        assert_eq!(f.data[22] >> 4, 4);
    }

    #[test]
    fn udp_and_ipv6_lengths_and_cut() {
        let f = frame()
            .ipv6([0; 16], [1; 16])
            .ext(0, 0)
            .udp(53, 53)
            .payload(10)
            .cut(30)
            .build();
        assert_eq!(f.wire_len, 14 + 40 + 8 + 8 + 10);
        assert_eq!(f.data.len(), 30);
        let g = frame()
            .ipv6([0; 16], [1; 16])
            .ext(0, 0)
            .udp(53, 53)
            .payload(10)
            .build();
        assert_eq!(&g.data[18..20], &[0, 26]);
        assert_eq!(g.data[20], 0, "hop-by-hop");
        assert_eq!(g.data[54], 17);
        assert_eq!(&g.data[66..68], &[0, 18]);
    }

    #[test]
    fn llc_length_and_vlan_tags() {
        let f = frame()
            .eth8023(MAC_A, MAC_B)
            .llc(0x42, 0x42, 3)
            .payload(35)
            .build();
        assert_eq!(&f.data[12..14], &[0, 38]);
        let q = frame()
            .eth(MAC_A, MAC_B)
            .vlan_tpid(0x88a8, 10)
            .vlan(20)
            .ipv4([1; 4], [2; 4])
            .build();
        assert_eq!(&q.data[12..14], &[0x88, 0xa8]);
        assert_eq!(&q.data[16..18], &[0x81, 0x00]);
        assert_eq!(&q.data[20..22], &[0x08, 0x00]);
    }

    #[test]
    fn pppoe_session_length_and_ppp_protocol() {
        let f = frame()
            .eth(MAC_A, MAC_B)
            .pppoe_session(0x10)
            .ipv6([0; 16], [1; 16])
            .udp(1, 2)
            .build();
        assert_eq!(&f.data[12..14], &[0x88, 0x64]);
        assert_eq!(&f.data[16..18], &[0, 0x10]);
        assert_eq!(
            usize::from(u16::from_be_bytes([f.data[18], f.data[19]])),
            f.data.len() - 20
        );
        assert_eq!(&f.data[20..22], &[0, 0x57]);
        let d = frame()
            .eth(MAC_A, [0xff; 6])
            .pppoe_discovery(0x09, 0)
            .build();
        assert_eq!(&d.data[12..14], &[0x88, 0x63]);
        assert_eq!(&d.data[18..20], &[0, 4]);
    }

    #[test]
    fn arp_and_fragments_and_tunnels() {
        let a = frame()
            .eth(MAC_A, MAC_B)
            .arp(true, 3, MAC_A, [1; 4], MAC_B, [2; 4])
            .build();
        assert_eq!(&a.data[12..14], &[0x80, 0x35]);
        assert_eq!(&a.data[20..22], &[0, 3]);
        assert_eq!(&a.data[38..42], &[2; 4]);
        let v4 = frame()
            .ipv4([1; 4], [2; 4])
            .frag(185, true, false)
            .udp(1, 2)
            .build();
        assert_eq!(&v4.data[20..22], &[0x20, 185]);
        let v6 = frame()
            .ipv6([0; 16], [1; 16])
            .ext_frag(1, true)
            .tcp(1, 2)
            .build();
        assert_eq!(v6.data[20], 44);
        assert_eq!(v6.data[54], 6);
        assert_eq!(&v6.data[56..58], &[0, 9]);
        let g = frame()
            .ipv4([1; 4], [2; 4])
            .udp(5, 6081)
            .geneve(100, 2, 0x6558)
            .eth(MAC_A, MAC_B)
            .ipv4([3; 4], [4; 4])
            .build();
        assert_eq!(g.data[42], 2, "option length");
        assert_eq!(&g.data[44..46], &[0x65, 0x58]);
        assert_eq!(&g.data[46..49], &[0, 0, 100]);
        assert_eq!(
            &g.data[58 + 12..58 + 14],
            &[0x08, 0x00],
            "inner ethertype after 8 option bytes"
        );
    }
}
