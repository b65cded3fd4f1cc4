//! Frame decoding: bytes of one frame to a [`Summary`], and a summary to a
//! tcpdump-style text line ([`text`]), a JSON line ([`json`]) or a hex dump
//! ([`hex`]).
//!
//! In: a link type and the captured bytes (possibly cut short by the
//! snapshot length). Out: a [`Summary`] of every layer that could be read.
//! Invariant: decoding is lax and total: it never panics and never fails; a
//! layer that is cut off is recorded as [`Summary::truncated`] and everything
//! before it is still shown. Headers are read with etherparse's slices.

pub mod hex;
pub mod json;
pub mod ports;
pub mod text;

use crate::LinkType;
use etherparse::{
    ArpPacketSlice, Ethernet2HeaderSlice, Ipv4HeaderSlice, Ipv6HeaderSlice, SingleVlanHeaderSlice,
    TcpHeaderSlice, UdpHeaderSlice,
};

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

/// One 802.1Q / 802.1ad tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vlan {
    /// The tag protocol identifier (0x8100, 0x88a8, 0x9100).
    pub tpid: u16,
    /// VLAN id.
    pub id: u16,
    /// Priority code point.
    pub pcp: u8,
    /// Drop eligible indicator.
    pub dei: bool,
    /// The EtherType after this tag.
    pub ethertype: u16,
}

/// An ARP packet (Ethernet/IPv4 form, other forms only by operation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arp {
    /// Hardware type.
    pub htype: u16,
    /// Protocol type.
    pub ptype: u16,
    /// Operation (1 request, 2 reply, 3/4 RARP).
    pub op: u16,
    /// Sender hardware address.
    pub sha: Vec<u8>,
    /// Sender protocol address.
    pub spa: Vec<u8>,
    /// Target hardware address.
    pub tha: Vec<u8>,
    /// Target protocol address.
    pub tpa: Vec<u8>,
}

/// An IPv4 header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv4<'a> {
    /// Source address.
    pub src: [u8; 4],
    /// Destination address.
    pub dst: [u8; 4],
    /// Type of service byte.
    pub tos: u8,
    /// Time to live.
    pub ttl: u8,
    /// Identification.
    pub id: u16,
    /// Don't-fragment flag.
    pub df: bool,
    /// More-fragments flag.
    pub mf: bool,
    /// Fragment offset in bytes.
    pub frag_offset: u16,
    /// Protocol number.
    pub proto: u8,
    /// Total length field.
    pub total_len: u16,
    /// Header length in bytes.
    pub header_len: u16,
    /// Header checksum field.
    pub checksum: u16,
    /// Whether the header checksum is right.
    pub checksum_ok: bool,
    /// Option bytes (those captured).
    pub options: &'a [u8],
    /// The fixed header was captured but not all of its options.
    pub options_cut: bool,
}

/// One IPv6 extension header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6Ext<'a> {
    /// The captured header bytes after the next-header and length bytes.
    pub body: &'a [u8],
    /// The header's length in bytes.
    pub len: u16,
    /// Its protocol number (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options, 51 AH).
    pub kind: u8,
    /// Fragment offset in bytes (fragment header only).
    pub frag_offset: u16,
    /// More-fragments flag (fragment header only).
    pub more: bool,
    /// Identification (fragment header only).
    pub id: u32,
}

/// An IPv6 header and its extension headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6<'a> {
    /// Source address.
    pub src: [u8; 16],
    /// Destination address.
    pub dst: [u8; 16],
    /// Traffic class.
    pub tclass: u8,
    /// Flow label.
    pub flow: u32,
    /// Hop limit.
    pub hlim: u8,
    /// Payload length field.
    pub payload_len: u16,
    /// The next-header value after the fixed header.
    pub next_header: u8,
    /// Extension headers in order.
    pub exts: Vec<Ipv6Ext<'a>>,
    /// The upper-layer protocol after the extension headers.
    pub proto: u8,
    /// An extension header cut by the snapshot length: its kind and the
    /// bytes of it that were captured.
    pub cut: Option<(u8, &'a [u8])>,
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

/// TCP header fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tcp<'a> {
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Flag bits (FIN 0x01 .. CWR 0x80, AE 0x100).
    pub flags: u16,
    /// Window.
    pub win: u16,
    /// Urgent pointer.
    pub urp: u16,
    /// Checksum field.
    pub checksum: u16,
    /// Header length in bytes.
    pub header_len: u16,
    /// Option bytes.
    pub options: &'a [u8],
    /// Payload length from the IP lengths (not the captured bytes).
    pub payload_len: u32,
    /// The captured payload bytes.
    pub payload: &'a [u8],
    /// Only the ports were captured (fewer than 20 header bytes).
    pub header_cut: bool,
    /// The options are cut off by the snapshot length after `options`.
    pub options_cut: bool,
}

