//! RADIUS (print-radius.c) on UDP 1645/1646/1812/1813/1700/3799:
//! `RADIUS, Access-Request (1), id: 0x2a length: 44`; with `-v` the
//! authenticator and one line per attribute, decoded by its type (strings,
//! numbers with their named values, addresses, IPv6 prefixes, times,
//! vendor-specific sub-attributes, EAP messages, location information,
//! ...), with `-vv` each attribute's hex dump too.
//!
//! As in tcpdump, an attribute printer that checks the captured length
//! first prints ` [|radius]` and the attribute loop goes on; a read past
//! the capture without a check ends the packet.

use super::dispatch::Segment;
use super::eapol;
use super::nd::{bittok, printjn, push_tok, tok, unknown_data};
use super::ntp;
use super::num::{push_ip4, push_ip6};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use core::fmt::Write;

mod tables;
use tables::*;

/// radius_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "radius");
    if !b.has(0, 20) {
        mark(out, "radius");
        return Ok(());
    }
    let mut len = usize::from(b.be16(2)?);
    if len < 20 {
        mark(out, "radius");
        return Ok(());
    }
    len = len.min(seg.len);
    let code = b.u8(0)?;
    let name = tok(RADIUS_COMMAND_VALUES, u32::from(code)).unwrap_or("Unknown Command");
    let id = b.u8(1)?;
    if p.opts.verbose < 1 {
        let _ = write!(out, "RADIUS, {name} ({code}), id: 0x{id:02x} length: {len}");
        return Ok(());
    }
    let _ = write!(
        out,
        "RADIUS, length: {len}\n\t{name} ({code}), id: 0x{id:02x}, Authenticator: "
    );
    for x in b.take(4, 16)? {
        let _ = write!(out, "{x:02x}");
    }
    if len > 20 {
        attrs(p, out, &b, 20, len - 20)?;
    }
    Ok(())
}

