//! HSRP (print-hsrp.c): `HSRPv0-hello 20: state=active group=1
//! addr=198.18.0.254`, with `-v` the timers, priority and authentication.

use super::dispatch::Segment;
use super::nd::{printjnp, push_tok, Tok};
use super::num::push_ip4;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use super::util::relts;
use core::fmt::Write;

const STATES: &Tok = &[
    (0, "initial"),
    (1, "learn"),
    (2, "listen"),
    (4, "speak"),
    (8, "standby"),
    (16, "active"),
];

/// hsrp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "hsrp");
    let version = b.u8(0)?;
    let _ = write!(out, "HSRPv{version}");
    if version != 0 {
        return Ok(());
    }
    out.push('-');
    match b.u8(1)? {
        0 => out.push_str("hello"),
        1 => out.push_str("coup"),
        2 => out.push_str("resign"),
        op => {
            let _ = write!(out, "unknown ({op})");
        }
    }
    let _ = write!(out, " {}: ", seg.len);
    let state = b.u8(2)?;
    out.push_str("state=");
    push_tok(out, STATES, u32::from(state), "Unknown ({})");
    out.push(' ');
    let _ = write!(out, "group={} ", b.u8(6)?);
    let reserved = b.u8(7)?;
    if reserved != 0 {
        let _ = write!(out, "[reserved={reserved}!] ");
    }
    let a = b.take(16, 4)?;
    out.push_str("addr=");
    push_ip4(out, [a[0], a[1], a[2], a[3]]);
    if p.opts.verbose > 0 {
        out.push_str(" hellotime=");
        relts(out, u32::from(b.u8(3)?));
        out.push_str(" holdtime=");
        relts(out, u32::from(b.u8(4)?));
        let _ = write!(out, " priority={}", b.u8(5)?);
        out.push_str(" auth=\"");
        printjnp(out, &b, 8, 8)?;
        out.push('"');
    }
    Ok(())
}
