//! The IP payload by protocol (print-ip-demux.c), shared by IPv4 and IPv6,
//! and what the transport printers need from the IP header ([`Ip`]).

use super::num::push_num;
use super::num::{ip4_text, push_ip4, push_ip6};
use super::text::Printer;
use super::trunc::{mark, Printed};
use super::{dispatch, inet_checksum, ports};
use crate::proto::IpProto;
use core::fmt::Write;

/// A TCP connection's key for the relative-sequence table: the two
/// addresses (IPv4 in the first 4 bytes) and, once the direction is known,
/// the ports; the last field starts as the IP version.
pub(super) type SeqKey = ([u8; 16], [u8; 16], u32);

/// What the printers above IP use of the IP header (tcpdump passes them
/// the header itself, `bp2`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Ip<'a> {
    /// IPv6 (else IPv4).
    pub v6: bool,
    /// Source address (4 or 16 bytes).
    pub src: &'a [u8],
    /// Destination address.
    pub dst: &'a [u8],
    /// The fixed header's protocol / next-header field: TCP and UDP print
    /// the addresses only when it names them.
    pub nh: u8,
    /// The destination the transport checksum's pseudo-header uses (the
    /// last hop of a source route).
    pub ck_dst: [u8; 16],
}

impl<'a> Ip<'a> {
    /// An IPv4 header of `hlen` bytes at the start of `h`.
    pub(super) fn v4(h: &'a [u8], hlen: usize) -> Self {
        let mut ck_dst = [0u8; 16];
        let hdr = &h[..hlen.min(h.len())];
        ck_dst[..4].copy_from_slice(&super::ip::final_dst(hdr));
        Ip {
            v6: false,
            src: &h[12..16],
            dst: &h[16..20],
            nh: h[9],
            ck_dst,
        }
    }

    /// An IPv6 header (40 bytes at the start of `h`) whose checksum
    /// destination is `ck_dst`.
    pub(super) fn v6(h: &'a [u8], ck_dst: [u8; 16]) -> Self {
        Ip {
            v6: true,
            src: &h[8..24],
            dst: &h[24..40],
            nh: h[6],
            ck_dst,
        }
    }

    /// An address's text.
    pub(super) fn addr(a: &[u8]) -> String {
        if let Some(name) = super::names::lookup(a) {
            return name;
        }
        match <[u8; 16]>::try_from(a) {
            Ok(x) => {
                let mut s = String::with_capacity(39);
                push_ip6(&mut s, x);
                s
            }
            Err(_) => ip4_text(a),
        }
    }

    /// Appends an address's text (IPv4 without core::fmt: hot in `-nr`).
    pub(super) fn push_addr(out: &mut String, a: &[u8]) {
        if let Some(name) = super::names::lookup(a) {
            out.push_str(&name);
        } else if let Ok(x) = <[u8; 4]>::try_from(a) {
            push_ip4(out, x);
        } else if let Ok(x) = <[u8; 16]>::try_from(a) {
            push_ip6(out, x);
        } else {
            out.push_str(&ip4_text(a));
        }
    }

    /// `src > dst` text.
    pub(super) fn src_text(&self) -> String {
        Ip::addr(self.src)
    }

    /// `dst` text.
    pub(super) fn dst_text(&self) -> String {
        Ip::addr(self.dst)
    }

    /// The Internet checksum over the pseudo-header for `proto` and
    /// `data` (nextproto4_cksum / nextproto6_cksum): 0 when right.
    pub(super) fn checksum(&self, proto: u8, len: usize, data: &[u8]) -> u16 {
        self.checksum_cov(proto, len, data)
    }

    /// [`Ip::checksum`] over the first `data.len()` bytes of a `len`-byte
    /// message (DCCP's partial checksum coverage).
    pub(super) fn checksum_cov(&self, proto: u8, len: usize, data: &[u8]) -> u16 {
        if self.v6 {
            let l = (len as u32).to_be_bytes();
            inet_checksum(&[self.src, &self.ck_dst, &l, &[0, 0, 0, proto], data])
        } else {
            let l = (len as u16).to_be_bytes();
            inet_checksum(&[self.src, &self.ck_dst[..4], &[0, proto], &l, data])
        }
    }