/// radius_attrs_print: `\n\t  Name Attribute (T), length: L, Value: ...`.
fn attrs(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut length: usize,
) -> Printed {
    while length > 0 {
        if length < 2 || !b.has(at, 2) {
            mark(out, "radius");
            return Ok(());
        }
        let ty = b.u8(at)?;
        let len = usize::from(b.u8(at + 1)?);
        let attr = ATTRS.get(usize::from(ty));
        let name = match attr {
            Some(a) if ty != 0 => a.0,
            _ => "Unknown",
        };
        let _ = write!(out, "\n\t  {name} Attribute ({ty}), length: {len}");
        if len < 2 {
            out.push_str(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            out.push_str(" (bogus, goes past end of packet)");
            return Ok(());
        }
        out.push_str(", Value: ");
        if let Some(a) = attr {
            if len > 2 {
                value(p, out, b, at + 2, len - 2, ty, a)?;
            }
        }
        if p.opts.verbose > 1 {
            unknown_data(out, b, at + 2, "\n\t    ", len - 2);
        }
        length -= len;
        at += len;
    }
    Ok(())
}

/// One attribute's value, `length` bytes at `at`.
fn value(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
    ty: u8,
    a: &Attr,
) -> Printed {
    // The printers that check the captured length first (ND_TCHECK_LEN).
    let checks_first = match a.3 {
        P::Str | P::Operator | P::LocInfo | P::LocData | P::Blpr => true,
        P::Netmask6 => (2..=18).contains(&length),
        P::Mip6Prefix => length == 17,
        _ => false,
    };
    if checks_first && !b.has(at, length) {
        mark(out, "radius");
        return Ok(());
    }
    match a.3 {
        P::None => {}
        P::Str => string(out, b, at, length, ty)?,
        P::Num => num(out, b, at, length, ty, a)?,
        P::Vendor => vendor(out, b, at, length)?,
        P::Addr => {
            if length != 4 {
                let _ = write!(out, "ERROR: length {length} != 4");
                return Ok(());
            }
            let v = b.be32(at)?;
            if matches!(ty, 8 | 14) && v == 0xffff_ffff {
                out.push_str("User Selected");
            } else if matches!(ty, 8 | 14) && v == 0xffff_fffe {
                out.push_str("NAS Select");
            } else {
                push_ip4(out, v.to_be_bytes());
            }
        }
        P::Addr6 => {
            if length != 16 {
                let _ = write!(out, "ERROR: length {length} != 16");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at, 16)?));
        }
        P::Netmask6 => {
            if !(2..=18).contains(&length) {
                let _ = write!(out, "ERROR: length {length} not in range (2..18)");
                return Ok(());
            }
            let plen = b.u8(at + 1)?;
            if plen > 128 {
                let _ = write!(out, "ERROR: netmask {plen} not in range (0..128)");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at + 2, length - 2)?));
            let _ = write!(out, "/{plen}");
            if usize::from(plen) > 8 * (length - 2) {
                out.push_str(" (inconsistent prefix length)");
            }
        }
        P::Mip6Prefix => {
            if length != 17 {
                let _ = write!(out, "ERROR: length {length} != 17");
                return Ok(());
            }
            let plen = b.u8(at)?;
            if plen > 128 {
                let _ = write!(out, "ERROR: netmask {plen} not in range (0..128)");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at + 1, 16)?));
            let _ = write!(out, "/{plen}");
        }
        P::Operator => {
            if length < 2 {
                let _ = write!(out, "ERROR: length {length} < 2");
                return Ok(());
            }
            out.push('[');
            push_tok(
                out,
                OPERATOR_NAME_VECTOR,
                u32::from(b.u8(at)?),
                "unknown namespace {}",
            );
            out.push_str("] ");
            printjn(out, b, at + 1, length - 1)?;
        }
        P::LocInfo => {
            if length < 21 {
                let _ = write!(out, "ERROR: length {length} < 21");
                return Ok(());
            }
            let _ = write!(out, "index {}, code ", b.be16(at)?);
            let (code, entity) = (b.u8(at + 2)?, b.u8(at + 3)?);
            push_tok(
                out,
                LOCATION_INFORMATION_CODE_VECTOR,
                u32::from(code),
                "Unknown ({})",
            );
            out.push_str(", entity ");
            push_tok(
                out,
                LOCATION_INFORMATION_ENTITY_VECTOR,
                u32::from(entity),
                "Unknown ({})",
            );
            out.push_str(", sighting time ");
            ntp::ntp_time(out, b.be32(at + 4)?, b.be32(at + 8)?);
            out.push_str(", time to live ");
            ntp::ntp_time(out, b.be32(at + 12)?, b.be32(at + 16)?);
            out.push_str(", method \"");
            printjn(out, b, at + 20, length - 20)?;
            out.push('"');
        }
        P::LocData => {
            if length < 3 {
                let _ = write!(out, "ERROR: length {length} < 3");
                return Ok(());
            }
            let _ = write!(out, "index {}, location", b.be16(at)?);
            super::hex::hex_ascii_with(out, "\n\t    ", b.take(at + 2, length - 2)?);
        }
        P::Blpr => {
            if length < 10 {
                let _ = write!(out, "ERROR: length {length} < 10");
                return Ok(());
            }
            out.push_str("flags [");
            bittok(out, BLPR_BM, "none", u32::from(b.be16(at)?), ", ");
            out.push_str("], retention expires ");
            ntp::ntp_time(out, b.be32(at + 2)?, b.be32(at + 6)?);
            if length > 10 {
                out.push_str(", note well \"");
                printjn(out, b, at + 10, length - 10)?;
                out.push('"');
            }
        }
        P::Time => {
            if length != 4 {
                let _ = write!(out, "ERROR: length {length} != 4");
                return Ok(());
            }
            ctime(p, out, b.be32(at)?);
        }
        P::Vector64 => {
            if length != 8 {
                let _ = write!(out, "ERROR: length {length} != 8");
                return Ok(());
            }
            out.push('[');
            let v = b.be64(at)?;
            let mut sep = "";
            for (bit, name) in MIP6_FEATURES {
                if v & bit != 0 {
                    let _ = write!(out, "{sep}{name}");
                    sep = ", ";
                }
            }
            out.push(']');
        }
        P::Strange => strange(out, b, at, length, ty)?,
    }
    Ok(())
}

/// The 16 bytes of an IPv6 address, zero-filled after a short prefix.
fn ip6(bytes: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    for (d, s) in a.iter_mut().zip(bytes) {
        *d = *s;
    }
    a
}

/// `Tag[N] ` (1..=31) or `Tag[Unused] `.
fn tag(out: &mut String, t: u8) {
    if t != 0 && t <= 0x1f {
        let _ = write!(out, "Tag[{t}] ");
    } else {
        out.push_str("Tag[Unused] ");
    }
}

