//! BGP (print-bgp.c): `: BGP` after the TCP line, and with `-v` every
//! message found in the segment: OPEN with its optional parameters and
//! capabilities, UPDATE with withdrawn routes, path attributes (origin, AS
//! paths of 2- and 4-byte ASes, next hop, MED, local preference,
//! aggregators, communities, originator, cluster list, multiprotocol
//! reach/unreach for IPv4/IPv6 unicast and multicast, extended and large
//! communities) and NLRI, NOTIFICATION codes, KEEPALIVE, ROUTE-REFRESH;
//! hex dumps at `-vv` as tcpdump adds them. JSON carries the message types.
//!
//! Address families tcpdump decodes beyond these (VPN, labeled, L2VPN,
//! multicast VPN, NSAP, route-target) are reported as having no decoder.

mod attr;
mod names;

use super::dispatch::Segment;
use super::json::Obj;
use super::nd::{bittok, hex_print, printjn, tok, unknown_data, Tok};
use super::num::{push_ip4, push_ip6};
use super::text::Printer;
pub(super) use super::trunc::mark;
use super::trunc::{Bytes, Printed, Trunc};
use attr::{attr, route_list};
use core::fmt::Write;
use names::*;

pub(super) const PROTO: &str = "bgp";

/// `NAME (n)` from a table with a fallback name.
pub(super) fn named(out: &mut String, table: &Tok, v: u32, unknown: &str) {
    out.push_str(tok(table, v).unwrap_or(unknown));
    let _ = write!(out, " ({v})");
}

pub(super) fn ip4(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    let a = b.take(at, 4)?;
    let mut s = String::new();
    push_ip4(&mut s, [a[0], a[1], a[2], a[3]]);
    Ok(s)
}

pub(super) fn ip6(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    let mut a = [0u8; 16];
    a.copy_from_slice(b.take(at, 16)?);
    let mut s = String::new();
    push_ip6(&mut s, a);
    Ok(s)
}

/// bgp_print: `: BGP`, and with -v each message found.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let r = print_jump(p, out, seg);
    crate::decode::trunc::caught(out, r)
}

/// The printer; `print` ends its truncation as bgp_print does (the marker, no longjmp).
fn print_jump(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    out.push_str(": BGP");
    if p.opts.verbose < 1 {
        return Ok(());
    }
    let b = Bytes::new(seg.data, PROTO);
    let ep = b.len();
    let (mut at, mut start) = (0, 0);
    while at < ep {
        if b.u8(at)? != 0xff {
            at += 1;
            continue;
        }
        if !b.has(at, 16) {
            break;
        }
        if b.take(at, 16)?.iter().any(|&x| x != 0xff) {
            at += 1;
            continue;
        }
        b.take(at, 19)?;
        if start != at {
            mark(out, PROTO);
        }
        let hlen = usize::from(b.be16(at + 16)?);
        if hlen < 19 {
            let _ = write!(out, "\nmessage length {hlen} < 19 (invalid)");
            break;
        }
        if b.has(at, hlen) {
            // Reads go on to the captured end, as tcpdump's do.
            let msg = Bytes::new(&seg.data[at..], PROTO);
            if !pdu(p, out, &msg, hlen)? {
                return Ok(());
            }
            at += hlen;
            start = at;
        } else {
            let t = b.u8(at + 18)?;
            let _ = write!(
                out,
                "\n[|BGP {}]",
                tok(MSG_TYPES, u32::from(t)).unwrap_or("Unknown Message Type")
            );
            break;
        }
    }
    Ok(())
}

/// bgp_pdu_print: one whole message (`b` is exactly its bytes).
fn pdu(p: &Printer, out: &mut String, b: &Bytes<'_>, length: usize) -> Result<bool, Trunc> {
    let t = b.u8(18)?;
    let _ = write!(
        out,
        "\n\t{} Message ({t}), length: {length}",
        tok(MSG_TYPES, u32::from(t)).unwrap_or("Unknown")
    );
    let v = p.opts.verbose;
    match t {
        1 => open(out, b, length, v)?,
        2 => update(out, b, length, v)?,
        3 => {
            if !b.has(0, 21) {
                mark(out, PROTO);
            } else if length >= 21 {
                let (major, minor) = (b.u8(19)?, b.u8(20)?);
                notification(out, b, 21, length - 21, major, minor)?;
            }
        }
        4 => {}
        5 => route_refresh(out, b, length, v)?,
        _ => {
            let _ = write!(out, "\n\t  no Message {t} decoder");
            unknown_data(out, b, 0, "\n\t  ", length);
        }
    }
    Ok(true)
}

