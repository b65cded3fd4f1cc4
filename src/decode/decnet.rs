//! DECnet Phase IV routing and NSP (print-decnet.c), EtherType 0x6003:
//! `1.2 > 1.3 42 data 4096>8192 ack 3 seg 4`, the routing layer's control
//! messages (hellos, routing updates, init, verification, test) and the
//! NSP messages (data, interrupts, link service, acks, connect and
//! disconnect). Every read that runs off the capture is tcpdump's longjmp
//! (the file defines ND_LONGJMP_FROM_TCHECK); lengths are tcpdump's
//! unsigned ints, wrapping where its subtractions do.

use super::nd::{tok, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

/// Sizes of print-decnet.c's structures.
mod size {
    pub const SHORT: u32 = 6;
    pub const LONG: u32 = 21;
    pub const INIT: u32 = 12;
    pub const VERIF: u32 = 4;
    pub const TEST: u32 = 4;
    pub const ROUT: u32 = 4;
    pub const RHELLO: u32 = 18;
    pub const EHELLO: u32 = 32;
    pub const NSP: u32 = 5;
    pub const MINSEG: u32 = 7;
    pub const SEG: u32 = 11;
    pub const LS: u32 = 2;
    pub const ACK: u32 = 9;
    pub const CI: u32 = 9;
    pub const CC: u32 = 10;
    pub const DI: u32 = 8;
}

const REASONS: &Tok = &[
    (0, "object rejected connect"),
    (1, "insufficient resources"),
    (2, "unrecognized node name"),
    (3, "node is shutting down"),
    (4, "unrecognized object"),
    (5, "invalid object name format"),
    (6, "object too busy"),
    (7, "protocol error discovered"),
    (8, "third party abort"),
    (9, "user abort"),
    (10, "invalid node name format"),
    (11, "local node shutting down"),
    (32, "insufficient local resources"),
    (33, "insufficient remote user resources"),
    (34, "invalid access control information"),
    (36, "bad ACCOUNT information"),
    (38, "no response from object"),
    (39, "node unreachable"),
    (41, "no link terminate"),
    (42, "disconnect complete"),
    (43, "bad image data in connect"),
    (54, "cryptographic service mismatch"),
];

/// dnaddr_string without libdnet: `AREA.NODE`.
fn push_addr(out: &mut String, a: u16) {
    let _ = write!(out, "{}.{}", a >> 10, a & 0o1777);
}

/// The message after a check failed: nd_print_invalid.
fn invalid(out: &mut String) -> Printed {
    out.push_str(" (invalid)");
    Ok(())
}

/// decnet_print: `data` the captured bytes after the EtherType, `length`
/// their length on the wire.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "decnet");
    let mut length = u32::try_from(length).unwrap_or(u32::MAX);
    if length < size::SHORT {
        let _ = write!(out, " (length {length} < {})", size::SHORT);
        return invalid(out);
    }
    let pktlen = u32::from(b.le16(0)?);
    if pktlen < size::SHORT {
        let _ = write!(out, " (pktlen {pktlen} < {})", size::SHORT);
        return invalid(out);
    }
    if pktlen > length {
        let _ = write!(out, " (pktlen {pktlen} > {length})");
        return invalid(out);
    }
    length = pktlen;
    // `ap`: where the message (its length word) starts, after any padding.
    let mut ap = 0usize;
    let mut mflags = b.u8(2)?;
    if mflags & 0o200 != 0 {
        let padlen = u32::from(mflags & 0o177);
        if p.opts.verbose > 0 {
            let _ = write!(out, "[pad:{padlen}] ");
        }
        if length < padlen + 2 {
            let _ = write!(out, " (length {length} < {})", padlen + 2);
            return invalid(out);
        }
        b.take(2, padlen as usize)?;
        ap = padlen as usize;
        length -= padlen;
        mflags = b.u8(ap + 2)?;
    }
    // What tcpdump's caplen is from `ap` on.
    let caplen = data.len().saturating_sub(ap);
    let dump_len = (length as usize).min(caplen);
    if mflags & 0o100 != 0 {
        out.push_str("future-version-decnet");
        return p.dump_len(out, &data[ap.min(data.len())..], dump_len, "decnet");
    }
    let rh = b.from(ap + 2);
    if mflags & 0o1 != 0 {
        if !control(p, out, &rh, length, dump_len)? {
            return invalid(out);
        }
        return Ok(());
    }
    let (src, dst, hops, nsp_at, nsplen) = match mflags & 7 {
        6 => {
            if length < size::LONG {
                let _ = write!(out, " (length {length} < {})", size::LONG);
                return invalid(out);
            }
            rh.take(0, size::LONG as usize)?;
            let dst = rh.le16(7)?;
            let src = rh.le16(15)?;
            let hops = u32::from(rh.u8(18)?);
            (src, dst, hops, size::LONG, length - size::LONG)
        }
        2 => {
            let dst = rh.le16(1)?;
            let src = rh.le16(3)?;
            let hops = u32::from(rh.u8(5)? & 0o77) + 1;
            (
                src,
                dst,
                hops,
                size::SHORT,
                length.wrapping_sub(size::SHORT),
            )
        }
        _ => {
            out.push_str("unknown message flags under mask");
            return p.dump_len(out, &data[ap.min(data.len())..], dump_len, "decnet");
        }
    };
    push_addr(out, src);
    out.push_str(" > ");
    push_addr(out, dst);
    let _ = write!(out, " {pktlen} ");
    if p.opts.verbose > 0 {
        for (bit, name) in [(0o10, "RQR "), (0o20, "RTS "), (0o40, "IE ")] {
            if mflags & bit != 0 {
                out.push_str(name);
            }
        }
        let _ = write!(out, "{hops} hops ");
    }
    if !nsp(out, &rh.from(nsp_at as usize), nsplen)? {
        return invalid(out);
    }
    Ok(())
}

