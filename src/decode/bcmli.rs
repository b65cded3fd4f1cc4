//! The Broadcom lawful-intercept shim (print-bcm-li.c) on UDP source port
//! 49152: `BCM-LI-SHIM: direction ingress, pkt-type ipv4, ...`, and with
//! `-v` the intercepted frame or packet after it.

use super::dispatch::Segment;
use super::nd::{tok, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use super::{ether, ip, ip6};
use core::fmt::Write;

const SHIM_LEN: usize = 4;

const DIRECTIONS: &Tok = &[(1, "unused"), (2, "egress"), (3, "ingress")];
const PKT_TYPES: &Tok = &[(4, "undecided"), (5, "ipv4"), (6, "ipv6"), (7, "ethernet")];
const PKT_SUBTYPES: &Tok = &[
    (1, "single VLAN tag"),
    (2, "double VLAN tag"),
    (3, "untagged"),
];

/// bcm_li_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "bcm_li");
    if seg.len < SHIM_LEN {
        let _ = write!(out, " (length {} < {SHIM_LEN}) (invalid)", seg.len);
        return Ok(());
    }
    let shim = b.be32(0)?;
    let pkt_type = shim >> 25 & 0xf;
    let v = p.opts.verbose > 0;
    let _ = write!(
        out,
        "{}BCM-LI-SHIM: direction {}, pkt-type {}, pkt-subtype {}, li-id {}{}",
        if v { "\n    " } else { "" },
        tok(DIRECTIONS, shim >> 29 & 0x7).unwrap_or("unknown"),
        tok(PKT_TYPES, pkt_type).unwrap_or("unknown"),
        tok(PKT_SUBTYPES, shim >> 22 & 0x7).unwrap_or("unknown"),
        shim & 0x3f_ffff,
        if v { "\n    " } else { "" },
    );
    let length = seg.len - SHIM_LEN;
    if !v {
        // ND_TCHECK_LEN under ND_LONGJMP_FROM_TCHECK: a longjmp.
        b.take(SHIM_LEN, length)?;
        return Ok(());
    }
    let inner = b.from(SHIM_LEN).data();
    match pkt_type {
        7 => ether::print(p, out, inner, length).map(|_| ()),
        5 => ip::print_packet(p, out, inner, length),
        6 => ip6::print_packet(p, out, inner, length),
        4 => match b.u8(SHIM_LEN)? >> 4 {
            4 => ip::print_packet(p, out, inner, length),
            6 => ip6::print_packet(p, out, inner, length),
            _ => {
                out.push_str("unknown payload");
                Ok(())
            }
        },
        _ => {
            out.push_str(" (invalid)");
            Ok(())
        }
    }
}
