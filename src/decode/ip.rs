//! IPv4 (print-ip.c): the header's parsed value, its parser (which keeps the
//! fixed fields of a header whose options are cut), and the `-v` header
//! line with options.

use super::demux;
use super::num::ip4_text;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{bittok, tok, Tok};
use super::{cksum, inet_checksum, Net, Summary, Transport};
use crate::proto::IpProto;
use core::fmt::Write;
use etherparse::Ipv4HeaderSlice;

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

/// print-ip.c's ip_print: an IPv4 packet of `length` bytes (from the link
/// layer), `data` of them captured.
pub(super) fn print_packet(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Printed {
    let b = Bytes::new(data, "ip");
    let vhl = b.u8(0)?;
    if vhl >> 4 != 4 {
        if vhl >> 4 == 6 {
            out.push_str("IP6, wrong link-layer encapsulation");
        } else {
            let _ = write!(out, "IP{}", vhl >> 4);
        }
        out.push_str(" (invalid)");
        return Ok(());
    }
    if !p.opts.link_header {
        out.push_str("IP ");
    }
    if data.len() < 20 {
        mark(out, "ip");
        return Ok(());
    }
    if length < 20 {
        let _ = write!(out, "truncated-ip {length}");
        return Ok(());
    }
    let hlen = usize::from(vhl & 0xf) * 4;
    if hlen < 20 {
        let _ = write!(out, "bad-hlen {hlen}");
        return Ok(());
    }
    let total = usize::from(b.be16(2)?);
    if length < total {
        let _ = write!(out, "truncated-ip - {} bytes missing! ", total - length);
    }
    if total < hlen {
        let _ = write!(out, "bad-len {total}");
        return Ok(());
    }
    // The payload ends at the IP length (Ethernet padding is not payload).
    let data = &data[..total.min(data.len())];
    let b = Bytes::new(data, "ip");
    let len = total - hlen;
    let off = b.be16(6)?;
    let proto = b.u8(9)?;
    let src = &data[12..16];
    let dst = &data[16..20];
    if p.opts.verbose > 0 {
        let tos = b.u8(1)?;
        let _ = write!(out, "(tos 0x{tos:x}");
        match tos & 3 {
            1 => out.push_str(",ECT(1)"),
            2 => out.push_str(",ECT(0)"),
            3 => out.push_str(",CE"),
            _ => {}
        }
        let ttl = b.u8(8)?;
        if ttl >= 1 {
            let _ = write!(out, ", ttl {ttl}");
        }
        let _ = write!(
            out,
            ", id {}, offset {}, flags [",
            b.be16(4)?,
            (off & 0x1fff) * 8
        );
        bittok(out, FRAG_FLAGS, "none", u32::from(off & 0xe000));
        let _ = write!(
            out,
            "], proto {} ({proto}), length {total}",
            IpProto::from_raw(proto).name().unwrap_or("unknown")
        );
        let mut truncated = false;
        if hlen > 20 {
            out.push_str(", options (");
            if !options(out, &b, 20, hlen - 20)? {
                out.push_str(" [truncated-option]");
                truncated = true;
            }
            out.push(')');
        }
        if !p.opts.no_checksum && hlen <= data.len() {
            let sum = inet_checksum(&[&data[..hlen]]);
            if sum != 0 {
                let stored = b.be16(10)?;
                let _ = write!(
                    out,
                    ", bad cksum {stored:x} (->{:x})!",
                    cksum::should_be(stored, sum)
                );
            }
        }
        out.push_str(")\n    ");
        if truncated {
            addrs(out, src, dst);
            mark(out, "ip");
            return Ok(());
        }
    }
    if off & 0x1fff == 0 {
        if !matches!(proto, 6 | 17 | 132 | 33) {
            addrs(out, src, dst);
        }
        if data.len() < hlen {
            let _ = write!(
                out,
                " [remaining caplen({}) < header length({hlen})]",
                data.len()
            );
            return Err(Trunc("ip"));
        }
        let ip = demux::Ip::v4(data, hlen);
        demux::print(
            p,
            out,
            &data[hlen..],
            len,
            &ip,
            off & 0x2000 != 0,
            b.u8(8)?,
            proto,
        )
    } else {
        let _ = write!(out, "{} > {}:", ip4_text(src), ip4_text(dst));
        match IpProto::from_raw(proto).netdb_name() {
            Some(n) if !p.opts.numeric => {
                let _ = write!(out, " {n}");
            }
            _ => {
                let _ = write!(out, " ip-proto-{proto}");
            }
        }
        Ok(())
    }
}

/// `src > dst: `.
fn addrs(out: &mut String, src: &[u8], dst: &[u8]) {
    out.push_str(&ip4_text(src));
    out.push_str(" > ");
    out.push_str(&ip4_text(dst));
    out.push_str(": ");
}

const FRAG_FLAGS: &Tok = &[(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")];

const OPTION_NAMES: &Tok = &[
    (0, "EOL"),
    (1, "NOP"),
    (68, "timestamp"),
    (130, "security"),
    (7, "RR"),
    (137, "SSRR"),
    (131, "LSRR"),
    (148, "RA"),
    (82, "traceroute"),
];

/// ip_optprint: the options in `b[at..at + length]`; `false` when one is
/// cut (tcpdump then adds ` [truncated-option]`); a byte read past the
/// capture ends the line.
fn options(
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut length: usize,
) -> Result<bool, Trunc> {
    let mut sep = "";
    while length > 0 {
        out.push_str(sep);
        sep = ",";
        let code = b.u8(at)?;
        match tok(OPTION_NAMES, u32::from(code)) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "unknown {code}");
            }
        }
        let option_len = if code <= 1 {
            1
        } else {
            let l = usize::from(b.u8(at + 1)?);
            if l < 2 {
                let _ = write!(out, " [bad length {l}]");
                return Ok(true);
            }
            l
        };
        if option_len > length {
            let _ = write!(out, " [bad length {option_len}]");
            return Ok(true);
        }
        if !b.has(at, option_len) {
            return Ok(false);
        }
        let whole = match code {
            0 => return Ok(true),
            68 => timestamps(out, b, at, option_len)?,
            7 | 131 | 137 => route(out, b, at, option_len)?,
            148 => {
                if option_len < 4 {
                    let _ = write!(out, " [bad length {option_len}]");
                } else {
                    let v = b.be16(at + 2)?;
                    if v != 0 {
                        let _ = write!(out, " value {v}");
                    }
                }
                true
            }
            _ => true,
        };
        if !whole {
            return Ok(false);
        }
        at += option_len;
        length -= option_len;
    }
    Ok(true)
}