/// print_t_info (`t`) and print_i_info: the node type and flags.
fn node_info(out: &mut String, info: u8, hello: bool) {
    out.push_str(match info & 3 {
        0 => "reserved-ntype? ",
        1 => "l2rout ",
        2 => "l1rout ",
        _ => "endnode ",
    });
    let flags: &[(u8, &str)] = if hello {
        &[(0o4, "verif "), (0o40, "nomcast "), (0o100, "blo ")]
    } else {
        &[(0o4, "verif "), (0o10, "blo ")]
    };
    for &(bit, name) in flags {
        if info & bit != 0 {
            out.push_str(name);
        }
    }
}

/// print_l1_routes / print_l2_routes: `{ids|areas A-B cost C hops H}`
/// until the checksum word.
fn routes(out: &mut String, b: &Bytes<'_>, mut len: u32, what: &str) -> Printed {
    let mut at = 0;
    while len > 6 {
        b.take(at, 6)?;
        let count = u32::from(b.le16(at)?);
        if count > 1024 {
            return Ok(());
        }
        let id = u32::from(b.le16(at + 2)?);
        let info = b.le16(at + 4)?;
        at += 6;
        len -= 6;
        let _ = write!(
            out,
            "{{{what} {id}-{} cost {} hops {}}} ",
            id + count,
            info & 0o777,
            info >> 10 & 0o37
        );
    }
    Ok(())
}

