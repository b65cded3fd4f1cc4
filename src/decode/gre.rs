//! GRE version 0 (keys, sequence numbers, checksum, source routes) and
//! version 1, the enhanced GRE of PPTP (print-gre.c).

use super::dispatch::IpPayload;
use super::ether::ethertype_name;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::util::{bittok, Tok};
use core::fmt::Write;

const CP: u16 = 0x8000;
const RP: u16 = 0x4000;
const KP: u16 = 0x2000;
const SP: u16 = 0x1000;
const AP: u16 = 0x0080;

const FLAGS: &Tok = &[
    (0x8000, "checksum present"),
    (0x4000, "routing present"),
    (0x2000, "key present"),
    (0x1000, "sequence# present"),
    (0x0800, "source routing present"),
    (0x0080, "ack present"),
];

/// A field of `n` bytes at `at` that must be captured and within `len`
/// (print-gre.c's `ND_TCHECK` + length check, both `goto trunc`).
fn field(b: &Bytes<'_>, at: usize, n: usize, len: usize) -> Option<usize> {
    (b.has(at, n) && len >= at + n).then_some(at)
}

/// An optional 4-byte field at `*at`, shown by `show`; `false` when it
/// is cut (print-gre.c's `goto trunc`).
fn word(
    out: &mut String,
    b: &Bytes<'_>,
    at: &mut usize,
    length: usize,
    show: impl Fn(&mut String, u32) -> core::fmt::Result,
) -> Result<bool, super::trunc::Trunc> {
    let Some(a) = field(b, *at, 4, length) else {
        return Ok(false);
    };
    let _ = show(out, b.be32(a)?);
    *at += 4;
    Ok(true)
}

/// gre_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, length) = (seg.data, seg.length);
    let b = Bytes::new(data, "gre");
    if !b.has(0, 2) || length < 2 {
        mark(out, "gre");
        return Ok(());
    }
    let flags = b.be16(0)?;
    let vers = flags & 7;
    let _ = write!(out, "GREv{vers}");
    let ok = match vers {
        0 => v0(p, out, &b, length, flags)?,
        1 => v1(p, out, &b, length, flags)?,
        _ => {
            out.push_str(" ERROR: unknown-version");
            true
        }
    };
    if !ok {
        mark(out, "gre");
    }
    Ok(())
}

/// `, Flags [...]` with `-v`.
fn flag_text(p: &Printer, out: &mut String, flags: u16) {
    if p.opts.verbose > 0 {
        out.push_str(", Flags [");
        bittok(out, FLAGS, "none", u32::from(flags));
        out.push(']');
    }
}

/// `, proto NAME (0x....)` with `-e`, then `, length N`.
fn proto_and_length(p: &Printer, out: &mut String, prot: u16, length: usize) {
    if p.opts.link_header {
        let name = match ethertype_name(prot) {
            "Unknown" => "unknown",
            n => n,
        };
        let _ = write!(out, ", proto {name} (0x{prot:04x})");
    }
    let _ = write!(out, ", length {length}");
}

