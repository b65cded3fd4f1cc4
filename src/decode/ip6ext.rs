//! IPv6 extension headers (print-ip6opts.c, print-frag6.c, print-rt6.c,
//! print-mobility.c): each returns the header's length, or `None` when it
//! ended the packet's line (tcpdump's -1).

use super::demux::Ip;
use super::text::Printer;
use super::trunc::{mark, Bytes, Trunc};
use super::util::{bittok_sep, tok, Tok};
use core::fmt::Write;

/// What an extension header printer returns: its length, or `None` when
/// printing stops there.
type Ext = Result<Option<usize>, Trunc>;

/// The hop-by-hop options header.
pub(super) fn hbhopt(
    p: &Printer,
    out: &mut String,
    cp: &[u8],
    found_jumbo: &mut bool,
    payload_len: &mut u32,
) -> Ext {
    let b = Bytes::new(cp, "hbhopt");
    let len = (usize::from(b.u8(1)?) + 1) << 3;
    if !b.has(0, len) {
        mark(out, "hbhopt");
        return Ok(None);
    }
    out.push_str("HBH ");
    if options(p, out, &b, 2, len - 2, Some((found_jumbo, payload_len))).is_err() {
        mark(out, "hbhopt");
        return Ok(None);
    }
    Ok(Some(len))
}

/// The destination options header.
pub(super) fn dstopt(p: &Printer, out: &mut String, cp: &[u8]) -> Ext {
    let b = Bytes::new(cp, "dstopt");
    let len = (usize::from(b.u8(1)?) + 1) << 3;
    if !b.has(0, len) {
        mark(out, "dstopt");
        return Ok(None);
    }
    out.push_str("DSTOPT ");
    if p.opts.verbose > 0 && options(p, out, &b, 2, len - 2, None).is_err() {
        mark(out, "dstopt");
        return Ok(None);
    }
    Ok(Some(len))
}

/// ip6_opt_process; `Err(())` for tcpdump's `goto trunc`.
#[allow(clippy::result_unit_err)]
fn options(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    len: usize,
    mut jumbo: Option<(&mut bool, &mut u32)>,
) -> Result<(), ()> {
    let v = p.opts.verbose > 0;
    if len == 0 {
        return Ok(());
    }
    let get = |i: usize| b.u8(at + i).map_err(|_| ());
    let mut found = false;
    let mut i = 0;
    while i < len {
        let (t, optlen) = option_at(b, at, i, len).ok_or(())?;
        match t {
            0 => {
                if v {
                    out.push_str("(pad1)");
                }
            }
            1 => {
                if len - i < 2 {
                    out.push_str("(padn: trunc)");
                    return Err(());
                }
                if v {
                    out.push_str("(padn)");
                }
            }
            5 => {
                if len - i < 4 {
                    out.push_str("(rtalert: trunc)");
                    return Err(());
                }
                let l = get(i + 1)?;
                if l != 2 {
                    let _ = write!(out, "(rtalert: invalid len {l})");
                    return Err(());
                }
                if v {
                    let val = b.be16(at + i + 2).map_err(|_| ())?;
                    let _ = write!(out, "(rtalert: 0x{val:04x}) ");
                }
            }
            0xc2 => {
                if len - i < 6 {
                    out.push_str("(jumbo: trunc)");
                    return Err(());
                }
                let l = get(i + 1)?;
                if l != 4 {
                    let _ = write!(out, "(jumbo: invalid len {l})");
                    return Err(());
                }
                let jl = b.be32(at + i + 2).map_err(|_| ())?;
                if found {
                    if v {
                        let _ = write!(out, "(jumbo: {jl} - already seen) ");
                    }
                } else {
                    found = true;
                    match jumbo.as_mut() {
                        None => {
                            if v {
                                let _ = write!(out, "(jumbo: {jl} - not a hop-by-hop option) ");
                            }
                        }
                        Some((_, pl)) if **pl != 0 => {
                            if v {
                                let _ = write!(out, "(jumbo: {jl} - payload len != 0) ");
                            }
                        }
                        Some((fj, pl)) => {
                            if jl < 65536 {
                                if v {
                                    let _ = write!(out, "(jumbo: {jl} - < 65536) ");
                                }
                            } else {
                                **fj = true;
                                **pl = jl;
                                if v {
                                    let _ = write!(out, "(jumbo: {jl}) ");
                                }
                            }
                        }
                    }
                }
            }
            0xc9 => {
                if len - i < 18 {
                    out.push_str("(homeaddr: trunc)");
                    return Err(());
                }
                let l = get(i + 1)?;
                if l < 16 {
                    let _ = write!(out, "(homeaddr: invalid len {l})");
                    return Err(());
                }
                if v {
                    let a = b.take(at + i + 2, 16).map_err(|_| ())?;
                    let _ = write!(out, "(homeaddr: {}", Ip::addr(a));
                    if l > 16 {
                        sub_options(out, b, at + i + 18, optlen - 18)?;
                    }
                    out.push(')');
                }
            }
            _ => {
                if len - i < 2 {
                    let _ = write!(out, "(type {t}: trunc)");
                    return Err(());
                }
                if v {
                    let _ = write!(out, "(opt_type 0x{t:02x}: len={})", get(i + 1)?);
                }
            }
        }
        i += optlen;
    }
    if v {
        out.push(' ');
    }
    Ok(())
}