/// TCP flag bits.
pub mod tcp_flags {
    /// FIN.
    pub const FIN: u16 = 0x01;
    /// SYN.
    pub const SYN: u16 = 0x02;
    /// RST.
    pub const RST: u16 = 0x04;
    /// PSH.
    pub const PSH: u16 = 0x08;
    /// ACK.
    pub const ACK: u16 = 0x10;
    /// URG.
    pub const URG: u16 = 0x20;
    /// ECE.
    pub const ECE: u16 = 0x40;
    /// CWR.
    pub const CWR: u16 = 0x80;
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
}

impl Summary<'_> {
    /// The HTTP request or status line, when a TCP payload starts with one.
    pub fn http_line(&self) -> Option<&str> {
        match &self.transport {
            Transport::Tcp(t) => http_line(t.payload),
            _ => None,
        }
    }
}

const HTTP_METHODS: &[&str] = &[
    "GET", "PUT", "POST", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
];

/// The first line of `payload` if it is an HTTP request or status line.
pub fn http_line(payload: &[u8]) -> Option<&str> {
    let end = payload.iter().position(|&b| b == b'\r' || b == b'\n')?;
    let line = core::str::from_utf8(&payload[..end]).ok()?;
    let first = line.split(' ').next()?;
    let is_req = HTTP_METHODS.contains(&first) && line.contains(" HTTP/");
    if is_req || line.starts_with("HTTP/") {
        Some(line)
    } else {
        None
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Decodes one frame of `linktype`. Never fails: what cannot be read is left out.
pub fn summarize(linktype: LinkType, data: &[u8]) -> Summary<'_> {
    let mut s = Summary {
        link: Link::Truncated,
        link_len: 0,
        vlans: Vec::new(),
        net: Net::None,
        transport: Transport::None,
        truncated: None,
        l4: &[],
        l4_len: 0,
    };
    let (ethertype, off) = match linktype {
        LinkType::Ethernet => {
            let Ok(eth) = Ethernet2HeaderSlice::from_slice(data) else {
                s.truncated = Some("ether");
                return s;
            };
            let et = eth.ether_type().0;
            s.link = Link::Ethernet {
                src: eth.source(),
                dst: eth.destination(),
                ethertype: et,
            };
            let mut et = et;
            let mut off = 14;
            while matches!(et, 0x8100 | 0x88a8 | 0x9100) && s.vlans.len() < 8 {
                let Ok(v) = SingleVlanHeaderSlice::from_slice(&data[off..]) else {
                    s.truncated = Some("vlan");
                    s.link_len = off;
                    return s;
                };
                let tag = Vlan {
                    tpid: et,
                    id: v.vlan_identifier().value(),
                    pcp: v.priority_code_point().value(),
                    dei: v.drop_eligible_indicator(),
                    ethertype: v.ether_type().0,
                };
                et = tag.ethertype;
                s.vlans.push(tag);
                off += 4;
            }
            (et, off)
        }
        LinkType::LinuxSll => {
            if data.len() < 16 {
                s.truncated = Some("sll");
                return s;
            }
            let alen = usize::from(be16(data, 4).unwrap_or(0)).min(8);
            let proto = be16(data, 14).unwrap_or(0);
            s.link = Link::Sll {
                pkttype: be16(data, 0).unwrap_or(0),
                hatype: be16(data, 2).unwrap_or(0),
                addr: data[6..6 + alen].to_vec(),
                protocol: proto,
            };
            (proto, 16)
        }
        LinkType::LinuxSll2 => {
            use crate::linktype::sll2;
            if data.len() < sll2::HDR_LEN {
                s.truncated = Some("sll2");
                return s;
            }
            let alen = usize::from(data[sll2::HALEN]).min(8);
            let proto = be16(data, sll2::PROTOCOL).unwrap_or(0);
            s.link = Link::Sll {
                pkttype: u16::from(data[sll2::PKTTYPE]),
                hatype: be16(data, sll2::HATYPE).unwrap_or(0),
                addr: data[sll2::ADDR..sll2::ADDR + alen].to_vec(),
                protocol: proto,
            };
            (proto, sll2::HDR_LEN)
        }
        LinkType::Null | LinkType::Loop => {
            if data.len() < 4 {
                s.truncated = Some("loopback");
                return s;
            }
            let raw = [data[0], data[1], data[2], data[3]];
            let family = if linktype == LinkType::Loop {
                u32::from_be_bytes(raw)
            } else {
                // Host order of the writer: accept either.
                crate::linktype::null_family(raw)
            };
            s.link = Link::Null { family };
            let et = match family {
                2 => 0x0800,
                24 | 28 | 30 | 10 => 0x86dd,
                _ => 0,
            };
            (et, 4)
        }
        LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => {
            s.link = Link::Raw;
            let et = match data.first().map(|b| b >> 4) {
                Some(6) => 0x86dd,
                _ => 0x0800,
            };
            (et, 0)
        }
    };
    s.link_len = off;
    let rest = &data[off.min(data.len())..];
    match ethertype {
        0x0800 => ipv4(&mut s, rest),
        0x86dd => ipv6(&mut s, rest),
        0x0806 | 0x8035 => match ArpPacketSlice::from_slice(rest) {
            Ok(a) => {
                s.net = Net::Arp(Arp {
                    htype: a.hw_addr_type().0,
                    ptype: a.proto_addr_type().0,
                    op: a.operation().0,
                    sha: a.sender_hw_addr().to_vec(),
                    spa: a.sender_protocol_addr().to_vec(),
                    tha: a.target_hw_addr().to_vec(),
                    tpa: a.target_protocol_addr().to_vec(),
                })
            }
            Err(_) => {
                s.net = Net::Other {
                    ethertype,
                    payload: rest,
                };
                s.truncated = Some("arp");
            }
        },
        _ => {
            s.net = Net::Other {
                ethertype,
                payload: rest,
            }
        }
    }
    s
}

fn ipv4<'a>(s: &mut Summary<'a>, b: &'a [u8]) {
    let Ok(h) = Ipv4HeaderSlice::from_slice(b) else {
        s.truncated = Some("ip");
        options_cut(s, b);
        return;
    };
    let hl = usize::from(h.ihl()) * 4;
    let total = usize::from(h.total_len());
    let frag_offset = h.fragments_offset().value() * 8;
    let header = &b[..hl];
    let checksum_ok = inet_checksum(&[header]) == 0;
    s.net = Net::Ipv4(Ipv4 {
        src: h.source(),
        dst: h.destination(),
        tos: b[1],
        ttl: h.ttl(),
        id: h.identification(),
        df: h.dont_fragment(),
        mf: h.more_fragments(),
        frag_offset,
        proto: h.protocol().0,
        total_len: h.total_len(),
        header_len: hl as u16,
        checksum: h.header_checksum(),
        checksum_ok,
        options: h.options(),
        options_cut: false,
    });
    // The payload ends at the IP length (Ethernet padding is not payload).
    let end = total.clamp(hl, b.len().max(hl));
    let payload = &b[hl..end.min(b.len())];
    let len = total.saturating_sub(hl) as u32;
    s.l4 = payload;
    s.l4_len = len;
    if frag_offset != 0 {
        s.transport = Transport::Fragment {
            proto: h.protocol().0,
        };
        return;
    }
    transport(s, h.protocol().0, payload, len, false);
}

