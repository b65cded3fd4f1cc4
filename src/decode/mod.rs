//! Frame decoding: bytes of one frame to a [`Summary`], and a summary to a
//! tcpdump-style text line ([`text`]), a JSON line ([`json`]) or a hex dump
//! ([`hex`]).
//!
//! In: a link type and the captured bytes (possibly cut short by the
//! snapshot length). Out: a [`Summary`] of every layer that could be read.
//! Invariant: decoding is lax and total: it never panics and never fails; a
//! layer that is cut off is recorded as [`Summary::truncated`] and everything
//! before it is still shown.
//!
//! One file per protocol (or small family), each holding its parsed value,
//! its parser and its tcpdump-style printer side by side, as tcpdump has a
//! `print-*.c` per protocol: link layers ([`ether`] with VLAN tags, `sll`,
//! `null`), [`arp`], [`ip`], [`ip6`], the transports (`tcp`, `udp`, `icmp`,
//! `icmp6`, ...) and the application printers. `dispatch` holds the tables
//! that pick a printer by typed value ([`crate::proto::EtherType`],
//! [`crate::proto::IpProto`], well-known port): adding a protocol adds a
//! file and a table line. Truncation markers come from `trunc`, checksum
//! messages from [`cksum`].

mod arista;
pub mod arp;
mod atalk;
mod bcmli;
mod bfd;
mod bgp;
mod cdp;
mod cisco;
pub mod cksum;
mod dccp;
mod decnet;
mod demux;
pub mod dhcp;
mod dhcp6;
mod dispatch;
pub mod dns;
mod dnsname;
mod eapol;
mod eigrp;
pub mod ether;
mod geneve;
mod gre;
pub mod hex;
mod hsrp;
mod http;
mod icmp;
mod icmp6;
mod icmp6ni;
mod igmp;
mod igrp;
pub mod ip;
pub mod ip6;
mod ip6ext;
mod ipsec;
mod ipx;
mod ipxsap;
mod isakmp;
pub mod json;
mod llc;
mod lldp;
mod lldporg;
mod loopback;
mod mcast;
mod mpls;
mod names;
mod nd;
mod nsh;
mod ntp;
mod null;
mod num;
mod osi;
mod ospf;
mod ospf6;
mod oui;
mod pim;
pub mod ports;
mod ppp;
mod pppoe;
mod pppopt;
mod radius;
mod rip;
mod ripng;
mod sctp;
pub mod sll;
mod slow;
mod snmp;
mod ssh;
mod stp;
mod syslog;
pub mod tcp;
mod tcpopt;
mod telnet;
pub mod text;
mod tftp;
mod trunc;
mod txtproto;
mod udp;
mod util;
mod vrrp;
mod vxlan;

pub use arp::Arp;
pub use cksum::inet_checksum;
pub use ether::Vlan;
pub use http::http_line;
pub use ip::Ipv4;
pub use ip6::{Ipv6, Ipv6Ext};
pub use tcp::{tcp_flags, Tcp};

use crate::proto::{EtherType, IpProto};
use crate::LinkType;

/// The link layer of a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Ethernet II (or 802.3 when `ethertype` < 0x600, then it is a length).
    Ethernet {
        /// Source MAC address.
        src: [u8; 6],
        /// Destination MAC address.
        dst: [u8; 6],
        /// The EtherType after the addresses (before any VLAN tags).
        ethertype: u16,
    },
    /// Linux cooked capture v1 (`-i any`).
    Sll {
        /// `sll_pkttype` (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing).
        pkttype: u16,
        /// ARPHRD_ hardware type.
        hatype: u16,
        /// The link-layer source address (up to 8 bytes).
        addr: Vec<u8>,
        /// The protocol (an EtherType).
        protocol: u16,
        /// The interface index (LINUX_SLL2 only).
        ifindex: Option<u32>,
    },
    /// BSD or OpenBSD loopback: an address family.
    Null {
        /// The address family (2 IPv4; 24, 28 or 30 IPv6).
        family: u32,
    },
    /// Raw IP: no link header.
    Raw,
    /// The link header itself is cut off.
    Truncated,
}

/// The network layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Net<'a> {
    /// ARP or RARP.
    Arp(Arp),
    /// IPv4.
    Ipv4(Ipv4<'a>),
    /// IPv6.
    Ipv6(Ipv6<'a>),
    /// Some other EtherType, with its payload.
    Other {
        /// The EtherType (or LLC when below 0x600).
        ethertype: u16,
        /// The bytes after the link header.
        payload: &'a [u8],
    },
    /// Nothing could be read.
    None,
}

/// The transport layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transport<'a> {
    /// TCP.
    Tcp(Tcp<'a>),
    /// UDP.
    Udp {
        /// Source port.
        sport: u16,
        /// Destination port.
        dport: u16,
        /// Length field (header included).
        len: u16,
        /// The captured payload bytes.
        payload: &'a [u8],
    },
    /// ICMP (IPv4).
    Icmp {
        /// Type.
        ty: u8,
        /// Code.
        code: u8,
        /// Bytes after type, code and checksum.
        rest: &'a [u8],
        /// Length of the ICMP message from the IP header.
        len: u32,
    },
    /// ICMPv6.
    Icmp6 {
        /// Type.
        ty: u8,
        /// Code.
        code: u8,
        /// Bytes after type, code and checksum.
        rest: &'a [u8],
        /// Length of the ICMPv6 message from the IP header.
        len: u32,
    },
    /// A later fragment: no transport header in this packet.
    Fragment {
        /// The protocol number.
        proto: u8,
    },
    /// Another protocol, or a header cut off.
    Other {
        /// The protocol number.
        proto: u8,
        /// Length of the IP payload from the IP header.
        len: u32,
    },
    /// No transport layer (no IP).
    None,
}

/// Everything decoded from one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary<'a> {
    /// The link layer.
    pub link: Link,
    /// Offset of the network layer in the frame.
    pub link_len: usize,
    /// 802.1Q tags in order.
    pub vlans: Vec<Vlan>,
    /// The network layer.
    pub net: Net<'a>,
    /// The transport layer.
    pub transport: Transport<'a>,
    /// The first layer found cut off by the snapshot length (e.g. "tcp"), if any.
    pub truncated: Option<&'static str>,
    /// The captured bytes of the IP payload (transport header onwards),
    /// ending at the IP length.
    pub l4: &'a [u8],
    /// The IP payload's length from the IP header.
    pub l4_len: u32,
}