/// The type and length of the option at `i` of the `len` bytes from `at`
/// (Pad1 is one byte, the others a type, a length and data); `None` when
/// it runs past `len` (the option printers' `goto trunc`).
fn option_at(b: &Bytes<'_>, at: usize, i: usize, len: usize) -> Option<(u8, usize)> {
    let t = b.u8(at + i).ok()?;
    let optlen = if t == 0 {
        1
    } else if i + 1 < len {
        usize::from(b.u8(at + i + 1).ok()?) + 2
    } else {
        return None;
    };
    (i + optlen <= len).then_some((t, optlen))
}

/// ip6_sopt_print: the sub-options of a home address option.
fn sub_options(out: &mut String, b: &Bytes<'_>, at: usize, len: usize) -> Result<(), ()> {
    let get = |i: usize| b.u8(at + i).map_err(|_| ());
    let mut i = 0;
    while i < len {
        let (t, optlen) = option_at(b, at, i, len).ok_or(())?;
        match t {
            0 => out.push_str(", pad1"),
            1 => {
                if len - i < 2 {
                    out.push_str(", padn: trunc");
                    return Err(());
                }
                out.push_str(", padn");
            }
            _ => {
                if len - i < 2 {
                    let _ = write!(out, ", sopt_type {t}: trunc)");
                    return Err(());
                }
                let _ = write!(out, ", sopt_type 0x{t:02x}: len={}", get(i + 1)?);
            }
        }
        i += optlen;
    }
    Ok(())
}

/// The fragment header: `frag (off|len)`; `None` for a later fragment.
/// `ip6` is the packet from its IPv6 header, `at` where this header starts.
pub(super) fn frag6(p: &Printer, out: &mut String, cp: &[u8], ip6: &[u8], at: usize) -> Ext {
    let b = Bytes::new(cp, "frag6");
    let plen = usize::from(u16::from_be_bytes([ip6[4], ip6[5]]));
    let rest = (40 + plen) as i64 - at as i64 - 8;
    let off = b.be16(2)? & 0xfff8;
    if p.opts.verbose > 0 {
        let id = b.be32(4)?;
        let _ = write!(out, "frag (0x{id:08x}:{off}|{})", rest as u64);
    } else {
        let _ = write!(out, "frag ({off}|{})", rest as u64);
    }
    if off != 0 {
        return Ok(None);
    }
    out.push(' ');
    Ok(Some(8))
}

/// The routing header: `RT6 (len=N, type=T, segleft=S, ...) `.
pub(super) fn rt6(p: &Printer, out: &mut String, cp: &[u8]) -> Ext {
    let b = Bytes::new(cp, "rt6");
    out.push_str("RT6");
    let len = b.u8(1)?;
    let _ = write!(out, " (len={len}");
    let ty = b.u8(2)?;
    let _ = write!(out, ", type={ty}");
    if ty == 0 {
        out.push_str(" [Deprecated]");
    }
    let _ = write!(out, ", segleft={}", b.u8(3)?);
    let v = p.opts.verbose > 0;
    match ty {
        0 | 2 => {
            let rsv = b.be32(4)?;
            if rsv != 0 || v {
                let _ = write!(out, ", rsv=0x{rsv:x}");
            }
        }
        4 => {
            let _ = write!(out, ", last-entry={}", b.u8(4)?);
            let flags = b.u8(5)?;
            if flags != 0 || v {
                let _ = write!(out, ", flags=0x{flags:x}");
            }
            let _ = write!(out, ", tag={:x}", b.be16(6)?);
        }
        _ => {
            out.push_str(" (unknown type) (invalid)");
            return Ok(None);
        }
    }
    if len % 2 == 1 {
        let _ = write!(out, " (invalid length {len}) (invalid)");
        return Ok(None);
    }
    for i in 0..usize::from(len / 2) {
        let a = b.take(8 + i * 16, 16)?;
        let _ = write!(out, ", [{i}]{}", Ip::addr(a));
    }
    out.push_str(") ");
    Ok(Some((usize::from(len) + 1) << 3))
}

const MOBILITY_TYPES: &Tok = &[
    (0, "BRR"),
    (1, "HoTI"),
    (2, "CoTI"),
    (3, "HoT"),
    (4, "CoT"),
    (5, "BU"),
    (6, "BA"),
    (7, "BE"),
];
const MOBILITY_HDRLEN: [usize; 8] = [8, 16, 16, 24, 24, 12, 12, 24];
const BU_BITS: &Tok = &[(0x08, "A"), (0x04, "H"), (0x02, "L"), (0x01, "K")];

