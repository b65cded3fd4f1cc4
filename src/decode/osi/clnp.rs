//! CLNP (clnp_print in print-isoclns.c): `CLNP, SRC > DST, Data, length N`
//! at `-n`; with `-v` the fixed part with its Fletcher checksum, flags,
//! addresses, segmentation part, options, and for error reports the
//! original packet (tcpdump recurses; here a loop, since the outer call
//! only returns 1 after it).

use super::super::nd::{tok, Tok};
use super::super::text::Printer;
use super::super::trunc::{mark, Bytes, Trunc};
use super::super::util::bittok;
use super::{nsap, print_cksum, unknown_data};
use core::fmt::Write;

const FIXED: usize = 9;

const PDU_VALUES: &Tok = &[
    (1, "Error Report"),
    (29, "MD"),
    (28, "Data"),
    (30, "Echo Request"),
    (31, "Echo Response"),
];

const FLAGS: &Tok = &[
    (0x80, "Segmentation permitted"),
    (0x40, "more Segments"),
    (0x20, "request Error Report"),
];

const OPTIONS: &Tok = &[
    (193, "Discard Reason"),
    (205, "Priority"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (200, "Source Routing"),
    (203, "Route Recording"),
    (204, "Padding"),
];

const RFD_CLASSES: &Tok = &[
    (0x0, "General"),
    (0x8, "Address"),
    (0x9, "Source Routeing"),
    (0xa, "Lifetime"),
    (0xb, "PDU Discarded"),
    (0xc, "Reassembly"),
];

const RFD_GENERAL: &Tok = &[
    (0x0, "Reason not specified"),
    (0x1, "Protocol procedure error"),
    (0x2, "Incorrect checksum"),
    (0x3, "PDU discarded due to congestion"),
    (0x4, "Header syntax error (cannot be parsed)"),
    (0x5, "Segmentation needed but not permitted"),
    (0x6, "Incomplete PDU received"),
    (0x7, "Duplicate option"),
];

const RFD_ADDRESS: &Tok = &[
    (0x0, "Destination address unreachable"),
    (0x1, "Destination address unknown"),
];

const RFD_SOURCE_ROUTEING: &Tok = &[
    (0x0, "Unspecified source routeing error"),
    (0x1, "Syntax error in source routeing field"),
    (0x2, "Unknown address in source routeing field"),
    (0x3, "Path not acceptable"),
];

const RFD_LIFETIME: &Tok = &[
    (0x0, "Lifetime expired while data unit in transit"),
    (0x1, "Lifetime expired during reassembly"),
];

const RFD_PDU_DISCARD: &Tok = &[
    (0x0, "Unsupported option not specified"),
    (0x1, "Unsupported protocol version"),
    (0x2, "Unsupported security option"),
    (0x3, "Unsupported source routeing option"),
    (0x4, "Unsupported recording of route option"),
];

const RFD_REASSEMBLY: &Tok = &[(0x0, "Reassembly interference")];

const SCOPES: &Tok = &[
    (0x40, "Source Address Specific"),
    (0x80, "Destination Address Specific"),
    (0xc0, "Globally unique"),
];

const SR_RR: &Tok = &[(0x0, "partial"), (0x1, "complete")];

const QOS_GLOBAL: &Tok = &[
    (0x20, "reserved"),
    (0x10, "sequencing vs. delay"),
    (0x08, "congested"),
    (0x04, "delay vs. cost"),
    (0x02, "error vs. delay"),
    (0x01, "error vs. cost"),
];

fn rfd_table(major: u8) -> &'static Tok {
    match major {
        0x0 => RFD_GENERAL,
        0x8 => RFD_ADDRESS,
        0x9 => RFD_SOURCE_ROUTEING,
        0xa => RFD_LIFETIME,
        0xb => RFD_PDU_DISCARD,
        0xc => RFD_REASSEMBLY,
        _ => &[],
    }
}

fn pdu_name(t: u8) -> String {
    match tok(PDU_VALUES, u32::from(t)) {
        Some(n) => n.to_string(),
        None => format!("unknown ({t})"),
    }
}

/// How one CLNP header ended.
enum End {
    /// clnp_print's return value.
    Done(bool),
    /// An error report quoting a CLNP packet at this offset, this long.
    Inner(usize, u32),
}