/// An IPv4 header whose fixed part is captured but whose options are cut:
/// keep the fixed fields (tcpdump shows the addresses of such packets).
fn options_cut<'a>(s: &mut Summary<'a>, b: &'a [u8]) {
    let (Some(f), Some(&vhl)) = (b.get(..20), b.first()) else {
        return;
    };
    let hl = usize::from(vhl & 0xf) * 4;
    if vhl >> 4 != 4 || hl <= b.len() || hl < 20 {
        return;
    }
    let word = |at: usize| u16::from_be_bytes([f[at], f[at + 1]]);
    let frag = word(6);
    let mut addr = [[0u8; 4]; 2];
    addr[0].copy_from_slice(&f[12..16]);
    addr[1].copy_from_slice(&f[16..20]);
    s.net = Net::Ipv4(Ipv4 {
        src: addr[0],
        dst: addr[1],
        tos: f[1],
        ttl: f[8],
        id: word(4),
        df: frag & 0x4000 != 0,
        mf: frag & 0x2000 != 0,
        frag_offset: (frag & 0x1fff) * 8,
        proto: f[9],
        total_len: word(2),
        header_len: hl as u16,
        checksum: word(10),
        checksum_ok: false,
        options: &b[20..],
        options_cut: true,
    });
    if frag & 0x1fff != 0 {
        s.transport = Transport::Fragment { proto: f[9] };
    }
}

