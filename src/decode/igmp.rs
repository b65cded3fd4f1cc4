//! IGMP v1, v2 and v3, and the mtrace messages (print-igmp.c).

use super::dispatch::IpPayload;
use super::inet_checksum;
use super::mcast;
use super::num::ip4_text;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use super::util::relts;
use core::fmt::Write;

/// igmp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, len) = (seg.data, seg.length);
    let b = Bytes::new(data, "igmp");
    if p.opts.quiet {
        out.push_str("igmp");
        return Ok(());
    }
    let addr = |at: usize| -> Result<String, Trunc> { Ok(ip4_text(b.take(at, 4)?)) };
    match b.u8(0)? {
        0x11 => {
            out.push_str("igmp query");
            if len >= 12 {
                query_v3(p, out, &b, len)?;
            } else {
                let mrt = b.u8(1)?;
                if mrt != 0 {
                    out.push_str(" v2");
                    if mrt != 100 {
                        let _ = write!(out, " [max resp time {mrt}]");
                    }
                } else {
                    out.push_str(" v1");
                }
                if b.be32(4)? != 0 {
                    let _ = write!(out, " [gaddr {}]", addr(4)?);
                }
                if len != 8 {
                    let _ = write!(out, " [len {len}]");
                }
            }
        }
        0x12 => {
            let _ = write!(out, "igmp v1 report {}", addr(4)?);
            if len != 8 {
                let _ = write!(out, " [len {len}]");
            }
        }
        0x16 => {
            let _ = write!(out, "igmp v2 report {}", addr(4)?);
        }
        0x22 => {
            out.push_str("igmp v3 report");
            report_v3(p, out, &b, len)?;
        }
        0x17 => {
            let _ = write!(out, "igmp leave {}", addr(4)?);
        }
        t @ (0x1e | 0x1f) => {
            let name = if t == 0x1e { "mresp" } else { "mtrace" };
            if len < 8 + 16 {
                let _ = write!(out, " [invalid len {len}]");
            } else {
                let raddr = b.be32(16)?;
                let _ = write!(
                    out,
                    "{name} {}: {} to {} reply-to {}",
                    b.be24(21)?,
                    addr(8)?,
                    addr(12)?,
                    addr(16)?
                );
                if raddr & 0xf000_0000 == 0xe000_0000 {
                    let _ = write!(out, " with-ttl {}", b.u8(20)?);
                }
            }
        }
        t => {
            let _ = write!(out, "igmp-{t}");
        }
    }
    if p.opts.verbose > 0 && len >= 4 && b.has(0, len) && inet_checksum(&[&data[..len]]) != 0 {
        let _ = write!(out, " bad igmp cksum {:x}!", b.be16(2)?);
    }
    Ok(())
}

fn report_v3(p: &Printer, out: &mut String, b: &Bytes<'_>, len: usize) -> Printed {
    if len < 16 || len & 3 != 0 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    mcast::report(p, out, b, len, 4, "v3")
}

fn query_v3(p: &Printer, out: &mut String, b: &Bytes<'_>, len: usize) -> Printed {
    out.push_str(" v3");
    if len < 12 || len & 3 != 0 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(b.u8(1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        out.push_str(" [max resp time ");
        if mrt < 600 {
            let _ = write!(out, "{:.1}s", f64::from(mrt) * 0.1);
        } else {
            relts(out, mrt / 10);
        }
        out.push(']');
    }
    if b.be32(4)? == 0 {
        return Ok(());
    }
    let _ = write!(out, " [gaddr {}", ip4_text(b.take(4, 4)?));
    let nsrcs = usize::from(b.be16(10)?);
    mcast::query_sources(p, out, b, len, nsrcs, 12, 4)?;
    out.push(']');
    Ok(())
}