fn open(out: &mut String, b: &Bytes<'_>, length: usize, v: u8) -> Printed {
    if !b.has(0, 29) || length < 29 {
        mark(out, PROTO);
        return Ok(());
    }
    let _ = write!(out, "\n\t  Version {}, ", b.u8(19)?);
    let _ = write!(out, "my AS {}, ", b.be16(20)?);
    let _ = write!(out, "Holdtime {}s, ", b.be16(22)?);
    let _ = write!(out, "ID {}", ip4(b, 24)?);
    let optslen = usize::from(b.u8(28)?);
    let _ = write!(out, "\n\t  Optional parameters, length: {optslen}");
    let opt = 29;
    let length = length - 29;
    let mut i = 0;
    while i < optslen {
        if !b.has(opt + i, 2) || length < 2 + i {
            mark(out, PROTO);
            return Ok(());
        }
        let ty = b.u8(opt + i)?;
        let len = usize::from(b.u8(opt + i + 1)?);
        if 2 + i + len > optslen {
            let _ = write!(
                out,
                "\n\t     Option {ty}, length: {len}, goes past the end of the options"
            );
            break;
        }
        out.push_str("\n\t    Option ");
        named(
            out,
            &[
                (1, "Authentication Information"),
                (2, "Capabilities Advertisement"),
            ],
            u32::from(ty),
            "Unknown",
        );
        let _ = write!(out, ", length: {len}");
        if ty == 2 {
            capabilities(out, b, opt + 2 + i, len, v)?;
        } else {
            let _ = write!(out, "\n\t      no decoder for option {ty}");
        }
        i += 2 + len;
    }
    Ok(())
}

fn capabilities(out: &mut String, b: &Bytes<'_>, opt: usize, caps_len: usize, v: u8) -> Printed {
    let mut i = 0;
    while i < caps_len {
        if !b.has(opt + i, 2) {
            mark(out, PROTO);
            return Ok(());
        }
        let ty = b.u8(opt + i)?;
        let len = usize::from(b.u8(opt + i + 1)?);
        out.push_str("\n\t      ");
        named(out, CAPS, u32::from(ty), "Unknown");
        let _ = write!(out, ", length: {len}");
        if !b.has(opt + 2 + i, len) {
            mark(out, PROTO);
            return Ok(());
        }
        let c = opt + i + 2;
        match ty {
            1 => {
                if len < 4 {
                    out.push_str(" (too short, < 4)");
                    return Ok(());
                }
                out.push_str("\n\t\tAFI ");
                named(out, AFI, u32::from(b.be16(c)?), "Unknown");
                out.push_str(", SAFI ");
                named(out, SAFI, u32::from(b.u8(c + 3)?), "Unknown");
            }
            64 => {
                if len < 2 {
                    out.push_str(" (too short, < 2)");
                    return Ok(());
                }
                out.push_str("\n\t\tRestart Flags: [");
                bittok(out, GR_FLAGS, "none", u32::from(b.u8(c)? >> 4), ", ");
                let _ = write!(out, "], Restart Time {}s", b.be16(c)? & 0xfff);
                let (mut left, mut off) = (len - 2, 2);
                while left >= 4 {
                    out.push_str("\n\t\t  AFI ");
                    named(out, AFI, u32::from(b.be16(c + off)?), "Unknown");
                    out.push_str(", SAFI ");
                    named(out, SAFI, u32::from(b.u8(c + off + 2)?), "Unknown");
                    let fwd = if b.u8(c + off + 3)? & 0x80 != 0 {
                        "yes"
                    } else {
                        "no"
                    };
                    let _ = write!(out, ", Forwarding state preserved: {fwd}");
                    left -= 4;
                    off += 4;
                }
            }
            2 | 71 | 128 => {}
            65 => {
                if len < 4 {
                    out.push_str(" (too short, < 4)");
                    return Ok(());
                }
                let _ = write!(out, "\n\t\t 4 Byte AS {}", b.be32(c)?);
            }
            69 => {
                if len == 0 {
                    out.push_str(" (bogus)");
                } else {
                    let (mut left, mut off) = (len, 0);
                    while left != 0 {
                        if left < 4 {
                            out.push_str(" (invalid)");
                            break;
                        }
                        out.push_str("\n\t\tAFI ");
                        named(out, AFI, u32::from(b.be16(c + off)?), "Unknown");
                        out.push_str(", SAFI ");
                        named(out, SAFI, u32::from(b.u8(c + off + 2)?), "Unknown");
                        out.push_str(", Send/Receive: ");
                        let sr = b.u8(c + off + 3)?;
                        match tok(ADD_PATH, u32::from(sr)) {
                            Some(n) => out.push_str(n),
                            None => {
                                let _ = write!(out, "Bogus (0x{sr:02x})");
                            }
                        }
                        left -= 4;
                        off += 4;
                    }
                }
            }
            _ => {
                let _ = write!(out, "\n\t\tno decoder for Capability {ty}");
                if v <= 1 {
                    unknown_data(out, b, c, "\n\t\t", len);
                }
            }
        }
        if v > 1 && len != 0 {
            unknown_data(out, b, c, "\n\t\t", len);
        }
        i += 2 + len;
    }
    Ok(())
}