/// gre_print_0; `false` for its `goto trunc`.
fn v0(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    length: usize,
    flags: u16,
) -> Result<bool, super::trunc::Trunc> {
    flag_text(p, out, flags);
    let Some(at) = field(b, 2, 2, length) else {
        return Ok(false);
    };
    let prot = b.be16(at)?;
    let mut at = 4;
    if flags & (CP | RP) != 0 {
        let Some(a) = field(b, at, 2, length) else {
            return Ok(false);
        };
        if p.opts.verbose > 0 {
            let _ = write!(out, ", sum 0x{:x}", b.be16(a)?);
        }
        let Some(a) = field(b, a + 2, 2, length) else {
            return Ok(false);
        };
        let _ = write!(out, ", off 0x{:x}", b.be16(a)?);
        at = a + 2;
    }
    if flags & KP != 0 && !word(out, b, &mut at, length, |o, v| write!(o, ", key=0x{v:x}"))? {
        return Ok(false);
    }
    if flags & SP != 0 && !word(out, b, &mut at, length, |o, v| write!(o, ", seq {v}"))? {
        return Ok(false);
    }
    if flags & RP != 0 {
        loop {
            let Some(a) = field(b, at, 4, length) else {
                return Ok(false);
            };
            let af = b.be16(a)?;
            let sreoff = b.u8(a + 2)?;
            let srelen = b.u8(a + 3)?;
            at += 4;
            if af == 0 && srelen == 0 {
                break;
            }
            if !source_route(out, b, af, sreoff, srelen, at, length)? {
                return Ok(false);
            }
            if length < at + usize::from(srelen) {
                return Ok(false);
            }
            at += usize::from(srelen);
        }
    }
    proto_and_length(p, out, prot, length);
    out.push_str(if p.opts.verbose < 1 { ": " } else { "\n\t" });
    let rest = b.data().get(at..).unwrap_or(&[]);
    let len = length - at;
    match prot {
        0x0800 => super::ip::print_packet(p, out, rest, len)?,
        0x86dd => super::ip6::print_packet(p, out, rest, len)?,
        0x8847 => super::mpls::print(p, out, rest, len)?,
        0x00fe => super::osi::print(p, out, rest, len)?,
        0x6558 => {
            super::ether::print(p, out, rest, len)?;
        }
        _ => {
            let _ = write!(out, "gre-proto-0x{prot:x}");
        }
    }
    Ok(true)
}

/// gre_print_1 (PPTP's enhanced GRE); `false` for its `goto trunc`.
fn v1(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    length: usize,
    flags: u16,
) -> Result<bool, super::trunc::Trunc> {
    flag_text(p, out, flags);
    let Some(at) = field(b, 2, 2, length) else {
        return Ok(false);
    };
    let prot = b.be16(at)?;
    let mut at = 4;
    if flags & KP != 0
        && !word(out, b, &mut at, length, |o, v| {
            write!(o, ", call {}", v & 0xffff)
        })?
    {
        return Ok(false);
    }
    if flags & SP != 0 && !word(out, b, &mut at, length, |o, v| write!(o, ", seq {v}"))? {
        return Ok(false);
    }
    if flags & AP != 0 && !word(out, b, &mut at, length, |o, v| write!(o, ", ack {v}"))? {
        return Ok(false);
    }
    if flags & SP == 0 {
        out.push_str(", no-payload");
    }
    proto_and_length(p, out, prot, length);
    if flags & SP == 0 {
        return Ok(true);
    }
    out.push_str(if p.opts.verbose < 1 { ": " } else { "\n\t" });
    let rest = b.data().get(at..).unwrap_or(&[]);
    match prot {
        0x880b => {
            super::ppp::print(p, out, rest, length - at)?;
        }
        _ => {
            let _ = write!(out, "gre-proto-0x{prot:x}");
        }
    }
    Ok(true)
}

/// gre_sre_print: one source route entry (IP addresses or AS numbers).
fn source_route(
    out: &mut String,
    b: &Bytes<'_>,
    af: u16,
    sreoff: u8,
    srelen: u8,
    at: usize,
    length: usize,
) -> Result<bool, super::trunc::Trunc> {
    let (name, unit) = match af {
        0x0800 => ("ip", 4u8),
        0xfffe => ("asn", 2),
        _ => {
            let _ = write!(out, ", (rtaf=0x{af:x})");
            return Ok(true);
        }
    };
    let _ = write!(out, ", (rtaf={name}");
    let mut ok = true;
    if sreoff & (unit - 1) != 0 {
        let _ = write!(out, ", badoffset={sreoff}");
    } else if srelen & (unit - 1) != 0 {
        let _ = write!(out, ", badlength={srelen}");
    } else if sreoff >= srelen {
        let _ = write!(out, ", badoff/len={sreoff}/{srelen}");
    } else {
        let mut off = 0usize;
        while off < usize::from(srelen) {
            let n = usize::from(unit);
            if !b.has(at + off, n) || length < at + off + n {
                ok = false;
                break;
            }
            let star = if off == usize::from(sreoff) { "*" } else { "" };
            if unit == 4 {
                let _ = write!(out, " {star}{}", super::num::ip4_text(b.take(at + off, 4)?));
            } else {
                let _ = write!(out, " {star}{:x}", b.be16(at + off)?);
            }
            off += n;
        }
    }
    out.push(')');
    Ok(ok)
}
