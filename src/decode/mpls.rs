//! MPLS label stacks and the packet under them (print-mpls.c).

use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const LABEL_NAMES: [&str; 16] = [
    "IPv4 explicit NULL",
    "router alert",
    "IPv6 explicit NULL",
    "implicit NULL",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
];

/// mpls_print: `MPLS (label N, tc N, [S], ttl N)` per entry, then the
/// IPv4 or IPv6 packet the bottom label or the first byte suggests.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "mpls");
    let v = p.opts.verbose > 0;
    out.push_str("MPLS");
    let mut at = 0;
    let mut length = length;
    let mut depth = 0;
    let label = loop {
        if length < 4 {
            out.push_str(" (invalid)");
            b.take(at, length)?;
            return Ok(());
        }
        let e = b.be32(at)?;
        let label = e >> 12;
        let _ = write!(
            out,
            "{}(label {label}",
            if depth > 0 && v { "\n\t" } else { " " }
        );
        depth += 1;
        if v {
            if let Some(n) = LABEL_NAMES.get(label as usize) {
                let _ = write!(out, " ({n})");
            }
        }
        let _ = write!(out, ", tc {}", (e >> 9) & 7);
        if e & 0x100 != 0 {
            out.push_str(", [S]");
        }
        let _ = write!(out, ", ttl {})", e & 0xff);
        at += 4;
        length -= 4;
        if e & 0x100 != 0 {
            break label;
        }
    };
    let rest = &data[at..];
    let kind = match label {
        0 | 3 => 4,
        2 => 6,
        _ => {
            if length < 1 {
                return Ok(());
            }
            match b.u8(at)? {
                0x45..=0x4f => 4,
                0x60..=0x6f => 6,
                0x81..=0x83 => 1,
                _ => 0,
            }
        }
    };
    match kind {
        4 | 6 | 1 => {
            out.push_str(if v { "\n\t" } else { " " });
            match kind {
                4 => super::ip::print_packet(p, out, rest, length),
                6 => super::ip6::print_packet(p, out, rest, length),
                // OSI (CLNP, ES-IS, IS-IS) is not decoded.
                _ => p.default_print_len(out, rest, length, "mpls"),
            }
        }
        _ => p.default_print_len(out, rest, length, "mpls"),
    }
}
