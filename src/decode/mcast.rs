//! What IGMPv3 (print-igmp.c) and MLDv2 (print-icmp6.c) share: group
//! records of a membership report, written twice in tcpdump with only the
//! address size and one word changed.

use super::demux::Ip;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use super::util::{tok, Tok};
use core::fmt::Write;

const RECORD_TYPES: &Tok = &[
    (1, "is_in"),
    (2, "is_ex"),
    (3, "to_in"),
    (4, "to_ex"),
    (5, "allow"),
    (6, "block"),
];

/// The group records of a report of `len` bytes: `, N group record(s)`,
/// with `-v` each record's group, type and source count, with `-vv` its
/// sources. `alen` is the address size (4 for IGMPv3, 16 for MLDv2), `ver`
/// the word in tcpdump's unknown-type text (`v3`, `v2`).
pub(super) fn report(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    len: usize,
    alen: usize,
    ver: &str,
) -> Printed {
    let ngroups = b.be16(6)?;
    let _ = write!(out, ", {ngroups} group record(s)");
    let v = p.opts.verbose;
    if v == 0 {
        return Ok(());
    }
    let head = 4 + alen;
    let mut group = 8;
    for _ in 0..ngroups {
        if len < group + head {
            out.push_str(" [invalid number of groups]");
            return Ok(());
        }
        let _ = write!(out, " [gaddr {}", Ip::addr(b.take(group + 4, alen)?));
        let t = b.u8(group)?;
        match tok(RECORD_TYPES, u32::from(t)) {
            Some(n) => {
                let _ = write!(out, " {n}");
            }
            None => {
                let _ = write!(out, "  [{ver}-report-#{t}]");
            }
        }
        let nsrcs = usize::from(b.be16(group + 2)?);
        if len < group + head + nsrcs * alen {
            let _ = write!(out, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        if v == 1 {
            let _ = write!(out, ", {nsrcs} source(s)");
        } else {
            out.push_str(" {");
            for j in 0..nsrcs {
                let _ = write!(out, " {}", Ip::addr(b.take(group + head + j * alen, alen)?));
            }
            out.push_str(" }");
        }
        group += head + nsrcs * alen;
        out.push(']');
    }
    Ok(())
}

/// The source list of a query: with `-vv` the sources, else their count,
/// or ` [invalid number of sources]`; `at` is where they start.
pub(super) fn query_sources(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    len: usize,
    nsrcs: usize,
    at: usize,
    alen: usize,
) -> Printed {
    if nsrcs == 0 {
        return Ok(());
    }
    if len < at + nsrcs * alen {
        out.push_str(" [invalid number of sources]");
    } else if p.opts.verbose > 1 {
        out.push_str(" {");
        for i in 0..nsrcs {
            let _ = write!(out, " {}", Ip::addr(b.take(at + i * alen, alen)?));
        }
        out.push_str(" }");
    } else {
        let _ = write!(out, ", {nsrcs} source(s)");
    }
    Ok(())
}
