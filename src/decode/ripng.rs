//! RIPng (print-ripng.c): ` ripng-req 1:`, ` ripng-resp 2: 2001:db8::/64
//! (1) ...`; entries on their own lines with `-vv`.

use super::dispatch::Segment;
use super::num::push_ip6;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const ENTRY: usize = 20;

/// rip6_entry_print: `prefix/len[ [tag]][ (metric)]`.
fn entry(out: &mut String, b: &Bytes<'_>, at: usize, metric: bool) -> Printed {
    let a = b.take(at, 16)?;
    let plen = b.u8(at + 18)?;
    let mut w = [0u8; 16];
    w.copy_from_slice(a);
    push_ip6(out, w);
    let _ = write!(out, "/{plen}");
    let tag = b.be16(at + 16)?;
    if tag != 0 {
        let _ = write!(out, " [{tag}]");
    }
    let m = b.u8(at + 19)?;
    if m != 0 && metric {
        let _ = write!(out, " ({m})");
    }
    Ok(())
}

/// ripng_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "ripng");
    let length = seg.len;
    let vers = b.u8(1)?;
    if vers != 1 {
        let _ = write!(out, " [vers {vers}] (invalid)");
        return Ok(());
    }
    let cmd = b.u8(0)?;
    if cmd != 1 && cmd != 2 {
        let _ = write!(out, " ripng-{cmd} ?? {length} (invalid)");
        return Ok(());
    }
    if length < 4 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let mut left = length - 4;
    let j = left / ENTRY;
    if cmd == 1 && j == 1 && b.u8(4 + 19)? == 16 && b.take(4, 16)?.iter().all(|&x| x == 0) {
        out.push_str(" ripng-req dump");
        return Ok(());
    }
    let name = if cmd == 1 { "req" } else { "resp" };
    if j * ENTRY != left {
        let _ = write!(out, " ripng-{name} {j}[{length}]:");
    } else {
        let _ = write!(out, " ripng-{name} {j}:");
    }
    let mut at = 4;
    while left >= ENTRY {
        out.push_str(if p.opts.verbose > 1 { "\n\t" } else { " " });
        entry(out, &b, at, cmd == 2)?;
        left -= ENTRY;
        at += ENTRY;
    }
    if left != 0 {
        out.push_str(" (invalid)");
    }
    Ok(())
}