/// print_decnet_ctlmsg: `Ok(false)` for nd_print_invalid.
fn control(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    length: u32,
    dump_len: usize,
) -> Result<bool, super::trunc::Trunc> {
    let mflags = b.u8(0)?;
    match mflags & 0o17 {
        0o1 => {
            out.push_str("init ");
            if length < size::INIT {
                return Ok(false);
            }
            b.take(0, size::INIT as usize)?;
            node_info(out, b.u8(3)?, false);
            out.push_str("src ");
            push_addr(out, b.le16(1)?);
            let _ = write!(
                out,
                "blksize {} vers {} eco {} ueco {} hello {}",
                b.le16(4)?,
                b.u8(6)?,
                b.u8(7)?,
                b.u8(8)?,
                b.le16(9)?
            );
        }
        0o3 | 0o5 => {
            let (name, field) = if mflags & 0o17 == 0o3 {
                ("verification ", "fcnval")
            } else {
                ("test ", "data")
            };
            out.push_str(name);
            if length < size::VERIF.max(size::TEST) {
                return Ok(false);
            }
            let (src, other) = (b.le16(1)?, b.u8(3)?);
            out.push_str("src ");
            push_addr(out, src);
            let _ = write!(out, " {field} {other:o}");
        }
        0o7 | 0o11 => {
            let (name, what) = if mflags & 0o17 == 0o7 {
                ("lev-1-routing ", "ids")
            } else {
                ("lev-2-routing ", "areas")
            };
            out.push_str(name);
            if length < size::ROUT {
                return Ok(false);
            }
            b.take(0, size::ROUT as usize)?;
            out.push_str("src ");
            push_addr(out, b.le16(1)?);
            out.push(' ');
            routes(out, &b.from(size::ROUT as usize), length - size::ROUT, what)?;
        }
        0o13 => {
            out.push_str("router-hello ");
            if length < size::RHELLO {
                return Ok(false);
            }
            b.take(0, size::RHELLO as usize)?;
            node_info(out, b.u8(10)?, true);
            let _ = write!(
                out,
                "vers {} eco {} ueco {} src ",
                b.u8(1)?,
                b.u8(2)?,
                b.u8(3)?
            );
            push_addr(out, b.le16(8)?);
            let _ = write!(
                out,
                " blksize {} pri {} hello {}",
                b.le16(11)?,
                b.u8(13)?,
                b.le16(15)?
            );
        }
        0o15 => {
            out.push_str("endnode-hello ");
            if length < size::EHELLO {
                return Ok(false);
            }
            let (vers, eco, ueco) = (b.u8(1)?, b.u8(2)?, b.u8(3)?);
            let src = b.le16(8)?;
            let info = b.u8(10)?;
            let blksize = b.le16(11)?;
            let rtr = b.le16(26)?;
            let hello = b.le16(28)?;
            let other = b.u8(31)?;
            node_info(out, info, true);
            let _ = write!(out, "vers {vers} eco {eco} ueco {ueco} src ");
            push_addr(out, src);
            let _ = write!(out, " blksize {blksize} rtr ");
            push_addr(out, rtr);
            let _ = write!(out, " hello {hello} data {other:o}");
        }
        _ => {
            out.push_str("unknown control message");
            p.dump_len(out, b.data(), dump_len, "decnet")?;
        }
    }
    Ok(true)
}

/// An acknowledgement word: `ack N ` / `nak N ` (or the other channel's
/// names); whether it was one.
fn ack_word(out: &mut String, ack: u16, bit: u16, names: [&str; 2]) -> bool {
    if ack & bit == 0 {
        return false;
    }
    let nak = bit | 0o10000;
    let name = if ack & nak == nak { names[1] } else { names[0] };
    let _ = write!(out, "{name} {} ", ack & 0o7777);
    true
}

/// The acknowledgement and segment numbers of a data, interrupt or link
/// service message; `checked` as data and interrupts check each word
/// against `nsplen`. `Ok(false)` for nd_print_invalid.
fn seg_numbers(
    out: &mut String,
    b: &Bytes<'_>,
    nsplen: u32,
    other: [&str; 2],
    checked: bool,
) -> Result<bool, super::trunc::Trunc> {
    let mut off = size::MINSEG;
    if checked && nsplen < off {
        return Ok(false);
    }
    let mut ack = b.le16(5)?;
    if ack_word(out, ack, 0o100000, ["ack", "nak"]) {
        off += 2;
        if checked && nsplen < off {
            return Ok(false);
        }
        ack = b.le16(7)?;
        if ack_word(out, ack, 0o120000, other) {
            off += 2;
            if checked && nsplen < off {
                return Ok(false);
            }
            ack = b.le16(9)?;
        }
    }
    let _ = write!(out, "seg {} ", ack & 0o7777);
    Ok(true)
}

/// The services and version of a connect message, then its segment size.
fn connect(out: &mut String, services: u8, info: u8, segsize: u16) {
    out.push_str(match services & 0o14 {
        0o4 => "seg ",
        0o10 => "msg ",
        _ => "",
    });
    out.push_str(match info & 3 {
        0 => "ver 3.2 ",
        1 => "ver 3.1 ",
        2 => "ver 4.0 ",
        _ => "ver 4.1 ",
    });
    let _ = write!(out, "segsize {segsize} ");
}

fn reason(out: &mut String, r: u16) {
    match tok(REASONS, u32::from(r)) {
        Some(s) => out.push_str(s),
        None => {
            let _ = write!(out, "reason-{r}");
        }
    }
    out.push(' ');
}

