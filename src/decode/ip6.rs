//! IPv6 and its extension headers (print-ip6.c, print-rt6.c, print-frag6.c,
//! print-ip6opts.c): the parsed header and extension chain, and their text.

use super::demux::{self, Ip};
use super::ip6ext;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::{Net, Summary, Transport};
use crate::proto::IpProto;
use core::fmt::Write;
use etherparse::Ipv6HeaderSlice;

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

/// print-ip6.c's ip6_print: an IPv6 packet of `length` bytes, `data` of
/// them captured, with its extension headers.
pub(super) fn print_packet(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Printed {
    let b = Bytes::new(data, "ip6");
    if data.len() < 40 {
        mark(out, "ip6");
        return Ok(());
    }
    if length < 40 {
        let _ = write!(out, "truncated-ip6 {length}");
        return Ok(());
    }
    if !p.opts.link_header {
        out.push_str("IP6 ");
    }
    let version = b.u8(0)? >> 4;
    if version != 6 {
        let _ = write!(out, "version error: {version} != 6");
        return Ok(());
    }
    let mut payload_len = u32::from(b.be16(4)?);
    let mut len = if payload_len != 0 {
        let l = payload_len as usize + 40;
        if length < l {
            let _ = write!(out, "truncated-ip6 - {} bytes missing!", l - length);
        }
        l
    } else {
        length + 40
    };
    let mut nh = b.u8(6)?;
    if p.opts.verbose > 0 {
        let flow = b.be32(0)?;
        out.push('(');
        if flow & 0x0ff0_0000 != 0 {
            let _ = write!(out, "class 0x{:02x}, ", (flow & 0x0ff0_0000) >> 20);
        }
        if flow & 0x000f_ffff != 0 {
            let _ = write!(out, "flowlabel 0x{:05x}, ", flow & 0x000f_ffff);
        }
        let _ = write!(
            out,
            "hlim {}, next-header {} ({nh}) payload length: {payload_len}) ",
            b.u8(7)?,
            IpProto::from_raw(nh).name().unwrap_or("unknown")
        );
    }
    // The payload ends at the IPv6 length.
    let mut data = &data[..len.min(data.len())];
    let ck_dst = final_dst(data);
    let mut at = 0usize;
    let mut advance = 40usize;
    let mut total_advance = 0usize;
    let (mut found_ext, mut found_jumbo, mut found_hbh) = (false, false, false);
    let mut fragmented = false;
    let mut ph = 255u8;
    while at < data.len() {
        if len < advance {
            mark(out, "ip6");
            return Ok(());
        }
        at += advance;
        len -= advance;
        total_advance += advance;
        if at == 40 && !matches!(nh, 6 | 17 | 33 | 132) {
            let _ = write!(
                out,
                "{} > {}: ",
                Ip::addr(&data[8..24]),
                Ip::addr(&data[24..40])
            );
        }
        let cp = data.get(at..).unwrap_or(&[]);
        match nh {
            0 => {
                if found_hbh {
                    out.push_str("[The Hop-by-Hop Options header was already found] (invalid)");
                    return Ok(());
                }
                if ph != 255 {
                    out.push_str(
                        "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)",
                    );
                    return Ok(());
                }
                let r = ip6ext::hbhopt(p, out, cp, &mut found_jumbo, &mut payload_len)?;
                if payload_len == 0 && !found_jumbo {
                    out.push_str("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
                    return Ok(());
                }
                let Some(adv) = r else {
                    return Ok(());
                };
                advance = adv;
                found_ext = true;
                found_hbh = true;
                nh = Bytes::new(cp, "ip6").u8(0)?;
            }
            60 => {
                let Some(adv) = ip6ext::dstopt(p, out, cp)? else {
                    return Ok(());
                };
                advance = adv;
                found_ext = true;
                nh = Bytes::new(cp, "ip6").u8(0)?;
            }
            44 => {
                let adv = ip6ext::frag6(p, out, cp, data, at)?;
                match adv {
                    Some(a) if at + a < data.len() => advance = a,
                    _ => return Ok(()),
                }
                found_ext = true;
                nh = Bytes::new(cp, "frag6").u8(0)?;
                fragmented = true;
            }
            62 | 135 => {
                ip6ext::mobility(p, out, cp)?;
                return Ok(());
            }
            43 => {
                // ND_TCHECK_1: an explicit check, not a longjmp.
                if cp.is_empty() {
                    mark(out, "ip6");
                    return Ok(());
                }
                let Some(adv) = ip6ext::rt6(p, out, cp)? else {
                    return Ok(());
                };
                advance = adv;
                found_ext = true;
                nh = Bytes::new(cp, "rt6").u8(0)?;
            }
            _ => {
                if found_jumbo {
                    len = payload_len as usize + 40;
                    if len < total_advance {
                        mark(out, "ip6");
                        return Ok(());
                    }
                    if length < len {
                        let _ = write!(out, "truncated-ip6 - {} bytes missing!", len - length);
                    }
                    data = &data[..len.min(data.len())];
                    len -= total_advance;
                } else if payload_len == 0 {
                    if found_ext {
                        mark(out, "ip6");
                        return Ok(());
                    }
                    len = 40;
                    data = &data[..len.min(data.len())];
                    len -= total_advance;
                }
                let ip = Ip::v6(data, ck_dst);
                let cp = data.get(at..).unwrap_or(&[]);
                return demux::print(p, out, cp, len, &ip, fragmented, data[7], nh);
            }
        }
        ph = nh;
    }
    Ok(())
}

/// ip6_finddst: the destination a transport checksum covers, the final
/// one of a routing header when there is one.
fn final_dst(h: &[u8]) -> [u8; 16] {
    let mut dst = [0u8; 16];
    dst.copy_from_slice(&h[24..40]);
    let mut at = 0;
    let mut advance = 40;
    let mut nh = h[6];
    while at < h.len() {
        at += advance;
        let cp = h.get(at..).unwrap_or(&[]);
        match nh {
            0 | 60 | 62 | 135 => {
                let (Some(&n), Some(&l)) = (cp.first(), cp.get(1)) else {
                    return dst;
                };
                advance = (usize::from(l) + 1) << 3;
                nh = n;
            }
            44 => {
                let Some(&n) = cp.first() else {
                    return dst;
                };
                advance = 8;
                nh = n;
            }
            43 => {
                let (Some(&l), Some(&ty)) = (cp.get(1), cp.get(2)) else {
                    return dst;
                };
                if l % 2 == 1 || cp.len() < 8 {
                    return dst;
                }
                match ty {
                    0 | 2 => {
                        for i in 0..usize::from(l / 2) {
                            match cp.get(8 + i * 16..24 + i * 16) {
                                Some(a) => dst.copy_from_slice(a),
                                None => return dst,
                            }
                        }
                    }
                    4 => {
                        if let Some(a) = cp.get(8..24) {
                            dst.copy_from_slice(a);
                        }
                    }
                    _ => {}
                }
                return dst;
            }
            _ => return dst,
        }
    }
    dst
}