/// print_attr_string (the length was checked).
fn string(out: &mut String, b: &Bytes<'_>, mut at: usize, mut length: usize, ty: u8) -> Printed {
    match ty {
        TUNNEL_PASS => {
            if length < 3 {
                mark(out, "radius");
                return Ok(());
            }
            tag(out, b.u8(at)?);
            let _ = write!(out, "Salt {} ", b.be16(at + 1)?);
            at += 3;
            length -= 3;
        }
        TUNNEL_CLIENT_END | TUNNEL_SERVER_END | TUNNEL_PRIV_GROUP | TUNNEL_ASSIGN_ID
        | TUNNEL_CLIENT_AUTH | TUNNEL_SERVER_AUTH => {
            let t = b.u8(at)?;
            if t <= 0x1f {
                tag(out, t);
                at += 1;
                length -= 1;
            }
        }
        EGRESS_VLAN_NAME => {
            let t = b.u8(at)?;
            push_tok(out, RFC4675_TAGGED, u32::from(t), "Unknown tag");
            let _ = write!(out, " (0x{t:02x}) ");
            at += 1;
            length -= 1;
        }
        EAP_MESSAGE => return eapol::eap(out, &b.from(at), length),
        _ => {}
    }
    for i in 0..length {
        let c = b.u8(at + i)?;
        if c == 0 {
            break;
        }
        out.push(if (0x20..0x7f).contains(&c) {
            char::from(c)
        } else {
            '.'
        });
    }
    Ok(())
}

/// print_vendor_attr: the vendor and its sub-attributes as text.
fn vendor(out: &mut String, b: &Bytes<'_>, mut at: usize, mut length: usize) -> Printed {
    if length < 4 {
        mark(out, "radius");
        return Ok(());
    }
    let id = b.be32(at)?;
    at += 4;
    length -= 4;
    let _ = write!(
        out,
        "Vendor: {} ({id})",
        tok(SMI_VALUES, id).unwrap_or("Unknown")
    );
    while length >= 2 {
        let ty = b.u8(at)?;
        let len = usize::from(b.u8(at + 1)?);
        if len < 2 {
            let _ = write!(
                out,
                "\n\t    Vendor Attribute: {ty}, Length: {len} (bogus, must be >= 2)"
            );
            return Ok(());
        }
        if len > length {
            let _ = write!(
                out,
                "\n\t    Vendor Attribute: {ty}, Length: {len} (bogus, goes past end of vendor-specific attribute)"
            );
            return Ok(());
        }
        at += 2;
        length -= 2;
        let vlen = len - 2;
        if !b.has(at, vlen) {
            mark(out, "radius");
            return Ok(());
        }
        let _ = write!(
            out,
            "\n\t    Vendor Attribute: {ty}, Length: {vlen}, Value: "
        );
        for &c in b.take(at, vlen)? {
            out.push(if (0x20..0x7f).contains(&c) {
                char::from(c)
            } else {
                '.'
            });
        }
        at += vlen;
        length -= vlen;
    }
    Ok(())
}