/// print_nsp: `Ok(false)` for nd_print_invalid.
fn nsp(out: &mut String, b: &Bytes<'_>, nsplen: u32) -> Result<bool, super::trunc::Trunc> {
    if nsplen < size::NSP {
        let _ = write!(out, " (nsplen {nsplen} < {})", size::NSP);
        return Ok(false);
    }
    let flags = b.u8(0)?;
    let dst = b.le16(1)?;
    let src = b.le16(3)?;
    let sub = flags & 0o160;
    match flags & 0o14 {
        0 => match sub {
            0o40 | 0 | 0o100 | 0o140 => {
                let _ = write!(out, "data {src}>{dst} ");
                return seg_numbers(out, b, nsplen, ["oack", "onak"], true);
            }
            0o60 => {
                out.push_str("intr ");
                return seg_numbers(out, b, nsplen, ["ackdat", "nakdat"], true);
            }
            0o20 => {
                let _ = write!(out, "link-service {src}>{dst} ");
                if nsplen < size::SEG + size::LS {
                    return Ok(false);
                }
                seg_numbers(out, b, nsplen, ["ackdat", "nakdat"], false)?;
                let lsflags = b.u8(size::SEG as usize)?;
                let fcval = b.u8(size::SEG as usize + 1)?;
                match lsflags & 0o14 {
                    0 => {
                        let _ = write!(out, "dat seg count {fcval} ");
                        match lsflags & 3 {
                            0 => {}
                            1 => out.push_str("donotsend-data "),
                            2 => out.push_str("send-data "),
                            _ => {
                                let _ = write!(out, "reserved-fcmod? {lsflags:x}");
                            }
                        }
                    }
                    4 => {
                        let _ = write!(out, "intr req count {fcval} ");
                    }
                    _ => {
                        let _ = write!(out, "reserved-fcval-int? {lsflags:x}");
                    }
                }
            }
            _ => {
                let _ = write!(out, "reserved-subtype? {flags:x} {src} > {dst}");
            }
        },
        0o4 => match sub {
            0 | 0o20 => {
                let (name, other) = if sub == 0 {
                    ("data-ack", ["oack", "onak"])
                } else {
                    ("ils-ack", ["ackdat", "nakdat"])
                };
                let _ = write!(out, "{name} {src}>{dst} ");
                if nsplen < size::ACK {
                    return Ok(false);
                }
                b.take(0, size::ACK as usize)?;
                let ack = b.le16(5)?;
                if ack_word(out, ack, 0o100000, ["ack", "nak"]) {
                    ack_word(out, b.le16(7)?, 0o120000, other);
                }
            }
            0o40 => {
                let _ = write!(out, "conn-ack {dst}");
            }
            _ => {
                let _ = write!(out, "reserved-acktype? {flags:x} {src} > {dst}");
            }
        },
        0o10 => match sub {
            0o20 | 0o140 => {
                out.push_str(if sub == 0o20 {
                    "conn-initiate "
                } else {
                    "retrans-conn-initiate "
                });
                let _ = write!(out, "{src}>{dst} ");
                if nsplen < size::CI {
                    return Ok(false);
                }
                connect(out, b.u8(5)?, b.u8(6)?, b.le16(7)?);
            }
            0o40 => {
                let _ = write!(out, "conn-confirm {src}>{dst} ");
                if nsplen < size::CC {
                    return Ok(false);
                }
                let (services, info, segsize) = (b.u8(5)?, b.u8(6)?, b.le16(7)?);
                let optlen = b.u8(9)?;
                connect(out, services, info, segsize);
                if optlen != 0 {
                    let _ = write!(out, "optlen {optlen} ");
                }
            }
            0o60 => {
                let _ = write!(out, "disconn-initiate {src}>{dst} ");
                if nsplen < size::DI {
                    return Ok(false);
                }
                let (r, optlen) = (b.le16(5)?, b.u8(7)?);
                reason(out, r);
                if optlen != 0 {
                    let _ = write!(out, "optlen {optlen} ");
                }
            }
            0o100 => {
                let _ = write!(out, "disconn-confirm {src}>{dst} ");
                reason(out, b.le16(5)?);
            }
            _ => {
                let _ = write!(out, "reserved-ctltype? {flags:x} {src} > {dst}");
            }
        },
        _ => {
            let _ = write!(out, "reserved-type? {flags:x} {src} > {dst}");
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_area_dot_node() {
        let mut out = String::new();
        push_addr(&mut out, 1 << 10 | 5);
        assert_eq!(out, "1.5");
    }

    #[test]
    fn naks_and_other_channel_acks() {
        let mut out = String::new();
        assert!(ack_word(&mut out, 0o110000 | 7, 0o100000, ["ack", "nak"]));
        assert!(ack_word(&mut out, 0o120000 | 3, 0o120000, ["oack", "onak"]));
        assert!(!ack_word(&mut out, 5, 0o100000, ["ack", "nak"]));
        assert_eq!(out, "nak 7 oack 3 ");
    }
}
