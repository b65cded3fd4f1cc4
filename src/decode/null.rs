//! BSD loopback (NULL, host-order address family), OpenBSD loopback (LOOP,
//! network order) and raw IP link types (print-null.c, print-raw.c).

use super::text::Printer;
use super::{Link, Summary};
use crate::packet::Packet;
use crate::proto::EtherType;
use core::fmt::Write;

/// Reads the 4-byte address family: the EtherType it stands for and 4.
pub(super) fn parse(s: &mut Summary<'_>, data: &[u8], loop_: bool) -> Option<(u16, usize)> {
    let Some(&[a, b, c, d]) = data.get(..4) else {
        s.truncated = Some("loopback");
        return None;
    };
    let raw = [a, b, c, d];
    let family = if loop_ {
        u32::from_be_bytes(raw)
    } else {
        // Host order of the writer: accept either.
        crate::linktype::null_family(raw)
    };
    s.link = Link::Null { family };
    let et = match family {
        2 => EtherType::Ipv4.raw(),
        24 | 28 | 30 | 10 => EtherType::Ipv6.raw(),
        _ => 0,
    };
    Some((et, 4))
}

/// Raw IP: no link header; the version nibble picks IPv4 or IPv6.
pub(super) fn parse_raw(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    s.link = Link::Raw;
    let et = match data.first().map(|b| b >> 4) {
        Some(6) => EtherType::Ipv6,
        _ => EtherType::Ipv4,
    };
    Some((et.raw(), 0))
}

/// The `-e` header of a loopback frame: `AF IPv4 (2), length N: `.
pub(super) fn print_header(p: &Printer, out: &mut String, s: &Summary<'_>, pk: &Packet<'_>) {
    let Link::Null { family } = s.link else {
        return;
    };
    if p.opts.link_header {
        let name = match family {
            2 => "IPv4",
            24 | 28 | 30 => "IPv6",
            _ => "Unknown",
        };
        let _ = write!(out, "AF {name} ({family}), length {}: ", pk.wire_len);
    }
}
