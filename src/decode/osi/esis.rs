//! ES-IS (esis_print in print-isoclns.c): `ES-IS, ESH, length N` at `-n`;
//! with `-v` the header with its Fletcher checksum and holding time, the
//! redirect, ESH and ISH bodies, their options, and unknown types dumped.

use super::super::nd::{tok, Tok};
use super::super::text::Printer;
use super::super::trunc::{mark, Bytes, Printed, Trunc};
use super::{nlpids, nsap, print_cksum, unknown_data};
use core::fmt::Write;

const FIXED: usize = 9;

const PDU_VALUES: &Tok = &[(6, "redirect"), (2, "ESH"), (4, "ISH")];

const OPTIONS: &Tok = &[
    (129, "Protocols supported"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (198, "ES Configuration Time"),
    (205, "Priority"),
    (225, "Addressk Mask"),
    (226, "SNPA Mask"),
];

/// linkaddr_string / etheraddr_string at `-n`: colon-separated hex.
fn linkaddr(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "<empty>".to_string();
    }
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, x) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// One length-prefixed field of a body: ND_TCHECK and the li check on the
/// length byte, then on the value; its offset and length, or None after
/// the marker or `bad` ended the line. `count` says whether li counts the
/// length byte.
fn lv(
    out: &mut String,
    b: &Bytes<'_>,
    t: &mut usize,
    li: &mut u32,
    bad: &str,
    count: bool,
) -> Result<Option<(usize, usize)>, Trunc> {
    if !b.has(*t, 1) {
        mark(out, "esis");
        return Ok(None);
    }
    if *li < 1 {
        out.push_str(bad);
        return Ok(None);
    }
    let n = usize::from(b.u8(*t)?);
    *t += 1;
    if count {
        *li -= 1;
    }
    if !b.has(*t, n) {
        mark(out, "esis");
        return Ok(None);
    }
    if *li < n as u32 {
        out.push_str(bad);
        return Ok(None);
    }
    let at = *t;
    *t += n;
    *li -= n as u32;
    Ok(Some((at, n)))
}

/// esis_print.
pub(super) fn print(p: &Printer, out: &mut String, data: &[u8], length: u32) -> Printed {
    let b = Bytes::new(data, "esis");
    let e = p.opts.link_header;
    let v = p.opts.verbose;
    if !e {
        out.push_str("ES-IS");
    }
    if length <= 2 {
        out.push_str(if p.opts.quiet {
            "bad pkt!"
        } else {
            "no header at all!"
        });
        return Ok(());
    }
    if !b.has(0, FIXED) {
        mark(out, "esis");
        return Ok(());
    }
    let mut li = u32::from(b.u8(1)?);
    let nlpid = b.u8(0)?;
    if nlpid != 0x82 {
        let _ = write!(out, " nlpid 0x{nlpid:02x} packet not supported");
        return Ok(());
    }
    let version = b.u8(2)?;
    if version != 1 {
        let _ = write!(out, " version {version} packet not supported");
        return Ok(());
    }
    if li > length {
        let _ = write!(out, " length indicator({li}) > PDU size ({length})!");
        return Ok(());
    }
    if li < FIXED as u32 + 2 {
        let _ = write!(out, " length indicator {li} < min PDU size:");
        for x in b.data() {
            let _ = write!(out, "{x:02X}");
        }
        return Ok(());
    }
    let ty = b.u8(4)? & 0x1f;
    let sep = if e { "" } else { ", " };
    if v < 1 {
        match tok(PDU_VALUES, u32::from(ty)) {
            Some(n) => {
                let _ = write!(out, "{sep}{n}, length {length}");
            }
            None => {
                let _ = write!(out, "{sep}unknown type ({ty}), length {length}");
            }
        }
        return Ok(());
    }
    let _ = write!(out, "{sep}length {length}\n\t");
    match tok(PDU_VALUES, u32::from(ty)) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "unknown type: {ty}");
        }
    }
    let _ = write!(out, " ({ty}), v: {version}");
    let ck = b.be16(7)?;
    let _ = write!(out, ", checksum: 0x{ck:04x}");
    print_cksum(out, &b, 0, ck, 7, li);
    let _ = write!(
        out,
        ", holding time: {}s, length indicator: {li}",
        b.be16(5)?
    );
    if v > 1 {
        unknown_data(out, &b, 0, "\n\t", FIXED);
    }
    let mut t = FIXED;
    li -= FIXED as u32;
    macro_rules! lv {
        ($bad:expr, $count:expr) => {
            match lv(out, &b, &mut t, &mut li, $bad, $count)? {
                Some(f) => f,
                None => return Ok(()),
            }
        };
    }
    match ty {
        6 => {
            const BAD: &str = ", bad redirect/li";
            let (dst, dstl) = lv!(BAD, true);
            let _ = write!(out, "\n\t  {}", nsap(&b, dst, dstl)?);
            let (snpa, snpal) = lv!(BAD, true);
            // tcpdump does not count the NET's length byte in li.
            let (neta, netal) = lv!(BAD, false);
            let _ = write!(
                out,
                "\n\t  SNPA (length: {snpal}): {}",
                linkaddr(b.take(snpa, snpal)?)
            );
            if netal != 0 {
                let _ = write!(
                    out,
                    "\n\t  NET (length: {netal}) {}",
                    nsap(&b, neta, netal)?
                );
            }
        }
        2 => {
            const BAD: &str = ", bad esh/li";
            if !b.has(t, 1) {
                mark(out, "esis");
                return Ok(());
            }
            if li < 1 {
                out.push_str(BAD);
                return Ok(());
            }
            let mut n = b.u8(t)?;
            t += 1;
            li -= 1;
            let _ = write!(out, "\n\t  Number of Source Addresses: {n}");
            while n > 0 {
                let (at, al) = lv!(BAD, true);
                let _ = write!(out, "\n\t  NET (length: {al}): {}", nsap(&b, at, al)?);
                n -= 1;
            }
        }
        4 => {
            let (at, al) = lv!(", bad ish/li", true);
            let _ = write!(out, "\n\t  NET (length: {al}): {}", nsap(&b, at, al)?);
        }
        _ => {
            if v <= 1 && b.has(t, 1) {
                unknown_data(out, &b, t, "\n\t  ", b.len() - t);
            }
            return Ok(());
        }
    }
    while li != 0 {
        if li < 2 {
            out.push_str(", bad opts/li");
            return Ok(());
        }
        let op = b.u8(t)?;
        let mut opli = b.u8(t + 1)?;
        t += 2;
        li -= 2;
        if u32::from(opli) > li {
            let _ = write!(out, ", opt ({op}) too long");
            return Ok(());
        }
        li -= u32::from(opli);
        let _ = write!(
            out,
            "\n\t  {} Option #{op}, length {opli}, value: ",
            tok(OPTIONS, u32::from(op)).unwrap_or("Unknown")
        );
        match op {
            198 => {
                if opli == 2 {
                    if !b.has(t, 2) {
                        mark(out, "esis");
                        return Ok(());
                    }
                    let _ = write!(out, "{}s", b.be16(t)?);
                } else {
                    out.push_str("(bad length)");
                }
            }
            129 => {
                nlpids(out, &b, t, usize::from(opli))?;
                // tcpdump counts opli down here: the -vv dump and the next
                // option start at this option's value.
                opli = 0;
            }
            _ => {
                unknown_data(out, &b, t, "\n\t  ", usize::from(opli));
            }
        }
        if v > 1 {
            unknown_data(out, &b, t, "\n\t  ", usize::from(opli));
        }
        t += usize::from(opli);
    }
    Ok(())
}
