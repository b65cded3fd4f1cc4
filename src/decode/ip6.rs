//! IPv6 and its extension headers (print-ip6.c, print-rt6.c, print-frag6.c,
//! print-ip6opts.c): the parsed header and extension chain, and their text.

use super::demux::{self, SeqKey};
use super::ipsec;
use super::num::{be16, be32};
use super::text::Printer;
use super::{Net, Summary, Transport};
use crate::proto::IpProto;
use core::fmt::Write;
use etherparse::Ipv6HeaderSlice;
use std::net::Ipv6Addr;

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

/// Reads an IPv6 packet and its extension headers into `s.net`, then its
/// transport layer.
pub(super) fn parse<'a>(s: &mut Summary<'a>, b: &'a [u8]) {
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
    super::transport(s, next, payload, len, true);
}

/// The IPv6 header (`IP6 `, with `-v` its fields), the extension headers
/// and everything after them.
pub(super) fn print(p: &mut Printer, out: &mut String, s: &Summary<'_>, ip: &Ipv6<'_>) {
    let verbose = p.opts.verbose > 0;
    if !p.opts.link_header {
        out.push_str("IP6 ");
    }
    if verbose {
        out.push('(');
        if ip.tclass != 0 {
            let _ = write!(out, "class 0x{:x}, ", ip.tclass);
        }
        if ip.flow != 0 {
            let _ = write!(out, "flowlabel 0x{:05x}, ", ip.flow);
        }
        let _ = write!(
            out,
            "hlim {}, next-header {} ({}) payload length: {}) ",
            ip.hlim,
            IpProto::from_raw(ip.next_header)
                .name()
                .unwrap_or("unknown"),
            ip.next_header,
            ip.payload_len
        );
    }
    let src = Ipv6Addr::from(ip.src).to_string();
    let dst = Ipv6Addr::from(ip.dst).to_string();
    if !ip.exts.is_empty() || ip.cut.is_some() {
        let _ = write!(out, "{src} > {dst}: ");
        let mut off = 40u32;
        for x in &ip.exts {
            off += u32::from(x.len);
            match x.kind {
                0 | 60 => {
                    out.push_str(if x.kind == 0 { "HBH " } else { "DSTOPT " });
                    if verbose {
                        options(out, x.body);
                    }
                }
                43 => rt6(out, x.body, x.len / 8 - 1, verbose),
                51 => ipsec::ah(out, x.body, usize::from(x.len)),
                _ => {
                    let rest = (40 + u32::from(ip.payload_len)).saturating_sub(off);
                    if verbose {
                        let _ = write!(out, "frag (0x{:08x}:{}|{rest})", x.id, x.frag_offset);
                    } else {
                        let _ = write!(out, "frag ({}|{rest})", x.frag_offset);
                    }
                    // A later fragment ends the line here.
                    if x.frag_offset == 0 {
                        out.push(' ');
                    }
                }
            }
        }
    }
    if let Some((kind, bytes)) = ip.cut {
        match kind {
            43 if bytes.is_empty() => out.push_str(" [|ip6]"),
            // A fragment header with its offset: already shown.
            44 if bytes.len() >= 4 => {}
            43 => {
                let f = |i: usize| bytes.get(i).map(u8::to_string);
                if let (Some(l), Some(t), Some(sl)) = (f(1), f(2), f(3)) {
                    let _ = write!(out, "RT6 (len={l}, type={t}, segleft={sl}");
                }
                out.push_str(" [|rt6]");
            }
            51 => {
                let total = bytes.get(1).map_or(0, |&l| (usize::from(l) + 2) * 4);
                ipsec::ah(out, bytes.get(2..).unwrap_or(&[]), total);
            }
            _ => {
                let _ = write!(out, " [|{}]", s.truncated.unwrap_or("ip6"));
            }
        }
        return;
    }
    let mut key: SeqKey = ([0u8; 16], [0u8; 16], 6);
    key.0.copy_from_slice(&ip.src);
    key.1.copy_from_slice(&ip.dst);
    if ip.exts.is_empty() {
        demux::print(p, out, s, &src, &dst, key);
    } else {
        // After extension headers tcpdump shows ports without addresses.
        demux::print(p, out, s, "", "", key);
    }
}

/// print-rt6.c: an IPv6 routing header; `body` starts at its type byte.
fn rt6(out: &mut String, body: &[u8], len: u16, verbose: bool) {
    let (Some(&ty), Some(&segleft)) = (body.first(), body.get(1)) else {
        out.push_str(" [|srcrt]");
        return;
    };
    let _ = write!(out, "RT6 (len={len}, type={ty}");
    if ty == 0 {
        out.push_str(" [Deprecated]");
    }
    let _ = write!(out, ", segleft={segleft}");
    match ty {
        0 | 2 => {
            let rsv = body.get(2..6).map_or(0, be32);
            if rsv != 0 || verbose {
                let _ = write!(out, ", rsv=0x{rsv:x}");
            }
        }
        4 => {
            let (le, flags) = (
                body.get(2).copied().unwrap_or(0),
                body.get(3).copied().unwrap_or(0),
            );
            let _ = write!(out, ", last-entry={le}");
            if flags != 0 || verbose {
                let _ = write!(out, ", flags=0x{flags:x}");
            }
            let _ = write!(out, ", tag={:x}", be16(body, 4).unwrap_or(0));
        }
        _ => {}
    }
    for i in 0..usize::from(len / 2) {
        let Some(a) = body.get(6 + i * 16..22 + i * 16) else {
            out.push_str(" [|srcrt]");
            return;
        };
        let mut b = [0u8; 16];
        b.copy_from_slice(a);
        let _ = write!(out, ", [{i}]{}", Ipv6Addr::from(b));
    }
    out.push_str(") ");
}

/// IPv6 hop-by-hop / destination options as `-v` shows them.
fn options(out: &mut String, b: &[u8]) {
    let mut i = 0;
    while i < b.len() {
        let t = b[i];
        if t == 0 {
            out.push_str("(pad1) ");
            i += 1;
            continue;
        }
        let Some(&l) = b.get(i + 1) else {
            break;
        };
        let l = usize::from(l);
        let d = b.get(i + 2..i + 2 + l).unwrap_or(&[]);
        match t {
            1 => out.push_str("(padn)"),
            5 if d.len() == 2 => {
                let _ = write!(out, "(rtalert: 0x{:02x}{:02x})", d[0], d[1]);
            }
            0xc2 if d.len() == 4 => {
                let _ = write!(out, "(jumbo: {})", be32(d));
            }
            _ => {
                let _ = write!(out, "(type 0x{t:02x}: len={l})");
            }
        }
        out.push(' ');
        i += 2 + l;
    }
}