    /// The relative-sequence key for TCP.
    pub(super) fn seq_key(&self) -> SeqKey {
        let mut k = ([0u8; 16], [0u8; 16], if self.v6 { 6 } else { 4 });
        k.0[..self.src.len()].copy_from_slice(self.src);
        k.1[..self.dst.len()].copy_from_slice(self.dst);
        k
    }
}

/// `src.sport > dst.dport: ` when the header names `proto`, else
/// `sport > dport: ` (tcpdump's tcp_print and udpipaddr_print).
pub(super) fn ports(p: &Printer, out: &mut String, ip: &Ip<'_>, proto: u8, sport: u16, dport: u16) {
    let tcp = proto == 6;
    if ip.nh == proto {
        Ip::push_addr(out, ip.src);
        out.push('.');
        push_port(p, out, tcp, sport);
        out.push_str(" > ");
        Ip::push_addr(out, ip.dst);
        out.push('.');
        push_port(p, out, tcp, dport);
    } else {
        push_port(p, out, tcp, sport);
        out.push_str(" > ");
        push_port(p, out, tcp, dport);
    }
    out.push_str(": ");
}

/// A port, named from the services table unless `-n`.
pub(super) fn push_port(p: &Printer, out: &mut String, tcp: bool, port: u16) {
    if !p.opts.numeric {
        let name = if tcp {
            ports::tcp(port)
        } else {
            ports::udp(port)
        };
        if let Some(n) = name {
            out.push_str(n);
            return;
        }
    }
    push_num(out, u64::from(port));
}

/// ip_demux_print: the payload of protocol `nh`, `length` bytes by the IP
/// header, `data` of them captured.
#[allow(clippy::too_many_arguments)]
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
    ip: &Ip<'_>,
    fragmented: bool,
    ttl: u8,
    nh: u8,
) -> Printed {
    let mut data = data;
    let mut length = length;
    let mut nh = nh;
    loop {
        let proto = IpProto::from_raw(nh);
        match proto {
            IpProto::Ah => {
                if data.is_empty() {
                    mark(out, "ah");
                    return Ok(());
                }
                nh = data[0];
                let advance = super::ipsec::ah(p, out, data)?;
                let Some(advance) = advance.filter(|&a| a > 0) else {
                    return Ok(());
                };
                data = data.get(advance..).unwrap_or(&[]);
                length = length.saturating_sub(advance);
                continue;
            }
            IpProto::Icmp if ip.v6 => requires(out, "ICMP", "IPv4"),
            IpProto::Igmp if ip.v6 => requires(out, "IGMP", "IPv4"),
            IpProto::Icmpv6 if !ip.v6 => requires(out, "ICMPv6", "IPv6"),
            IpProto::Ethernet if !ip.v6 => requires(out, "Ethernet", "IPv6"),
            IpProto::NoNext => out.push_str("no next header"),
            IpProto::Nd => {
                let _ = write!(out, " nd {length}");
            }
            _ => match dispatch::ip_proto(proto) {
                Some(f) => {
                    let seg = dispatch::IpPayload {
                        data,
                        length,
                        ip,
                        fragmented,
                        ttl,
                    };
                    return f(p, out, &seg);
                }
                None => {
                    match proto.netdb_name() {
                        Some(n) if !p.opts.numeric => {
                            let _ = write!(out, " {n}");
                        }
                        _ => {
                            let _ = write!(out, " ip-proto-{nh}");
                        }
                    }
                    let _ = write!(out, " {length}");
                }
            },
        }
        return Ok(());
    }
}

/// `[ICMP requires IPv4] (invalid)`.
fn requires(out: &mut String, what: &str, ver: &str) {
    let _ = write!(out, "[{what} requires {ver}] (invalid)");
}

/// The lower-case protocol name for an IP protocol number (JSON's `proto`).
pub fn proto_name(p: u8) -> String {
    match p {
        0 => "hopopt".into(),
        1 => "icmp".into(),
        2 => "igmp".into(),
        4 => "ipip".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        41 => "ip6".into(),
        47 => "gre".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        58 => "icmp6".into(),
        89 => "ospf".into(),
        103 => "pim".into(),
        112 => "vrrp".into(),
        132 => "sctp".into(),
        n => format!("ip-proto-{n}"),
    }
}
