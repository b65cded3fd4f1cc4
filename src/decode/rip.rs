//! RIP v1/v2 (print-rip.c): `RIPv2, Response, length: 44`, with `-v` the
//! route entries and authentication entries, with `-vv` a hex dump.

use super::dispatch::Segment;
use super::nd::{printjnp, push_tok, tok, unknown_data, Tok};
use super::num::push_ip4;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use core::fmt::Write;

const COMMANDS: &Tok = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Trace on"),
    (4, "Trace off"),
    (5, "Poll"),
    (6, "Poll Entry"),
];

/// af.c's `bsd_af_values`.
pub(super) const BSD_AF: &Tok = &[
    (2, "IPv4"),
    (6, "NS"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

const ROUTELEN: usize = 20;

/// mask2plen: the prefix length of a contiguous netmask, else -1.
pub(super) fn mask2plen(mask: u32) -> i32 {
    match mask.leading_ones() {
        n if mask.checked_shl(n).unwrap_or(0) == 0 => n as i32,
        _ => -1,
    }
}

fn ip(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    let a = b.take(at, 4)?;
    let mut s = String::new();
    push_ip4(&mut s, [a[0], a[1], a[2], a[3]]);
    Ok(s)
}

/// rip_entry_print_v1: the entry's size, 0 when invalid.
fn entry_v1(out: &mut String, b: &Bytes<'_>, p: usize, remaining: usize) -> Result<usize, Trunc> {
    if remaining < ROUTELEN || !b.has(p, ROUTELEN) {
        return Ok(0);
    }
    let family = b.be16(p)?;
    if family != 2 && family != 0 {
        out.push_str("\n\t AFI ");
        push_tok(out, BSD_AF, u32::from(family), "Unknown ({})");
        out.push_str(", ");
        unknown_data(out, b, p + 4, "\n\t  ", ROUTELEN - 4);
        return Ok(ROUTELEN);
    }
    if b.be16(p + 2)? != 0 || b.be32(p + 8)? != 0 || b.be32(p + 12)? != 0 {
        unknown_data(out, b, p, "\n\t  ", ROUTELEN);
        return Ok(ROUTELEN);
    }
    let dest = ip(b, p + 4)?;
    let metric = b.be32(p + 16)?;
    let afi = if family == 0 { "AFI 0, " } else { "" };
    let _ = write!(out, "\n\t  {afi}{dest}, metric: {metric}");
    Ok(ROUTELEN)
}

/// rip_entry_print_v2: the entry's size, 0 when invalid.
fn entry_v2(out: &mut String, b: &Bytes<'_>, p: usize, remaining: usize) -> Result<usize, Trunc> {
    if remaining < 4 || !b.has(p, 4) {
        return Ok(0);
    }
    let family = b.be16(p)?;
    if family == 0xffff {
        let auth = b.be16(p + 2)?;
        let q = p + 4;
        let rem = remaining - 4;
        match auth {
            2 => {
                out.push_str("\n\t  Simple Text Authentication data: ");
                printjnp(out, b, q, 16)?;
            }
            3 => {
                if !b.has(q, 16) || rem < 16 {
                    return Ok(0);
                }
                out.push_str("\n\t  Auth header:");
                let _ = write!(out, " Packet Len {},", b.be16(q)?);
                let _ = write!(out, " Key-ID {},", b.u8(q + 2)?);
                let _ = write!(out, " Auth Data Len {},", b.u8(q + 3)?);
                let _ = write!(out, " SeqNo {},", b.be32(q + 4)?);
                let _ = write!(out, " MBZ {},", b.be32(q + 8)?);
                let _ = write!(out, " MBZ {}", b.be32(q + 12)?);
            }
            1 => {
                out.push_str("\n\t  Auth trailer:");
                unknown_data(out, b, q, "\n\t  ", rem);
                return Ok(4 + rem);
            }
            _ => {
                let _ = write!(out, "\n\t  Unknown ({auth}) Authentication data:");
                unknown_data(out, b, q, "\n\t  ", rem);
                return Ok(4 + rem);
            }
        }
    } else if family != 2 && family != 0 {
        out.push_str("\n\t  AFI ");
        push_tok(out, BSD_AF, u32::from(family), "Unknown ({})");
        unknown_data(out, b, p + 4, "\n\t  ", ROUTELEN - 4);
    } else {
        if !b.has(p, ROUTELEN) || remaining < ROUTELEN {
            return Ok(0);
        }
        let dest = ip(b, p + 4)?;
        let plen = mask2plen(b.be32(p + 8)?);
        let tag = b.be16(p + 2)?;
        let metric = b.be32(p + 16)?;
        let afi = tok(BSD_AF, u32::from(family)).map_or_else(|| family.to_string(), str::to_string);
        let _ = write!(
            out,
            "\n\t  AFI {afi}, {dest:>15}/{plen:<2}, tag 0x{tag:04x}, metric: {metric}, next-hop: "
        );
        if b.be32(p + 12)? != 0 {
            out.push_str(&ip(b, p + 12)?);
        } else {
            out.push_str("self");
        }
    }
    Ok(ROUTELEN)
}

/// rip_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "rip");
    let v = p.opts.verbose;
    let mut len = seg.len;
    if len < 4 || !b.has(0, 4) {
        super::trunc::mark(out, "rip");
        return Ok(());
    }
    let vers = b.u8(1)?;
    let _ = write!(out, "{}RIPv{vers}", if v >= 1 { "\n\t" } else { "" });
    if vers == 0 {
        unknown_data(out, &b, 0, "\n\t", seg.len);
        return Ok(());
    }
    let cmd = b.u8(0)?;
    out.push_str(", ");
    push_tok(out, COMMANDS, u32::from(cmd), "unknown command ({})");
    let _ = write!(out, ", length: {len}");
    if v < 1 {
        return Ok(());
    }
    let mut at = 4;
    len -= 4;
    match cmd {
        1 | 2 => {
            if vers > 2 {
                out.push_str(", unknown version");
            } else {
                let _ = write!(
                    out,
                    ", routes: {}{}",
                    seg.len / ROUTELEN,
                    if vers == 2 { " or less" } else { "" }
                );
            }
            // The entries are read up to the captured end.
            len = len.min(b.len().saturating_sub(4));
            while vers <= 2 && len != 0 {
                let size = if vers == 1 {
                    entry_v1(out, &b, at, len)?
                } else {
                    entry_v2(out, &b, at, len)?
                };
                if size == 0 {
                    super::trunc::mark(out, "rip");
                    break;
                }
                if len < size {
                    let _ = write!(out, " [remaining entries length {len} < {size}] (invalid)");
                    break;
                }
                at += size;
                len -= size;
            }
        }
        4..=6 => {}
        _ => {
            if v <= 1 {
                unknown_data(out, &b, 0, "\n\t", seg.len);
            }
        }
    }
    // The whole message, header included.
    if v > 1 {
        unknown_data(out, &b, 0, "\n\t", seg.len);
    }
    Ok(())
}