/// clnp_print: false where it returns 0 (the caller dumps the PDU).
pub(super) fn print(
    p: &Printer,
    out: &mut String,
    data: &[u8],
    length: u32,
) -> Result<bool, Trunc> {
    let b = Bytes::new(data, "clnp");
    let mut at = 0;
    let mut length = length;
    let mut depth = 0;
    loop {
        match one(p, out, &b, at, length)? {
            End::Done(r) => return Ok(depth > 0 || r),
            End::Inner(a, l) => {
                at = a;
                length = l;
                depth += 1;
            }
        }
    }
}

fn bad(out: &mut String, what: &str) -> Result<End, Trunc> {
    out.push_str(what);
    Ok(End::Done(false))
}

fn one(p: &Printer, out: &mut String, b: &Bytes<'_>, o: usize, length: u32) -> Result<End, Trunc> {
    if !b.has(o, FIXED) {
        mark(out, "clnp");
        return Ok(End::Done(true));
    }
    let li = u32::from(b.u8(o + 1)?);
    let e = p.opts.link_header;
    if !e {
        out.push_str("CLNP");
    }
    let version = b.u8(o + 2)?;
    if version != 1 {
        let _ = write!(out, "version {version} packet not supported");
        return Ok(End::Done(false));
    }
    if li > length {
        let _ = write!(out, " length indicator({li}) > PDU size ({length})!");
        return Ok(End::Done(false));
    }
    if li < FIXED as u32 {
        let _ = write!(out, " length indicator {li} < min PDU size:");
        for x in &b.data()[o..] {
            let _ = write!(out, "{x:02X}");
        }
        return Ok(End::Done(false));
    }
    const SHORT: &str = "li < size of fixed part of CLNP header and addresses";
    let ty = b.u8(o + 4)?;
    let (pdu_type, flags) = (ty & 0x1f, ty & 0xe0);
    let mut t = o + FIXED;
    let mut rem = li - FIXED as u32;
    if rem < 1 {
        return bad(out, SHORT);
    }
    let dl = b.u8(t)?;
    t += 1;
    rem -= 1;
    if rem < u32::from(dl) {
        return bad(out, SHORT);
    }
    if !b.has(t, usize::from(dl)) {
        mark(out, "clnp");
        return Ok(End::Done(true));
    }
    let dst = t;
    t += usize::from(dl);
    rem -= u32::from(dl);
    if rem < 1 {
        return bad(out, SHORT);
    }
    let sl = b.u8(t)?;
    t += 1;
    rem -= 1;
    if rem < u32::from(sl) {
        return bad(out, SHORT);
    }
    if !b.has(t, usize::from(sl)) {
        mark(out, "clnp");
        return Ok(End::Done(true));
    }
    let src = t;
    t += usize::from(sl);
    rem -= u32::from(sl);
    let sep = if e { "" } else { ", " };
    if p.opts.verbose < 1 {
        let (s, d) = (
            nsap(b, src, usize::from(sl))?,
            nsap(b, dst, usize::from(dl))?,
        );
        let _ = write!(
            out,
            "{sep}{s} > {d}, {}, length {length}",
            pdu_name(pdu_type)
        );
        return Ok(End::Done(true));
    }
    let _ = write!(out, "{sep}length {length}");
    let life = b.u8(o + 3)?;
    let seglen = b.be16(o + 5)?;
    let ck = b.be16(o + 7)?;
    let _ = write!(
        out,
        "\n\t{} PDU, hlen: {li}, v: {version}, lifetime: {}.{}s, Segment PDU length: {seglen}, checksum: 0x{ck:04x}",
        pdu_name(pdu_type),
        life / 2,
        (life % 2) * 5
    );
    print_cksum(out, b, o, ck, 7, li);
    out.push_str("\n\tFlags [");
    bittok(out, FLAGS, "none", u32::from(flags));
    out.push(']');
    let (s, d) = (
        nsap(b, src, usize::from(sl))?,
        nsap(b, dst, usize::from(dl))?,
    );
    let _ = write!(
        out,
        "\n\tsource address (length {sl}): {s}\n\tdest   address (length {dl}): {d}"
    );
    if flags & 0x80 != 0 {
        if rem < 6 {
            return bad(
                out,
                "li < size of fixed part of CLNP header, addresses, and segment part",
            );
        }
        if !b.has(t, 6) {
            mark(out, "clnp");
            return Ok(End::Done(true));
        }
        let _ = write!(
            out,
            "\n\tData Unit ID: 0x{:04x}, Segment Offset: {}, Total PDU Length: {}",
            b.be16(t)?,
            b.be16(t + 2)?,
            b.be16(t + 4)?
        );
        t += 6;
        rem -= 6;
    }
    while rem != 0 {
        if rem < 2 {
            return bad(out, ", bad opts/li");
        }
        let op = b.u8(t)?;
        let opli = b.u8(t + 1)?;
        t += 2;
        rem -= 2;
        if u32::from(opli) > rem {
            let _ = write!(out, ", opt ({op}) too long");
            return Ok(End::Done(false));
        }
        if !b.has(t, usize::from(opli)) {
            mark(out, "clnp");
            return Ok(End::Done(true));
        }
        rem -= u32::from(opli);
        let _ = write!(
            out,
            "\n\t  {} Option #{op}, length {opli}, value: ",
            tok(OPTIONS, u32::from(op)).unwrap_or("Unknown")
        );
        if !option(out, b, t, op, opli)? {
            return Ok(End::Done(false));
        }
        if p.opts.verbose > 1 {
            unknown_data(out, b, t, "\n\t  ", usize::from(opli));
        }
        t += usize::from(opli);
    }
    if matches!(pdu_type, 1 | 31) && b.u8(t)? == 0x81 {
        out.push_str("\n\t-----original packet-----\n\t");
        return Ok(End::Inner(t, length - li));
    }
    let hdr = (t - o) as u32;
    if length > hdr {
        let _ = write!(
            out,
            "\n\t  undecoded non-header data, length {}",
            length - li
        );
        unknown_data(out, b, t, "\n\t  ", (length - hdr) as usize);
    }
    Ok(End::Done(true))
}

