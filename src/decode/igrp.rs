//! Cisco IGRP (print-igrp.c) over IP protocol 9: `igrp: update V1 edit=3
//! AS=100 (1/2/0)` and each route with its metric, `(invalid)` when the
//! counts and the length disagree.

use super::dispatch::IpPayload;
use super::nd::{tok, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

/// The header: version/opcode, edition, AS, three route counts, checksum.
const HDR: usize = 12;
/// One route entry.
const RTE: usize = 14;

const OPCODES: &Tok = &[(1, "update"), (2, "request")];

/// igrp_entry_print: the metric of the route at `at`.
fn entry(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let delay = b.be24(at + 3)?;
    let bandwidth = b.be24(at + 6)?;
    let metric = (bandwidth + delay).min(0xff_ffff);
    let mtu = b.be16(at + 9)?;
    let _ = write!(
        out,
        " d={} b={} r={} l={} M={metric} mtu={mtu} in {} hops",
        10 * delay,
        10_000_000u32.checked_div(bandwidth).unwrap_or(0),
        b.u8(at + 11)?,
        b.u8(at + 12)?,
        b.u8(at + 13)?,
    );
    Ok(())
}

/// igrp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let b = Bytes::new(seg.data, "igrp");
    out.push_str("igrp:");
    let (mut nint, mut nsys, mut next) = (b.be16(4)?, b.be16(6)?, b.be16(8)?);
    let vop = b.u8(0)?;
    out.push(' ');
    match tok(OPCODES, u32::from(vop & 0xf)) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "op-#{}", vop & 0xf);
        }
    }
    let _ = write!(
        out,
        " V{} edit={} AS={} ({nint}/{nsys}/{next})",
        vop >> 4,
        b.u8(1)?,
        b.be16(2)?
    );
    let cksum = b.be16(10)?;
    if p.opts.verbose > 0 {
        let _ = write!(out, " checksum=0x{cksum:04x}");
    }
    // tcpdump's length is a u_int: shorter than the header, it wraps and
    // the entries are read until the capture ends.
    let mut length = (seg.length as u32).wrapping_sub(HDR as u32);
    let mut at = HDR;
    while length >= RTE as u32 {
        let net = b.take(at, 3)?;
        if nint > 0 {
            let _ = write!(out, " *.{}.{}.{}", net[0], net[1], net[2]);
            nint -= 1;
        } else if nsys > 0 {
            let _ = write!(out, " {}.{}.{}.0", net[0], net[1], net[2]);
            nsys -= 1;
        } else if next > 0 {
            let _ = write!(out, " X{}.{}.{}.0", net[0], net[1], net[2]);
            next -= 1;
        } else {
            let _ = write!(out, " [extra bytes {length}]");
            break;
        }
        entry(out, &b, at)?;
        at += RTE;
        length -= RTE as u32;
    }
    if nint > 0 || nsys > 0 || next > 0 || length > 0 {
        out.push_str(" (invalid)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_saturates_and_zero_bandwidth_prints_zero() {
        let mut rte = [0u8; RTE];
        rte[3..6].copy_from_slice(&[0xff, 0xff, 0xff]);
        rte[6..9].copy_from_slice(&[0, 0, 0]);
        let mut out = String::new();
        entry(&mut out, &Bytes::new(&rte, "igrp"), 0).unwrap();
        assert_eq!(out, " d=167772150 b=0 r=0 l=0 M=16777215 mtu=0 in 0 hops");
    }
}