fn ipv6<'a>(s: &mut Summary<'a>, b: &'a [u8]) {
    let Ok(h) = Ipv6HeaderSlice::from_slice(b) else {
        s.truncated = Some("ip6");
        return;
    };
    let mut exts = Vec::new();
    let mut next = h.next_header().0;
    let mut off = 40;
    let plen = usize::from(h.payload_length());
    let mut later_fragment = false;
    let mut cut = None;
    while matches!(next, 0 | 43 | 44 | 60 | 51) && exts.len() < 16 {
        let avail = b.get(off..).unwrap_or(&[]);
        let whole = match (next, avail.get(1)) {
            // The offset is all a fragment header needs to be shown.
            (44, _) if (4..8).contains(&avail.len()) => 4,
            (44, _) => 8,
            (51, Some(&l)) => (usize::from(l) + 2) * 4,
            (_, Some(&l)) => (usize::from(l) + 1) * 8,
            (_, None) => usize::MAX,
        };
        let end = off.saturating_add(if next == 44 { whole } else { whole.max(8) });
        let Some(e) = b.get(off..end) else {
            s.truncated = Some(match next {
                0 => "hbhopt",
                60 => "dstopt",
                44 => "frag6",
                51 => "ah",
                _ => "rt6",
            });
            cut = Some((next, avail));
            break;
        };
        let mut ext = Ipv6Ext {
            body: &[],
            len: 0,
            kind: next,
            frag_offset: 0,
            more: false,
            id: 0,
        };
        let len = match next {
            44 => {
                let fo = u16::from_be_bytes([e[2], e[3]]);
                ext.frag_offset = fo & 0xfff8;
                ext.more = fo & 1 != 0;
                ext.id = e
                    .get(4..8)
                    .map_or(0, |i| u32::from_be_bytes([i[0], i[1], i[2], i[3]]));
                later_fragment = ext.frag_offset != 0;
                8
            }
            51 => (usize::from(e[1]) + 2) * 4,
            _ => (usize::from(e[1]) + 1) * 8,
        };
        next = e[0];
        if ext.kind == 44 && e.len() < 8 {
            // Only the offset of this fragment header was captured: show
            // it and stop, as tcpdump does.
            ext.len = 8;
            exts.push(ext);
            s.truncated = Some("frag6");
            cut = Some((44, e));
            break;
        }
        ext.body = b.get(off + 2..(off + len).min(b.len())).unwrap_or(&[]);
        ext.len = len as u16;
        off += len;
        exts.push(ext);
        if later_fragment {
            break;
        }
    }
    let truncated = s.truncated.is_some();
    s.net = Net::Ipv6(Ipv6 {
        src: h.source(),
        dst: h.destination(),
        tclass: h.traffic_class(),
        flow: h.flow_label().value(),
        hlim: h.hop_limit(),
        payload_len: h.payload_length(),
        next_header: h.next_header().0,
        exts,
        proto: next,
        cut,
    });
    if truncated {
        return;
    }
    if later_fragment {
        s.transport = Transport::Fragment { proto: next };
        return;
    }
    let end = (40 + plen).min(b.len());
    let payload = b.get(off..end).unwrap_or(&[]);
    let len = (40 + plen).saturating_sub(off) as u32;
    s.l4 = payload;
    s.l4_len = len;
    transport(s, next, payload, len, true);
}