/// One option's value (checked captured); false where clnp_print returns 0.
fn option(out: &mut String, b: &Bytes<'_>, t: usize, op: u8, opli: u8) -> Result<bool, Trunc> {
    let need = match op {
        200 | 203 | 197 => 2,
        205 | 195 | 193 => 1,
        _ => 0,
    };
    if opli < need {
        out.push_str(", bad opt len");
        return Ok(false);
    }
    match op {
        200 | 203 => {
            let _ = write!(
                out,
                "{} {}",
                tok(SR_RR, u32::from(b.u8(t)?)).unwrap_or("Unknown"),
                if op == 200 {
                    "source routing"
                } else {
                    "recording of route in progress"
                }
            );
            let off = b.u8(t + 1)?;
            if off == 0 {
                out.push_str(" Bad NSAP offset (0)");
                return Ok(true);
            }
            let off = off - 1;
            if off > opli {
                out.push_str(" Bad NSAP offset (past end of option)");
                return Ok(true);
            }
            // tcpdump never moves past the first address: it prints that
            // one as often as the option's length allows.
            let at = t + usize::from(off);
            let mut tlen = u32::from(opli - off);
            while tlen > 0 {
                let al = b.u8(at)?;
                if tlen < u32::from(al) + 1 {
                    out.push_str("\n\t    NSAP address goes past end of option");
                    break;
                }
                if al > 0 {
                    let s = nsap(b, at + 1, usize::from(al))?;
                    let _ = write!(out, "\n\t    NSAP address (length {al}): {s}");
                }
                tlen -= u32::from(al) + 1;
            }
        }
        205 => {
            let _ = write!(out, "0x{:x}", b.u8(t)? & 0x0f);
        }
        195 => {
            let v = b.u8(t)?;
            let _ = write!(
                out,
                "\n\t    Format Code: {}",
                tok(SCOPES, u32::from(v & 0xc0)).unwrap_or("Reserved")
            );
            if v & 0xc0 == 0xc0 {
                out.push_str("\n\t    QoS Flags [");
                bittok(out, QOS_GLOBAL, "none", u32::from(v & 0x3f));
                out.push(']');
            }
        }
        197 => {
            let v = b.u8(t)?;
            let _ = write!(
                out,
                "\n\t    Format Code: {}, Security-Level {}",
                tok(SCOPES, u32::from(v & 0xc0)).unwrap_or("Reserved"),
                b.u8(t + 1)?
            );
        }
        193 => {
            let v = b.u8(t)?;
            let (major, minor) = (v >> 4, v & 0x0f);
            let _ = write!(
                out,
                "\n\t    Class: {} Error (0x{major:x}), {} (0x{minor:x})",
                tok(RFD_CLASSES, u32::from(major)).unwrap_or("Unknown"),
                tok(rfd_table(major), u32::from(minor)).unwrap_or("Unknown")
            );
        }
        204 => out.push_str("padding data"),
        _ => {
            unknown_data(out, b, t, "\n\t  ", usize::from(opli));
        }
    }
    Ok(true)
}