/// ip_printroute: the addresses of a record-route or source-route option;
/// `false` when an address is cut.
fn route(out: &mut String, b: &Bytes<'_>, at: usize, length: usize) -> Result<bool, Trunc> {
    if length < 3 {
        let _ = write!(out, " [bad length {length}]");
        return Ok(true);
    }
    if (length + 1) & 3 != 0 {
        let _ = write!(out, " [bad length {length}]");
    }
    let raw = b.u8(at + 2)?;
    let ptr = usize::from(raw).wrapping_sub(1);
    if ptr < 3 || ptr.wrapping_add(1) & 3 != 0 || ptr > length + 1 {
        let _ = write!(out, " [bad ptr {raw}]");
    }
    let mut len = 3;
    while len < length {
        if !b.has(at + len, 4) {
            return Ok(false);
        }
        let _ = write!(out, " {}", ip4_text(b.take(at + len, 4)?));
        if ptr > len {
            out.push(',');
        }
        len += 4;
    }
    Ok(true)
}

/// ip_printts: a timestamp option; `false` when an entry is cut.
fn timestamps(out: &mut String, b: &Bytes<'_>, at: usize, length: usize) -> Result<bool, Trunc> {
    if length < 4 {
        let _ = write!(out, "[bad length {length}]");
        return Ok(true);
    }
    out.push_str(" TS{");
    let flag = b.u8(at + 3)?;
    let hoplen = if flag & 0xf != 0 { 8 } else { 4 };
    if (length - 4) & (hoplen - 1) != 0 {
        let _ = write!(out, "[bad length {length}]");
    }
    let raw = b.u8(at + 2)?;
    let ptr = usize::from(raw).wrapping_sub(1);
    let mut len = 0;
    if ptr < 4 || (ptr.wrapping_sub(4)) & (hoplen - 1) != 0 || ptr > length + 1 {
        let _ = write!(out, "[bad ptr {raw}]");
    }
    let known = match flag & 0xf {
        0 => {
            out.push_str("TSONLY");
            true
        }
        1 => {
            out.push_str("TS+ADDR");
            true
        }
        3 => {
            out.push_str("PRESPEC");
            true
        }
        t => {
            let _ = write!(out, "[bad ts type {t}]");
            false
        }
    };
    if known {
        let mut ty = " ";
        len = 4;
        while len < length {
            if ptr == len {
                ty = " ^ ";
            }
            if !b.has(at + len, hoplen) {
                return Ok(false);
            }
            let v = b.be32(at + len + hoplen - 4)?;
            let addr = if hoplen != 8 {
                String::new()
            } else {
                ip4_text(b.take(at + len, 4)?)
            };
            let _ = write!(out, "{ty}{v}@{addr}");
            ty = " ";
            len += hoplen;
        }
    }
    if ptr == len {
        out.push_str(" ^ ");
    }
    if flag >> 4 != 0 {
        let _ = write!(out, " [{} hops not recorded]}} ", flag >> 4);
    } else {
        out.push('}');
    }
    Ok(true)
}

/// ip_finddst: the destination a transport checksum covers, the last hop
/// of a source route when there is one.
pub(super) fn final_dst(header: &[u8]) -> [u8; 4] {
    let mut dst = [0u8; 4];
    if let Some(d) = header.get(16..20) {
        dst.copy_from_slice(d);
    }
    let hl = usize::from(header.first().copied().unwrap_or(0) & 0xf) * 4;
    let Some(opts) = header.get(20..hl) else {
        return dst;
    };
    let mut i = 0;
    while i < opts.len() {
        let tt = opts[i];
        let len = match tt {
            0 => break,
            1 => 1,
            _ => match opts.get(i + 1) {
                Some(&l) if l >= 2 => usize::from(l),
                _ => break,
            },
        };
        if opts.len() - i < len {
            break;
        }
        if matches!(tt, 131 | 137) && len >= 7 {
            dst.copy_from_slice(&opts[i + len - 4..i + len]);
            return dst;
        }
        i += len;
    }
    dst
}
