//! IPv4 (print-ip.c): the header's parsed value, its parser (which keeps the
//! fixed fields of a header whose options are cut), and the `-v` header
//! line with options.

use super::demux::{self, SeqKey};
use super::num::push_ip4;
use super::text::Printer;
use super::{cksum, inet_checksum, Net, Summary, Transport};
use crate::proto::IpProto;
use core::fmt::Write;
use etherparse::Ipv4HeaderSlice;
use std::mem;
use std::net::Ipv4Addr;

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

/// Reads an IPv4 packet into `s.net`, then its transport layer.
pub(super) fn parse<'a>(s: &mut Summary<'a>, b: &'a [u8]) {
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
    super::transport(s, h.protocol().0, payload, len, false);
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

/// The IPv4 header (`IP `, with `-v` its fields) and everything after it.
pub(super) fn print(p: &mut Printer, out: &mut String, s: &Summary<'_>, ip: &Ipv4<'_>) {
    if !p.opts.link_header {
        out.push_str("IP ");
    }
    if ip.options_cut {
        let (src, dst) = (Ipv4Addr::from(ip.src), Ipv4Addr::from(ip.dst));
        if ip.frag_offset != 0 {
            let _ = write!(
                out,
                "{src} > {dst}: {}",
                demux::proto_label(ip.proto, p.opts.numeric)
            );
            return;
        }
        // print-tcp.c and print-udp.c would print the addresses themselves.
        if !matches!(ip.proto, 6 | 17 | 33 | 132) {
            let _ = write!(out, "{src} > {dst}: ");
        }
        let _ = write!(
            out,
            " [remaining caplen({}) < header length({})] [|ip]",
            ip.options.len() + 20,
            ip.header_len
        );
        return;
    }
    if p.opts.verbose > 0 {
        let _ = write!(out, "(tos 0x{:x}", ip.tos >> 2 << 2);
        match ip.tos & 3 {
            1 => out.push_str(",ECT(1)"),
            2 => out.push_str(",ECT(0)"),
            3 => out.push_str(",CE"),
            _ => {}
        }
        let _ = write!(
            out,
            ", ttl {}, id {}, offset {}, flags [",
            ip.ttl, ip.id, ip.frag_offset
        );
        let mut any = false;
        for (on, name) in [(ip.mf, "+"), (ip.df, "DF")] {
            if on {
                out.push_str(name);
                any = true;
            }
        }
        if !any {
            out.push_str("none");
        }
        let _ = write!(
            out,
            "], proto {} ({}), length {}",
            IpProto::from_raw(ip.proto).name().unwrap_or("unknown"),
            ip.proto,
            ip.total_len
        );
        if !ip.options.is_empty() {
            out.push_str(", options (");
            options(out, ip.options);
            out.push(')');
        }
        cksum::ip(out, ip.checksum, ip.checksum_ok);
        out.push_str(")\n    ");
    }
    // Two buffers kept for the addresses' text, so no allocation per packet.
    let (mut src, mut dst) = mem::take(&mut p.ip4_text);
    src.clear();
    dst.clear();
    push_ip4(&mut src, ip.src);
    push_ip4(&mut dst, ip.dst);
    demux::print(p, out, s, &src, &dst, key(ip));
    p.ip4_text = (src, dst);
}

/// The TCP connection key of an IPv4 packet's addresses.
fn key(ip: &Ipv4<'_>) -> SeqKey {
    let mut k = ([0u8; 16], [0u8; 16], 4);
    k.0[..4].copy_from_slice(&ip.src);
    k.1[..4].copy_from_slice(&ip.dst);
    k
}

/// IPv4 options as `-v` lists them.
fn options(out: &mut String, mut b: &[u8]) {
    let mut first = true;
    while let Some(&kind) = b.first() {
        if !first {
            out.push(',');
        }
        first = false;
        let len = if kind <= 1 {
            1
        } else {
            usize::from(b.get(1).copied().unwrap_or(0))
        };
        let name = match kind {
            0 => "EOL",
            1 => "NOP",
            7 => "RR",
            68 => "TS",
            130 => "security",
            131 => "LSRR",
            137 => "SSRR",
            148 => "RA",
            _ => "unknown",
        };
        out.push_str(name);
        if len < 1 || len > b.len() {
            out.push_str(" [bad length]");
            return;
        }
        if kind == 148 && len == 4 {
            let v = u16::from_be_bytes([b[2], b[3]]);
            if v != 0 {
                let _ = write!(out, " value {v}");
            }
        }
        b = &b[len..];
        if kind == 0 {
            break;
        }
    }
}
