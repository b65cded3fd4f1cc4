//! ICMPv6 node information queries and replies (RFC 4620) and router
//! renumbering (RFC 2894), as print-icmp6.c prints them.

use super::demux::Ip;
use super::text::Printer;
use super::trunc::{mark, Bytes, Trunc};
use super::util::print_char;
use core::fmt::Write;

/// dnsname_print: a DNS name without decompression, in quotes.
fn dnsname_plain(out: &mut String, b: &Bytes<'_>, mut cp: usize, ep: usize) -> Result<(), Trunc> {
    out.push_str(", \"");
    while cp < ep {
        let i = usize::from(b.u8(cp)?);
        cp += 1;
        if i != 0 {
            if i > ep - cp {
                out.push_str("???");
                break;
            }
            let mut n = i;
            while n > 0 && cp < ep {
                print_char(out, b.u8(cp)?);
                cp += 1;
                n -= 1;
            }
            if cp + 1 < ep && b.u8(cp)? != 0 {
                out.push('.');
            }
        } else {
            if cp == ep {
                out.push('.');
            } else if cp + 1 == ep && b.u8(cp)? == 0 {
            } else {
                out.push_str("???");
            }
            break;
        }
    }
    out.push('"');
    Ok(())
}

/// A name in a node information message: a pascal string (an old draft)
/// or a DNS name.
fn ni_name(p: &Printer, out: &mut String, b: &Bytes<'_>, cp: usize) -> Result<(), Trunc> {
    let ep = b.len();
    if usize::from(b.u8(cp)?) == ep.wrapping_sub(cp).wrapping_sub(1) {
        if p.opts.verbose > 0 {
            out.push_str(", 03 draft");
        }
        out.push_str(", \"");
        for i in cp + 1..ep {
            print_char(out, b.u8(i)?);
        }
        out.push('"');
        Ok(())
    } else {
        dnsname_plain(out, b, cp, ep)
    }
}

fn nodeaddr_flags(out: &mut String, i: u16, with_t: bool) {
    let _ = write!(
        out,
        " [{}{}{}{}{}{}{}]",
        if i & 0x0040 != 0 { "a" } else { "" },
        if i & 0x0020 != 0 { "G" } else { "" },
        if i & 0x0010 != 0 { "S" } else { "" },
        if i & 0x0008 != 0 { "L" } else { "" },
        if i & 0x0004 != 0 { "C" } else { "" },
        if i & 0x0002 != 0 { "A" } else { "" },
        if with_t && i & 0x0001 != 0 { "T" } else { "" },
    );
}

/// icmp6_nodeinfo_print.
pub(super) fn nodeinfo(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    icmp6len: usize,
) -> Result<(), Trunc> {
    let siz = b.len();
    let v = p.opts.verbose > 0;
    let ty = b.u8(0)?;
    if ty == 139 {
        if siz == 8 + 4 {
            out.push_str(" who-are-you request");
            return Ok(());
        }
        out.push_str(" node information query");
        if !b.has(0, 16) {
            mark(out, "icmp6");
            return Ok(());
        }
        out.push_str(" (");
        let qtype = b.be16(4)?;
        match qtype {
            0 => out.push_str("noop"),
            1 => {
                out.push_str("supported qtypes");
                let i = b.be16(6)?;
                if i != 0 {
                    let _ = write!(out, " [{}]", if i & 1 != 0 { "C" } else { "" });
                }
            }
            2 => out.push_str("DNS name"),
            3 => {
                out.push_str("node addresses");
                let i = b.be16(6)?;
                if i != 0 {
                    nodeaddr_flags(out, i, false);
                }
            }
            _ => out.push_str("unknown"),
        }
        if qtype == 0 || qtype == 1 {
            if siz != 16 && v {
                out.push_str(", invalid len");
            }
            out.push(')');
            return Ok(());
        }
        if siz == 16 {
            out.push_str(", 03 draft)");
            return Ok(());
        }
        match b.u8(1)? {
            0 => {
                if b.has(0, 32) {
                    if siz != 32 {
                        if v {
                            out.push_str(", invalid subject len");
                        }
                    } else {
                        let _ = write!(out, ", subject={}", Ip::addr(b.take(16, 16)?));
                    }
                }
            }
            1 => {
                out.push_str(", subject=DNS name");
                ni_name(p, out, b, 16)?;
            }
            2 => {
                if b.has(0, 20) {
                    if siz != 20 {
                        if v {
                            out.push_str(", invalid subject len");
                        }
                    } else {
                        let _ = write!(out, ", subject={}", Ip::addr(b.take(16, 4)?));
                    }
                }
            }
            _ => out.push_str(", unknown subject"),
        }
        out.push(')');
        return Ok(());
    }
    // A reply.
    if icmp6len > siz || !b.has(0, 16) {
        mark(out, "icmp6");
        return Ok(());
    }
    out.push_str(" node information reply (");
    let code = b.u8(1)?;
    let mut comma = false;
    match code {
        0 if v => {
            out.push_str("success");
            comma = true;
        }
        1 | 2 => {
            out.push_str(if code == 1 { "refused" } else { "unknown" });
            comma = true;
            if siz != 16 && v {
                out.push_str(", invalid length");
            }
        }
        _ => {}
    }
    if code != 0 {
        out.push(')');
        return Ok(());
    }
    if comma {
        out.push_str(", ");
    }
    match b.be16(4)? {
        0 => {
            out.push_str("noop");
            if siz != 16 && v {
                out.push_str(", invalid length");
            }
        }
        1 => {
            out.push_str("supported qtypes");
            let i = b.be16(6)?;
            if i != 0 {
                let _ = write!(out, " [{}]", if i & 1 != 0 { "C" } else { "" });
            }
        }
        2 => {
            out.push_str("DNS name");
            ni_name(p, out, b, 20)?;
            if b.be16(6)? & 1 != 0 {
                let _ = write!(out, " [TTL={}]", b.be32(16)?);
            }
        }
        3 => {
            out.push_str("node addresses");
            let mut i = 16;
            while i < siz && i + 20 <= siz {
                let _ = write!(out, " {}({})", Ip::addr(b.take(i + 4, 16)?), b.be32(i)?);
                i += 20;
            }
            let f = b.be16(6)?;
            if f != 0 {
                nodeaddr_flags(out, f, true);
            }
        }
        _ => out.push_str("unknown"),
    }
    out.push(')');
    Ok(())
}