/// The attribute flags `[OTPE+n]`.
fn attr_flags(out: &mut String, flags: u8) {
    out.push_str(", Flags [");
    bittok(
        out,
        &[(0x80, "O"), (0x40, "T"), (0x20, "P"), (0x10, "E")],
        "",
        u32::from(flags),
        "",
    );
    if flags & 0xf != 0 {
        let _ = write!(out, "+{:x}", flags & 0xf);
    }
    out.push(']');
}

fn update(out: &mut String, b: &Bytes<'_>, length: usize, v: u8) -> Printed {
    if length < 19 {
        mark(out, PROTO);
        return Ok(());
    }
    let mut at = 19;
    let mut length = length - 19;
    if length < 2 {
        mark(out, PROTO);
        return Ok(());
    }
    let mut wlen = usize::from(b.be16(at)?);
    at += 2;
    length -= 2;
    if wlen > 1 {
        if length < wlen {
            mark(out, PROTO);
            return Ok(());
        }
        out.push_str("\n\t  Withdrawn routes:");
        let Some(used) = route_list(out, b, at, wlen, true)? else {
            mark(out, PROTO);
            return Ok(());
        };
        at += used;
        length -= used;
        wlen -= used;
    } else {
        if length < wlen {
            mark(out, PROTO);
            return Ok(());
        }
        at += wlen;
        length -= wlen;
    }
    if length < 2 {
        mark(out, PROTO);
        return Ok(());
    }
    let mut len = usize::from(b.be16(at)?);
    at += 2;
    length -= 2;
    if wlen == 0 && len == 0 && length == 0 {
        out.push_str("\n\t  End-of-Rib Marker (empty NLRI)");
        return Ok(());
    }
    if len > 0 {
        if length < len {
            mark(out, PROTO);
            return Ok(());
        }
        while len > 0 {
            if length < 2 {
                mark(out, PROTO);
                return Ok(());
            }
            if len < 2 {
                out.push_str("\n\t  [path attrs too short]");
                at += len;
                length -= len;
                break;
            }
            let flags = b.u8(at)?;
            let ty = b.u8(at + 1)?;
            at += 2;
            len -= 2;
            length -= 2;
            let lenlen = if flags & 0x10 != 0 { 2 } else { 1 };
            if length < lenlen {
                mark(out, PROTO);
                return Ok(());
            }
            if len < lenlen {
                out.push_str("\n\t  [path attrs too short]");
                at += len;
                length -= len;
                break;
            }
            let alen = if lenlen == 2 {
                usize::from(b.be16(at)?)
            } else {
                usize::from(b.u8(at)?)
            };
            at += lenlen;
            len -= lenlen;
            length -= lenlen;
            out.push_str("\n\t  ");
            named(out, ATTRS, u32::from(ty), "Unknown Attribute");
            let _ = write!(out, ", length: {alen}");
            if flags != 0 {
                attr_flags(out, flags);
                out.push_str(": ");
            }
            if len < alen {
                out.push_str(" [path attrs too short]");
                at += len;
                length -= len;
                break;
            }
            if length < alen {
                mark(out, PROTO);
                return Ok(());
            }
            if !attr(out, b, ty, at, alen, v)? {
                mark(out, PROTO);
                return Ok(());
            }
            at += alen;
            len -= alen;
            length -= alen;
        }
    }
    if length > 0 {
        out.push_str("\n\t  Updated routes:");
        if route_list(out, b, at, length, false)?.is_none() {
            mark(out, PROTO);
        }
    }
    Ok(())
}

