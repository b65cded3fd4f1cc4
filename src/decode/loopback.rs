//! Ethernet configuration testing protocol, EtherType 0x9000
//! (print-loopback.c).

use super::ether::mac_name;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

/// loopback_print.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], len: usize) -> Printed {
    let b = Bytes::new(data, "loopback");
    out.push_str("Loopback");
    let invalid = |out: &mut String, at: usize, len: usize| -> Printed {
        out.push_str(" (invalid)");
        b.take(at, len)?;
        Ok(())
    };
    if len < 2 {
        return invalid(out, 0, len);
    }
    let skip = usize::from(b.le16(0)?);
    let _ = write!(out, ", skipCount {skip}");
    if skip % 8 != 0 {
        out.push_str(" (bogus)");
    }
    let len = len - 2;
    if skip > len {
        return invalid(out, 2, len);
    }
    b.take(2, skip)?;
    let at = 2 + skip;
    let len = len - skip;
    // loopback_message_print.
    if len < 2 {
        return invalid(out, at, len);
    }
    let function = b.le16(at)?;
    match function {
        1 => out.push_str(", Reply"),
        2 => out.push_str(", Forward Data"),
        f => {
            let _ = write!(out, ",  invalid ({f})");
        }
    }
    let (at, len) = (at + 2, len - 2);
    match function {
        1 => {
            if len < 2 {
                return invalid(out, at, len);
            }
            let _ = write!(out, ", receipt number {}", b.le16(at)?);
            let _ = write!(out, ", data ({} octets)", len - 2);
            b.take(at + 2, len - 2)?;
        }
        2 => {
            if len < 6 {
                return invalid(out, at, len);
            }
            let _ = write!(
                out,
                ", forwarding address {}",
                mac_name(b.take(at, 6)?, p.opts.numeric)
            );
            let _ = write!(out, ", data ({} octets)", len - 6);
            b.take(at + 6, len - 6)?;
        }
        _ => {
            b.take(at, len)?;
        }
    }
    Ok(())
}