/// The mobility header (brief): its type and main fields, options with `-v`.
pub(super) fn mobility(p: &Printer, out: &mut String, cp: &[u8]) -> Result<(), Trunc> {
    let b = Bytes::new(cp, "mobility");
    if cp.len() < 2 {
        mark(out, "mobility");
        return Ok(());
    }
    let mhlen = (usize::from(b.u8(1)?) + 1) << 3;
    let ty = b.u8(2)?;
    if let Some(&min) = MOBILITY_HDRLEN.get(usize::from(ty)) {
        if mhlen < min {
            let _ = write!(out, "(header length {mhlen} is too small for type {ty})");
            mark(out, "mobility");
            return Ok(());
        }
    }
    out.push_str("mobility: ");
    match tok(MOBILITY_TYPES, u32::from(ty)) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "type-#{ty}");
        }
    }
    let v = p.opts.verbose > 0;
    let hlen = match ty {
        0 => 8,
        1 | 2 => {
            if v {
                let _ = write!(
                    out,
                    " {} Init Cookie={:08x}:{:08x}",
                    if ty == 1 { "Home" } else { "Care-of" },
                    b.be32(8)?,
                    b.be32(12)?
                );
            }
            16
        }
        3 | 4 => {
            let _ = write!(out, " nonce id=0x{:x}", b.be16(6)?);
            let which = if ty == 3 { "Home" } else { "Care-of" };
            if v {
                let _ = write!(
                    out,
                    " {which} Init Cookie={:08x}:{:08x}",
                    b.be32(8)?,
                    b.be32(12)?
                );
                let _ = write!(
                    out,
                    " {which} Keygen Token={:08x}:{:08x}",
                    b.be32(16)?,
                    b.be32(20)?
                );
            }
            24
        }
        5 => {
            let _ = write!(out, " seq#={}", b.be16(6)?);
            if !b.has(8, 2) {
                mark(out, "mobility");
                return Ok(());
            }
            let bits = (b.u8(8)? & 0xf0) >> 4;
            if bits != 0 {
                out.push(' ');
                bittok_sep(
                    out,
                    BU_BITS,
                    &format!("bits-#0x{bits:x}"),
                    u32::from(bits),
                    "",
                );
            }
            let _ = write!(out, " lifetime={}", u32::from(b.be16(10)?) << 2);
            12
        }
        6 => {
            let _ = write!(out, " status={}", b.u8(6)?);
            if b.u8(7)? & 0x80 != 0 {
                out.push_str(" K");
            }
            let _ = write!(out, " seq#={}", b.be16(8)?);
            let _ = write!(out, " lifetime={}", u32::from(b.be16(10)?) << 2);
            12
        }
        7 => {
            let _ = write!(out, " status={}", b.u8(6)?);
            let _ = write!(out, " homeaddr {}", Ip::addr(b.take(8, 16)?));
            24
        }
        _ => {
            let _ = write!(out, " len={}", b.u8(1)?);
            return Ok(());
        }
    };
    if v && mobility_options(out, &b, hlen, mhlen.saturating_sub(hlen))? {
        mark(out, "mobility");
    }
    Ok(())
}

/// mobility_opt_print: `true` for its `goto trunc`.
fn mobility_options(out: &mut String, b: &Bytes<'_>, at: usize, len: usize) -> Result<bool, Trunc> {
    let mut i = 0;
    while i < len {
        let Some((t, optlen)) = option_at(b, at, i, len) else {
            b.u8(at + i)?;
            return Ok(true);
        };
        if !b.has(at + i + optlen, 1) {
            return Ok(true);
        }
        let short = |out: &mut String, min: usize, what: &str| {
            if len - i < min {
                let _ = write!(out, "({what}: trunc)");
                true
            } else {
                false
            }
        };
        match t {
            0 => out.push_str("(pad1)"),
            1 => {
                if short(out, 2, "padn") {
                    return Ok(true);
                }
                out.push_str("(padn)");
            }
            2 => {
                if short(out, 4, "refresh") {
                    return Ok(true);
                }
                let _ = write!(out, "(refresh: {})", u32::from(b.be16(at + i + 2)?) << 2);
            }
            3 => {
                if short(out, 18, "altcoa") {
                    return Ok(true);
                }
                let _ = write!(out, "(alt-CoA: {})", Ip::addr(b.take(at + i + 2, 16)?));
            }
            4 => {
                if short(out, 6, "ni") {
                    return Ok(true);
                }
                let _ = write!(
                    out,
                    "(ni: ho=0x{:04x} co=0x{:04x})",
                    b.be16(at + i + 2)?,
                    b.be16(at + i + 4)?
                );
            }
            5 => {
                if short(out, 12, "auth") {
                    return Ok(true);
                }
                out.push_str("(auth)");
            }
            _ => {
                if len - i < 2 {
                    let _ = write!(out, "(sopt_type {t}: trunc)");
                    return Ok(true);
                }
                let _ = write!(out, "(type-0x{t:02x}: len={})", b.u8(at + i + 1)?);
            }
        }
        i += optlen;
    }
    Ok(false)
}
