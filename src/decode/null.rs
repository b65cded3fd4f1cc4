//! BSD loopback (NULL, host-order address family), OpenBSD loopback (LOOP,
//! network order) and raw IP link types (print-null.c, print-raw.c).

use super::text::Printer;
use super::trunc::{Bytes, Trunc};
use super::{Link, Summary};
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

/// print-null.c's null_if_print (NULL, host-order family) and
/// print-loop's (LOOP, network order); the header length.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
    loop_: bool,
) -> Result<usize, Trunc> {
    // LOOP's network order is read the same way: print-null.c serves both.
    let _ = loop_;
    let Some(&[a, b, c, d]) = data.get(..4) else {
        return Err(Trunc("null"));
    };
    // The writer's host order: tcpdump reads its own (little endian here)
    // and swaps a value with high bits set.
    let he = u32::from_le_bytes([a, b, c, d]);
    let family = if he & 0xffff_0000 != 0 {
        he.swap_bytes()
    } else {
        he
    };
    let hdr = |p: &Printer, out: &mut String, length: usize| {
        let name = match family {
            2 => Some("IPv4"),
            6 => Some("NS"),
            7 => Some("ISO"),
            16 => Some("Appletalk"),
            23 => Some("IPX"),
            24 | 28 | 30 => Some("IPv6"),
            _ => None,
        };
        if !p.opts.quiet {
            let _ = write!(out, "AF {} ({family})", name.unwrap_or("Unknown"));
        } else {
            match name {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "Unknown AF {family}");
                }
            }
        }
        let _ = write!(out, ", length {length}: ");
    };
    if p.opts.link_header {
        hdr(p, out, length);
    }
    let rest = &data[4..];
    let length = length.saturating_sub(4);
    match family {
        2 => super::ip::print_packet(p, out, rest, length)?,
        24 | 28 | 30 => super::ip6::print_packet(p, out, rest, length)?,
        7 => super::osi::print(p, out, rest, length)?,
        _ => {
            if !p.opts.link_header {
                hdr(p, out, length + 4);
            }
            p.default_print(out, rest);
        }
    }
    Ok(4)
}

/// print-raw.c: raw IP (RAW, IPV4, IPV6), by the version nibble.
pub(super) fn print_raw(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<usize, Trunc> {
    if p.opts.link_header {
        out.push_str("ip: ");
    }
    if length < 1 {
        let _ = write!(out, "truncated-ip {length}");
        return Ok(0);
    }
    let b = Bytes::new(data, "ipn");
    match b.u8(0)? & 0xf0 {
        0x40 => super::ip::print_packet(p, out, data, length)?,
        0x60 => super::ip6::print_packet(p, out, data, length)?,
        v => {
            let _ = write!(out, "unknown ip {}", v >> 4);
        }
    }
    Ok(0)
}