/// bgp_notification_print_code.
fn notification(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
    major: u8,
    minor: u8,
) -> Printed {
    out.push_str(", ");
    named(out, MAJOR, u32::from(major), "Unknown Error");
    let table = match major {
        1 => Some((", ", MINOR_MSG)),
        2 => Some((", ", MINOR_OPEN)),
        3 => Some((", ", MINOR_UPDATE)),
        5 => Some((" ", MINOR_FSM)),
        7 => Some((" ", MINOR_CAP)),
        6 => Some((", ", MINOR_CEASE)),
        _ => None,
    };
    if let Some((sep, t)) = table {
        let _ = write!(out, "{sep}subcode ");
        named(out, t, u32::from(minor), "Unknown");
    }
    if major == 6 {
        if minor == 1 && length >= 7 {
            out.push_str(", AFI ");
            named(out, AFI, u32::from(b.be16(at)?), "Unknown");
            out.push_str(", SAFI ");
            named(out, SAFI, u32::from(b.u8(at + 2)?), "Unknown");
            let _ = write!(out, ", Max Prefixes: {}", b.be32(at + 3)?);
        }
        if (minor == 2 || minor == 4) && length >= 1 {
            let n = usize::from(b.u8(at)?);
            let mut rest = 0;
            if n > length - 1 {
                out.push_str(", invalid Shutdown Communication length");
            } else if n == 0 {
                out.push_str(", empty Shutdown Communication");
                rest = 1;
            } else {
                let _ = write!(out, ", Shutdown Communication (length: {n}): \"");
                printjn(out, b, at + 1, n)?;
                out.push('"');
                rest = n + 1;
            }
            if length > rest {
                let _ = write!(out, ", Data: (length: {})", length - rest);
                hex_print(out, "\n\t\t", b.take(at + rest, length - rest)?);
            }
        }
    }
    Ok(())
}

fn route_refresh(out: &mut String, b: &Bytes<'_>, len: usize, v: u8) -> Printed {
    if !b.has(0, 23) {
        mark(out, PROTO);
        return Ok(());
    }
    if len < 23 {
        return Ok(());
    }
    out.push_str("\n\t  AFI ");
    named(out, AFI, u32::from(b.be16(19)?), "Unknown");
    out.push_str(", SAFI ");
    named(out, SAFI, u32::from(b.u8(22)?), "Unknown");
    if v > 1 {
        unknown_data(out, b, 0, "\n\t  ", len);
    }
    Ok(())
}

/// JSON: `"bgp":{"messages":[{"type","type_num","length"}]}` for each
/// whole message in the segment.
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let d = seg.data;
    let mut msgs = Vec::new();
    let mut at = 0;
    while at + 19 <= d.len() && msgs.len() < 1000 {
        if d[at..at + 16].iter().any(|&x| x != 0xff) {
            at += 1;
            continue;
        }
        let hlen = usize::from(u16::from_be_bytes([d[at + 16], d[at + 17]]));
        msgs.push((d[at + 18], hlen));
        if hlen < 19 {
            break;
        }
        at += hlen;
    }
    if msgs.is_empty() {
        return;
    }
    o.object("bgp", |j| {
        j.objects("messages", &msgs, |m, &(t, len)| {
            m.str("type", tok(MSG_TYPES, u32::from(t)).unwrap_or("Unknown"));
            m.num("type_num", t);
            m.num("length", len);
        });
    });
}