/// print_attr_num.
fn num(out: &mut String, b: &Bytes<'_>, at: usize, length: usize, ty: u8, a: &Attr) -> Printed {
    if length != 4 {
        let _ = write!(out, "ERROR: length {length} != 4");
        return Ok(());
    }
    let (_, values, first, _) = *a;
    if !values.is_empty() {
        let v = if ty == 64 || ty == 65 {
            tag_byte(out, b.u8(at)?);
            b.be24(at + 1)?
        } else {
            b.be32(at)?
        };
        match values.get(v as usize) {
            Some(name) if v >= first => out.push_str(name),
            _ => {
                let _ = write!(out, "#{v}");
            }
        }
        return Ok(());
    }
    let v = if matches!(ty, 56 | 83) {
        0
    } else {
        b.be32(at)?
    };
    match ty {
        23 if v == 0xffff_fffe => out.push_str("NAS Select"),
        27 | 28 | 41 | 46 | 85 => {
            if v < 60 {
                let _ = write!(out, "{v:02} secs");
            } else if v < 3600 {
                let _ = write!(out, "{:02}:{:02} min", v / 60, v % 60);
            } else {
                let _ = write!(
                    out,
                    "{:02}:{:02}:{:02} hours",
                    v / 3600,
                    v % 3600 / 60,
                    v % 60
                );
            }
        }
        37 if v == 0 => out.push_str("Unnumbered"),
        38 if v == 0 => out.push_str("NAS assigned"),
        83 => {
            tag_byte(out, b.u8(at)?);
            let _ = write!(out, "{}", b.be24(at + 1)?);
        }
        56 => {
            let t = b.u8(at)?;
            push_tok(out, RFC4675_TAGGED, u32::from(t), "Unknown tag");
            let _ = write!(out, " (0x{t:02x}) ");
            let _ = write!(out, "{}", b.be24(at + 1)?);
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
    Ok(())
}

/// `Tag[N] ` for any non-zero byte (print_attr_num's form), else `Tag[Unused] `.
fn tag_byte(out: &mut String, t: u8) {
    if t != 0 {
        let _ = write!(out, "Tag[{t}] ");
    } else {
        out.push_str("Tag[Unused] ");
    }
}

/// `n` bytes from `at` as upper-case hex (PRINT_HEX).
fn hex_upper(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Printed {
    for k in 0..n {
        let _ = write!(out, "{:02X}", b.u8(at + k)?);
    }
    Ok(())
}

/// print_attr_strange: ARAP password, features and challenge; Error-Cause.
fn strange(out: &mut String, b: &Bytes<'_>, at: usize, length: usize, ty: u8) -> Printed {
    match ty {
        70 => {
            if length != 16 {
                let _ = write!(out, "ERROR: length {length} != 16");
                return Ok(());
            }
            out.push_str("User_challenge (");
            hex_upper(out, b, at, 8)?;
            out.push_str(") User_resp(");
            hex_upper(out, b, at + 8, 8)?;
            out.push(')');
        }
        71 => {
            if length != 14 {
                let _ = write!(out, "ERROR: length {length} != 14");
                return Ok(());
            }
            out.push_str(if b.u8(at)? != 0 {
                "User can change password"
            } else {
                "User cannot change password"
            });
            let _ = write!(
                out,
                ", Min password length: {}, created at: ",
                b.u8(at + 1)?
            );
            hex_upper(out, b, at + 2, 4)?;
            out.push_str(", expires in: ");
            hex_upper(out, b, at + 6, 4)?;
            out.push_str(", Current Time: ");
            hex_upper(out, b, at + 10, 4)?;
        }
        84 => {
            if length < 8 {
                let _ = write!(out, "ERROR: length {length} != 8");
                return Ok(());
            }
            hex_upper(out, b, at, 8)?;
        }
        101 => {
            if length != 4 {
                let _ = write!(out, "Error: length {length} != 4");
                return Ok(());
            }
            let v = b.be32(at)?;
            let _ = write!(out, "Error cause {v}: ");
            push_tok(out, ERRORCAUSETYPE, v, "Error-Cause {} not known");
        }
        _ => {}
    }
    Ok(())
}

/// ctime(3) without the newline: `Thu Jan  1 00:00:00 1970` in local time.
fn ctime(p: &mut Printer, out: &mut String, secs: u32) {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let off = p
        .hooks
        .offset
        .as_mut()
        .map_or(0, |o| o.offset(i64::from(secs)));
    let t = i64::from(secs) + i64::from(off);
    let days = t.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    let (y, m, d) = ntp::civil(days);
    let _ = write!(
        out,
        "{} {} {d:2} {:02}:{:02}:{:02} {y}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS.get(m as usize - 1).unwrap_or(&""),
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_and_value_tables() {
        let b = Bytes::new(
            b"\x00\x00\x0e\x10\x00\x00\x00\x02\x00\x00\x00\x30",
            "radius",
        );
        let attr = |t: usize| &ATTRS[t];
        let mut out = String::new();
        num(&mut out, &b, 0, 4, 27, attr(27)).unwrap();
        out.push('|');
        num(&mut out, &b, 4, 4, 6, attr(6)).unwrap();
        out.push('|');
        num(&mut out, &b, 8, 4, 6, attr(6)).unwrap();
        out.push('|');
        num(&mut out, &b, 0, 3, 6, attr(6)).unwrap();
        assert_eq!(out, "01:00:00 hours|Framed|#48|ERROR: length 3 != 4");
        // A value read past the capture is the packet's end (a longjmp).
        let short = Bytes::new(b"\x00\x00", "radius");
        assert!(num(&mut String::new(), &short, 0, 4, 5, attr(5)).is_err());
    }
}