fn transport<'a>(s: &mut Summary<'a>, proto: u8, b: &'a [u8], len: u32, v6: bool) {
    s.transport = match proto {
        6 => match TcpHeaderSlice::from_slice(b) {
            Ok(t) => {
                let hl = usize::from(t.data_offset()) * 4;
                let flags = u16::from(b[13]) | (u16::from(b[12] & 1) << 8);
                Transport::Tcp(Tcp {
                    sport: t.source_port(),
                    dport: t.destination_port(),
                    seq: t.sequence_number(),
                    ack: t.acknowledgment_number(),
                    flags,
                    win: t.window_size(),
                    urp: t.urgent_pointer(),
                    checksum: t.checksum(),
                    header_len: hl as u16,
                    options: &b[20..hl],
                    payload_len: len.saturating_sub(hl as u32),
                    payload: &b[hl..],
                    header_cut: false,
                    options_cut: false,
                })
            }
            Err(_) if b.len() >= 4 => {
                // Cut by the snapshot length: keep what is there.
                s.truncated = Some("tcp");
                let fixed = b.len() >= 20;
                let hl = if fixed {
                    usize::from(b[12] >> 4) * 4
                } else {
                    20
                };
                let u32_at = |at: usize| {
                    b.get(at..at + 4)
                        .map_or(0, |x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
                };
                Transport::Tcp(Tcp {
                    sport: be16(b, 0).unwrap_or(0),
                    dport: be16(b, 2).unwrap_or(0),
                    seq: u32_at(4),
                    ack: u32_at(8),
                    flags: if fixed {
                        u16::from(b[13]) | (u16::from(b[12] & 1) << 8)
                    } else {
                        0
                    },
                    win: be16(b, 14).unwrap_or(0),
                    urp: be16(b, 18).unwrap_or(0),
                    checksum: be16(b, 16).unwrap_or(0),
                    header_len: hl as u16,
                    options: b.get(20..hl.min(b.len())).unwrap_or(&[]),
                    payload_len: len.saturating_sub(hl as u32),
                    payload: &[],
                    header_cut: !fixed,
                    options_cut: fixed,
                })
            }
            Err(_) => {
                s.truncated = Some("tcp");
                Transport::Other { proto, len }
            }
        },
        17 => match UdpHeaderSlice::from_slice(b) {
            Ok(u) => Transport::Udp {
                sport: u.source_port(),
                dport: u.destination_port(),
                len: u.length(),
                payload: &b[8..],
            },
            Err(_) if b.len() >= 4 => {
                // The ports are there, the length and checksum are not.
                s.truncated = Some("udp");
                Transport::Udp {
                    sport: be16(b, 0).unwrap_or(0),
                    dport: be16(b, 2).unwrap_or(0),
                    len: 0,
                    payload: &[],
                }
            }
            Err(_) => {
                s.truncated = Some("udp");
                Transport::Other { proto, len }
            }
        },
        // Type and code are enough for some messages; the printer asks
        // for more where it needs it.
        1 | 58 if b.len() >= 2 => {
            let (ty, code, rest) = (b[0], b[1], b.get(4..).unwrap_or(&[]));
            if v6 && proto == 58 {
                Transport::Icmp6 {
                    ty,
                    code,
                    rest,
                    len,
                }
            } else {
                Transport::Icmp {
                    ty,
                    code,
                    rest,
                    len,
                }
            }
        }
        1 | 58 => {
            s.truncated = Some(if proto == 1 { "icmp" } else { "icmp6" });
            Transport::Other { proto, len }
        }
        _ => Transport::Other { proto, len },
    };
}

/// The Internet checksum (RFC 1071) over the concatenation of `parts`;
/// 0 when a packet including its checksum field is intact.
pub fn inet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for p in parts {
        for &byte in p.iter() {
            match odd.take() {
                Some(hi) => sum += u64::from(u16::from_be_bytes([hi, byte])),
                None => odd = Some(byte),
            }
        }
    }
    if let Some(hi) = odd {
        sum += u64::from(u16::from_be_bytes([hi, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
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
        for lt in [
            LinkType::LinuxSll,
            LinkType::Raw,
            LinkType::Null,
            LinkType::Loop,
        ] {
            for f in frames.iter().step_by(7) {
                let pk = Packet::new(0, &f.data, f.wire_len);
                let _ = p.format(lt, &pk);
                let _ = json::line(lt, &pk);
            }
        }
    }
}
