//! Network Service Header (print-nsh.c), as VXLAN-GPE carries it: base and
//! service path headers, context headers with `-vvv`, then the payload.

use super::nd::{bittok, tok, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use super::{ether, ip, ip6};
use core::fmt::Write;

const MD_TYPES: &Tok = &[(0, "reserved"), (1, "1"), (2, "2"), (0xf, "experimental")];
const NEXT: &Tok = &[
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "Ethernet"),
    (4, "NSH"),
    (5, "MPLS"),
    (0xfe, "Experiment 1"),
    (0xff, "Experiment 2"),
];

/// A value's name, or `unknown (0xNN)`.
fn name_or_hex(out: &mut String, table: &Tok, v: u32) {
    match tok(table, v) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "unknown (0x{v:02x})");
        }
    }
}

/// nsh_print: the NSH at the start of `data`, `len` bytes long.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], len: usize) -> Printed {
    let b = Bytes::new(data, "nsh");
    let v = p.opts.verbose;
    if len < 8 {
        let _ = write!(out, " (packet length {len} < 8) (invalid)");
        return Ok(());
    }
    let base = b.be32(0)?;
    let ver = base >> 30;
    let length = ((base >> 16) & 0x3f) as usize;
    let md_type = (base >> 8) & 0xf;
    let next = base & 0xff;
    out.push_str("NSH, ");
    if v > 1 {
        let _ = write!(out, "ver {ver}, ");
    }
    if ver != 0 {
        return Ok(());
    }
    out.push_str("flags [");
    bittok(out, &[(2, "O")], "none", (base >> 28) & 3, "");
    out.push_str("], ");
    if v > 2 {
        let _ = write!(
            out,
            "TTL {}, length {length}, md type ",
            (base >> 22) & 0x3f
        );
        name_or_hex(out, MD_TYPES, md_type);
        out.push_str(", ");
    }
    if v > 1 {
        out.push_str("next-protocol ");
        name_or_hex(out, NEXT, next);
        out.push_str(", ");
    }
    if len < length * 4 {
        let _ = write!(out, " (too many headers for packet length {len}) (invalid)");
        return Ok(());
    }
    let _ = write!(out, "service-path-id 0x{:06x}, ", b.be24(4)?);
    let _ = write!(out, "service-index 0x{:x}", b.u8(7)?);
    if length < 2 {
        out.push_str(" (less than two headers) (invalid)");
        return Ok(());
    }
    let mut at = 8;
    let mut past = false;
    if v > 2 && md_type == 1 {
        if length != 6 {
            out.push_str(" (invalid length for the MD type) (invalid)");
            return Ok(());
        }
        for n in 0..length - 2 {
            let _ = write!(out, "\n        Context[{n:02}]: 0x{:08x}", b.be32(at)?);
            at += 4;
        }
        past = true;
    } else if v > 2 && md_type == 2 {
        let mut n = 0;
        while n < length - 2 {
            let class = b.be16(at)?;
            let ty = b.u8(at + 2)?;
            let tlv_len = usize::from(b.u8(at + 3)? & 0x7f);
            at += 4;
            let padded = tlv_len.div_ceil(4) * 4;
            let _ = write!(out, "\n        TLV Class {class}, Type {ty}, Len {tlv_len}");
            n += 1;
            if length - 2 < n + padded / 4 {
                out.push_str(" (length too big) (invalid)");
                return Ok(());
            }
            if tlv_len > 0 {
                out.push_str("\n            Value: ");
                for k in 0..tlv_len {
                    let _ = write!(out, "{}{:02x}", if k == 0 { "0x" } else { ":" }, b.u8(at)?);
                    at += 1;
                }
                b.take(at, padded - tlv_len)?;
                at += padded - tlv_len;
                n += padded / 4;
            }
        }
        past = true;
    }
    if !past {
        b.take(at, (length - 2) * 4)?;
        at += (length - 2) * 4;
    }
    out.push_str(if v > 0 { "\n    " } else { ": " });
    let next_len = len - length * 4;
    let rest = &data[at..];
    match next {
        1 => ip::print_packet(p, out, rest, next_len)?,
        2 => ip6::print_packet(p, out, rest, next_len)?,
        3 => {
            ether::print(p, out, rest, next_len)?;
        }
        _ => out.push_str("ERROR: unknown-next-protocol"),
    }
    Ok(())
}