impl Summary<'_> {
    /// An empty summary: nothing read yet.
    fn empty() -> Self {
        Summary {
            link: Link::Truncated,
            link_len: 0,
            vlans: Vec::new(),
            net: Net::None,
            transport: Transport::None,
            truncated: None,
            l4: &[],
            l4_len: 0,
        }
    }

    /// The transport checksum over the pseudo-header and the whole
    /// segment with its checksum field as sent: 0 when correct, `None` when
    /// the segment is not wholly captured or the packet is no IPv4/IPv6.
    pub fn l4_checksum(&self, proto: u8) -> Option<u16> {
        if self.l4.len() as u32 != self.l4_len {
            return None;
        }
        let len = (self.l4_len as u16).to_be_bytes();
        let len32 = self.l4_len.to_be_bytes();
        let ph = [0, proto];
        let tail = [0, 0, 0, proto];
        Some(match &self.net {
            Net::Ipv4(ip) => inet_checksum(&[&ip.src, &ip.dst, &ph, &len, self.l4]),
            Net::Ipv6(ip) => inet_checksum(&[&ip.src, &ip.dst, &len32, &tail, self.l4]),
            _ => return None,
        })
    }

    /// The HTTP request or status line, when a TCP payload starts with one.
    pub fn http_line(&self) -> Option<&str> {
        match &self.transport {
            Transport::Tcp(t) => http_line(t.payload),
            _ => None,
        }
    }

    /// Whether the IP packet is a fragment (tcpdump checks no transport
    /// checksum then).
    pub fn fragmented(&self) -> bool {
        match &self.net {
            Net::Ipv4(ip) => ip.mf || ip.frag_offset != 0,
            Net::Ipv6(ip) => ip.exts.iter().any(|x| x.kind == 44),
            _ => false,
        }
    }
}

/// Decodes one frame of `linktype`. Never fails: what cannot be read is left out.
pub fn summarize(linktype: LinkType, data: &[u8]) -> Summary<'_> {
    let mut s = Summary::empty();
    let link = match linktype {
        LinkType::Ethernet => ether::parse(&mut s, data),
        LinkType::LinuxSll => sll::parse_v1(&mut s, data),
        LinkType::LinuxSll2 => sll::parse_v2(&mut s, data),
        LinkType::Null | LinkType::Loop => null::parse(&mut s, data, linktype == LinkType::Loop),
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => null::parse_raw(&mut s, data),
    };
    let Some((ethertype, off)) = link else {
        return s;
    };
    s.link_len = off;
    net(&mut s, ethertype, &data[off.min(data.len())..]);
    s
}

/// The network layer after the link header, by EtherType.
fn net<'a>(s: &mut Summary<'a>, ethertype: u16, rest: &'a [u8]) {
    match EtherType::from_raw(ethertype) {
        EtherType::Ipv4 => ip::parse(s, rest),
        EtherType::Ipv6 => ip6::parse(s, rest),
        EtherType::Arp | EtherType::Rarp => arp::parse(s, ethertype, rest),
        _ => {
            s.net = Net::Other {
                ethertype,
                payload: rest,
            }
        }
    }
}

/// The transport layer after the IP header(s), by IP protocol; `b` ends at
/// the IP length, `len` is the payload length from the IP header.
fn transport<'a>(s: &mut Summary<'a>, proto: u8, b: &'a [u8], len: u32, v6: bool) {
    s.transport = match IpProto::from_raw(proto) {
        IpProto::Tcp => tcp::parse(s, b, len),
        IpProto::Udp => udp::parse(s, b, len),
        IpProto::Icmp | IpProto::Icmpv6 => icmp::parse(s, proto, b, len, v6),
        _ => Transport::Other { proto, len },
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Packet;

    /// Every prefix of every corpus frame decodes and prints without a panic.
    #[test]
    fn every_prefix_of_the_corpus_decodes() {
        let frames = rawcap_corpus::frames();
        let mut p = text::Printer::new(text::TextOptions {
            verbose: 1,
            hex_ascii: 1,
            ..Default::default()
        });
        for f in frames.iter().step_by(3) {
            for n in 0..=f.data.len() {
                let pk = Packet::new(0, &f.data[..n], f.wire_len);
                let _ = p.format(LinkType::Ethernet, &pk);
                let _ = json::line(LinkType::Ethernet, &pk);
            }
        }
        // Other link types read the same bytes differently.
        for lt in crate::linktype::ALL {
            for f in frames.iter().step_by(7) {
                let pk = Packet::new(0, &f.data, f.wire_len);
                let _ = p.format(lt, &pk);
                let _ = json::line(lt, &pk);
            }
        }
    }
}