/// icmp6_rrenum_print: the header, then for a command the match-prefix
/// part and its use-prefix parts.
pub(super) fn rrenum(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Result<(), Trunc> {
    if !b.has(12, 4) {
        mark(out, "icmp6");
        return Ok(());
    }
    match b.u8(1)? {
        0 => out.push_str(", command"),
        1 => out.push_str(", result"),
        255 => out.push_str(", sequence number reset"),
        c => {
            let _ = write!(out, ", code-#{c}");
        }
    }
    let _ = write!(out, ", seq={}", b.be32(4)?);
    if p.opts.verbose > 0 {
        let flags = b.u8(9)?;
        out.push('[');
        if flags != 0 {
            for (bit, c) in [
                (0x80, "T"),
                (0x40, "R"),
                (0x20, "A"),
                (0x10, "S"),
                (0x08, "P"),
            ] {
                if flags & bit != 0 {
                    out.push_str(c);
                }
            }
            out.push(',');
        }
        let _ = write!(out, "seg={},", b.u8(8)?);
        let _ = write!(out, "maxdelay={}", b.be16(10)?);
        let rsvd = b.be32(12)?;
        if rsvd != 0 {
            let _ = write!(out, "rsvd=0x{rsvd:x}");
        }
        out.push(']');
    }
    if b.u8(1)? == 0 {
        rr_command(p, out, b)?;
    }
    Ok(())
}

/// The prefix control operation of a router renumbering command (a
/// `match(...)` and its `use(...)` parts); `[|icmp6]` where print-icmp6.c
/// jumps to its trunc label.
fn rr_command(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Result<(), Trunc> {
    let v = p.opts.verbose;
    let sep = if v > 1 { "\n\t" } else { " " };
    if !b.has(24, 16) {
        mark(out, "icmp6");
        return Ok(());
    }
    out.push_str(sep);
    out.push_str("match(");
    match b.u8(16)? {
        1 => out.push_str("add"),
        2 => out.push_str("change"),
        3 => out.push_str("setglobal"),
        c => {
            let _ = write!(out, "#{c}");
        }
    }
    if v > 0 {
        let _ = write!(out, ",ord={}", b.u8(18)?);
        let _ = write!(out, ",min={}", b.u8(20)?);
        let _ = write!(out, ",max={}", b.u8(21)?);
    }
    let _ = write!(out, ",{}/{})", Ip::addr(b.take(24, 16)?), b.u8(19)?);
    let n = i32::from(b.u8(17)?) - 3;
    if n % 4 != 0 {
        mark(out, "icmp6");
        return Ok(());
    }
    let mut at = 40;
    for _ in 0..n / 4 {
        if !b.has(at + 16, 16) {
            mark(out, "icmp6");
            return Ok(());
        }
        out.push_str(sep);
        out.push_str("use(");
        let flags = b.u8(at + 12)?;
        if flags != 0 {
            // print-icmp6.c tests the first byte of the 32-bit flags
            // against htonl() constants: on a little-endian host, V is
            // 0x80 and P is 0x40 of that byte.
            let _ = write!(
                out,
                "{}{},",
                if flags & 0x80 != 0 { "V" } else { "" },
                if flags & 0x40 != 0 { "P" } else { "" }
            );
        }
        if v > 0 {
            let _ = write!(out, "mask=0x{:x},", b.u8(at + 2)?);
            let _ = write!(out, "raflags=0x{:x},", b.u8(at + 3)?);
            for (name, off) in [("vltime", 4), ("pltime", 8)] {
                match b.be32(at + off)? {
                    0xffff_ffff => {
                        let _ = write!(out, "{name}=infty,");
                    }
                    t => {
                        let _ = write!(out, "{name}={t},");
                    }
                }
            }
        }
        let _ = write!(
            out,
            "{}/{}/{})",
            Ip::addr(b.take(at + 16, 16)?),
            b.u8(at)?,
            b.u8(at + 1)?
        );
        at += 32;
    }
    Ok(())
}
