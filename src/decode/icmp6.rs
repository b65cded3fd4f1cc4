//! ICMPv6 (print-icmp6.c): errors, echo, neighbor discovery with its
//! options, MLDv1/v2, node information, and the `-v` checksum.

use super::demux::{self, Ip};
use super::dispatch::IpPayload;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{bittok, tok, Tok};
use super::{cksum, dnsname, icmp6ni, mcast};
use core::fmt::Write;

const TYPES: &Tok = &[
    (1, "destination unreachable"),
    (2, "packet too big"),
    (3, "time exceeded in-transit"),
    (4, "parameter problem"),
    (128, "echo request"),
    (129, "echo reply"),
    (130, "multicast listener query"),
    (131, "multicast listener report"),
    (132, "multicast listener done"),
    (133, "router solicitation"),
    (134, "router advertisement"),
    (135, "neighbor solicitation"),
    (136, "neighbor advertisement"),
    (137, "redirect"),
    (138, "router renumbering"),
    (141, "inverse neighbor solicitation"),
    (142, "inverse neighbor advertisement"),
    (143, "multicast listener report v2"),
    (144, "ha discovery request"),
    (145, "ha discovery reply"),
    (146, "mobile router solicitation"),
    (147, "mobile router advertisement"),
    (139, "who-are-you request"),
    (140, "who-are-you reply"),
    (139, "node information query"),
    (140, "node information reply"),
    (201, "mtrace message"),
    (200, "mtrace response"),
    (155, "RPL"),
];

const UNREACH: &Tok = &[
    (0, "unreachable route"),
    (1, " unreachable prohibited"),
    (2, "beyond scope"),
    (3, "unreachable address"),
    (4, "unreachable port"),
];

const PI_FLAGS: &Tok = &[(0x80, "onlink"), (0x40, "auto"), (0x20, "router")];
const RA_FLAGS: &Tok = &[
    (0x80, "managed"),
    (0x40, "other stateful"),
    (0x20, "home agent"),
    (0x02, "ipv6 only"),
];
const NA_FLAGS: &Tok = &[
    (0x8000_0000, "router"),
    (0x4000_0000, "solicited"),
    (0x2000_0000, "override"),
];
const OPTIONS: &Tok = &[
    (1, "source link-address"),
    (2, "destination link-address"),
    (3, "prefix info"),
    (4, "redirected header"),
    (5, "mtu"),
    (25, "rdnss"),
    (31, "dnssl"),
    (7, "advertisement interval"),
    (8, "homeagent information"),
    (24, "route info"),
];

/// icmp6_print: a message of `length` bytes by the IP header.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, length, ip) = (seg.data, seg.length, seg.ip);
    let b = Bytes::new(data, "icmp6");
    let v = p.opts.verbose;
    if length == 0 {
        out.push_str("ICMP6, length 0 (invalid)");
        return Ok(());
    }
    if v > 0 && !seg.fragmented && b.has(0, length) {
        let sum = ip.checksum(58, length, &data[..length]);
        cksum::bracketed(out, "icmp6", b.be16(2)?, sum);
    }
    let ty = b.u8(0)?;
    out.push_str("ICMP6, ");
    match tok(TYPES, u32::from(ty)) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "unknown icmp6 type ({ty})");
        }
    }
    if v > 0 && matches!(ty, 133 | 134 | 135 | 136 | 137 | 145 | 147) {
        let _ = write!(out, ", length {length}");
    }
    let code = b.u8(1)?;
    // The quoted packet of an error message starts after 8 bytes.
    let oip = 8;
    let addr = |at: usize| -> Result<String, Trunc> { Ok(Ip::addr(b.take(at, 16)?)) };
    match ty {
        1 => {
            match tok(UNREACH, u32::from(code)) {
                Some(n) => {
                    let _ = write!(out, ", {n}");
                }
                None => {
                    let _ = write!(out, ", unknown unreach code ({code})");
                }
            }
            match code {
                0 | 1 | 3 => {
                    let _ = write!(out, " {}", addr(oip + 24)?);
                }
                2 => {
                    let _ = write!(
                        out,
                        " {}, source address {}",
                        addr(oip + 24)?,
                        addr(oip + 8)?
                    );
                }
                4 => {
                    let Some((prot, at)) = upper_layer(&b, oip) else {
                        mark(out, "icmp6");
                        return Ok(());
                    };
                    let dport = b.be16(at + 2)?;
                    match prot {
                        6 | 17 => {
                            let mut port = String::new();
                            demux::push_port(p, &mut port, prot == 6, dport);
                            let _ = write!(
                                out,
                                ", {} {} port {port}",
                                addr(oip + 24)?,
                                if prot == 6 { "tcp" } else { "udp" }
                            );
                        }
                        _ => {
                            let _ = write!(
                                out,
                                ", {} protocol {prot} port {dport} unreachable",
                                addr(oip + 24)?
                            );
                        }
                    }
                }
                _ => {
                    if v <= 1 {
                        super::nd::unknown_data(out, &b, 0, "\n\t", length);
                        return Ok(());
                    }
                }
            }
        }
        2 => {
            let _ = write!(out, ", mtu {}", b.be32(4)?);
        }
        3 => match code {
            0 => {
                let _ = write!(out, " for {}", addr(oip + 24)?);
            }
            1 => out.push_str(" (reassembly)"),
            c => {
                let _ = write!(out, ", unknown code ({c})");
            }
        },
        4 => {
            if !b.has(oip + 24, 16) {
                mark(out, "icmp6");
                return Ok(());
            }
            let what = match code {
                0 => "erroneous",
                1 => "next header",
                2 => "option",
                3 => "incomplete header chain",
                _ => "",
            };
            if what.is_empty() {
                let _ = write!(out, ", code-#{code}");
            } else {
                let _ = write!(out, ", {what} - octet {}", b.be32(4)?);
            }
        }
        128 | 129 => {
            let _ = write!(out, ", id {}, seq {}", b.be16(4)?, b.be16(6)?);
        }
        130 => {
            if length == 24 {
                mld6(out, &b)?;
            } else if length >= 28 {
                out.push_str(" v2");
                mldv2_query(p, out, &b, length)?;
            } else {
                let _ = write!(out, " unknown-version (len {length}) ");
            }
        }
        131 | 132 => mld6(out, &b)?,
        133 => {
            if v > 0 && nd_options(p, out, &b, 8, length as isize - 8)?.is_err() {
                mark(out, "icmp6");
                return Ok(());
            }
        }
        134 => {
            if v > 0 {
                // One printf in tcpdump: every field is read before any is shown.
                let (hl, f, life, reach, retrans) =
                    (b.u8(4)?, b.u8(5)?, b.be16(6)?, b.be32(8)?, b.be32(12)?);
                let _ = write!(out, "\n\thop limit {hl}, Flags [");
                bittok(out, RA_FLAGS, "none", u32::from(f));
                let _ = write!(
                    out,
                    "], pref {}, router lifetime {life}s, reachable time {reach}ms, retrans timer {retrans}ms",
                    rtpref(f)
                );
                if nd_options(p, out, &b, 16, length as isize - 16)?.is_err() {
                    mark(out, "icmp6");
                    return Ok(());
                }
            }
        }
        135 => {
            let _ = write!(out, ", who has {}", addr(8)?);
            if v > 0 && nd_options(p, out, &b, 24, length as isize - 24)?.is_err() {
                mark(out, "icmp6");
                return Ok(());
            }
        }
        136 => {
            let _ = write!(out, ", tgt is {}", addr(8)?);
            if v > 0 {
                out.push_str(", Flags [");
                bittok(out, NA_FLAGS, "none", b.be32(4)?);
                out.push(']');
                if nd_options(p, out, &b, 24, length as isize - 24)?.is_err() {
                    mark(out, "icmp6");
                    return Ok(());
                }
            }
        }
        137 => {
            let _ = write!(out, ", {}", addr(24)?);
            let _ = write!(out, " to {}", addr(8)?);
            if v > 0 && nd_options(p, out, &b, 40, length as isize - 40)?.is_err() {
                mark(out, "icmp6");
                return Ok(());
            }
        }
        138 => icmp6ni::rrenum(p, out, &b)?,
        139 | 140 => icmp6ni::nodeinfo(p, out, &b, length)?,
        141 | 142 => {}
        143 => mldv2_report(p, out, &b, length)?,
        144 | 146 => {
            let _ = write!(out, ", id 0x{:04x}", b.be16(4)?);
        }
        145 => {
            if v > 0 {
                let _ = write!(out, ", id 0x{:04x}", b.be16(4)?);
                let mut at = 8;
                while at < length {
                    let _ = write!(out, ", {}", addr(at)?);
                    at += 16;
                }
            }
        }
        147 => {
            if v > 0 {
                let _ = write!(out, ", id 0x{:04x}", b.be16(4)?);
                let flags = b.be16(6)?;
                if flags & 0xc000 != 0 {
                    out.push(' ');
                }
                if flags & 0x8000 != 0 {
                    out.push('M');
                }
                if flags & 0x4000 != 0 {
                    out.push('O');
                }
                if nd_options(p, out, &b, 8, length as isize - 8)?.is_err() {
                    mark(out, "icmp6");
                    return Ok(());
                }
            }
        }
        155 => {
            // RPL is not decoded: tcpdump's rpl_print names the code.
            let _ = write!(out, " (code 0x{code:02x})");
        }
        _ => {
            let _ = write!(out, ", length {length}");
            if v <= 1 {
                super::nd::unknown_data(out, &b, 0, "\n\t", length);
            }
            return Ok(());
        }
    }
    if v == 0 {
        let _ = write!(out, ", length {length}");
    }
    Ok(())
}

/// get_upperlayer: the protocol and offset of the transport header in the
/// quoted packet at `at`, past its extension headers.
fn upper_layer(b: &Bytes<'_>, at: usize) -> Option<(u8, usize)> {
    let mut nh = b.u8(at + 6).ok()?;
    let mut cp = at;
    let mut hlen = 40;
    while cp < b.len() {
        cp += hlen;
        match nh {
            6 | 17 => {
                return b.has(cp + 2, 2).then_some((nh, cp));
            }
            0 | 60 | 43 => {
                let len = b.u8(cp + 1).ok()?;
                nh = b.u8(cp).ok()?;
                hlen = (usize::from(len) + 1) << 3;
            }
            44 => {
                let off = b.be16(cp + 2).ok()?;
                if off & 0xfff8 != 0 {
                    return None;
                }
                nh = b.u8(cp).ok()?;
                hlen = 8;
            }
            51 => {
                let len = b.u8(cp + 1).ok()?;
                nh = b.u8(cp).ok()?;
                hlen = (usize::from(len) + 2) << 2;
            }
            _ => return None,
        }
    }
    None
}

fn rtpref(v: u8) -> &'static str {
    ["medium", "high", "rsv", "low"][usize::from((v & 0x18) >> 3)]
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "infinity".into()
    } else {
        format!("{v}s")
    }
}

/// icmp6_opt_print: ND options from `at`, `resid` bytes by the length;
/// `Ok(Err(()))` is its `goto trunc` (the caller prints the marker).
fn nd_options(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    mut resid: isize,
) -> Result<Result<(), ()>, Trunc> {
    let mut cp = at;
    let v = p.opts.verbose;
    while cp < b.len() {
        if !b.has(cp + 1, 1) {
            return Ok(Err(()));
        }
        if resid <= 0 {
            return Ok(Ok(()));
        }
        let ty = b.u8(cp)?;
        let olen = usize::from(b.u8(cp + 1)?);
        if olen == 0 || cp + (olen << 3) > b.len() {
            return Ok(Err(()));
        }
        let _ = write!(
            out,
            "\n\t  {} option ({ty}), length {} ({olen}): ",
            tok(OPTIONS, u32::from(ty)).unwrap_or("unknown"),
            olen << 3
        );
        match ty {
            1 | 2 => {
                for i in 0..(olen << 3) - 2 {
                    if i > 0 {
                        out.push(':');
                    }
                    let _ = write!(out, "{:02x}", b.u8(cp + 2 + i)?);
                }
            }
            3 => {
                let _ = write!(
                    out,
                    "{}/{}{}, Flags [",
                    Ip::addr(b.take(cp + 16, 16)?),
                    b.u8(cp + 2)?,
                    if olen != 4 { "badlen" } else { "" }
                );
                bittok(out, PI_FLAGS, "none", u32::from(b.u8(cp + 3)?));
                let _ = write!(out, "], valid time {}", lifetime(b.be32(cp + 4)?));
                let _ = write!(out, ", pref. time {}", lifetime(b.be32(cp + 8)?));
            }
            4 => {
                // print-icmp6.c dumps from the start of the options here.
                super::nd::unknown_data(out, b, at, "\n\t    ", olen << 3);
            }
            5 => {
                let _ = write!(
                    out,
                    " {}{}",
                    b.be32(cp + 4)?,
                    if olen != 1 { "bad option length" } else { "" }
                );
            }
            25 => {
                let _ = write!(out, " lifetime {}s,", b.be32(cp + 4)?);
                for i in 0..(olen - 1) / 2 {
                    let _ = write!(out, " addr: {}", Ip::addr(b.take(cp + 8 + i * 16, 16)?));
                }
            }
            31 => {
                let _ = write!(out, " lifetime {}s, domain(s):", b.be32(cp + 4)?);
                let end = cp + (olen << 3);
                let mut dom = cp + 8;
                // fqdn_print's offsets count from the options' start.
                let view = Bytes::new(&b.data()[at..], "icmp6");
                while dom < end && b.u8(dom)? != 0 {
                    out.push(' ');
                    match dnsname::fqdn(out, &view, dom - at) {
                        Some(next) => dom = next + at,
                        None => return Ok(Err(())),
                    }
                }
            }
            7 => {
                let _ = write!(out, " {}ms", b.be32(cp + 4)?);
            }
            8 => {
                let _ = write!(
                    out,
                    " preference {}, lifetime {}",
                    b.be16(cp + 4)?,
                    b.be16(cp + 6)?
                );
            }
            24 => {
                if !b.has(cp + 4, 4) {
                    return Ok(Err(()));
                }
                let mut a = [0u8; 16];
                match olen {
                    1 => {}
                    2 => a[..8].copy_from_slice(b.take(cp + 8, 8)?),
                    3 => a.copy_from_slice(b.take(cp + 8, 16)?),
                    _ => return Ok(Err(())),
                }
                let _ = write!(out, " {}/{}", Ip::addr(&a), b.u8(cp + 2)?);
                let _ = write!(out, ", pref={}", rtpref(b.u8(cp + 3)?));
                let _ = write!(out, ", lifetime={}", lifetime(b.be32(cp + 4)?));
            }
            _ => {
                if v <= 1 {
                    super::nd::unknown_data(out, b, cp + 2, "\n\t  ", (olen << 3) - 2);
                    return Ok(Ok(()));
                }
            }
        }
        if v > 1 {
            super::nd::unknown_data(out, b, cp + 2, "\n\t    ", (olen << 3) - 2);
        }
        cp += olen << 3;
        resid -= (olen << 3) as isize;
    }
    Ok(Ok(()))
}

/// mld6_print: `max resp delay: N addr: A` when the message is whole.
fn mld6(out: &mut String, b: &Bytes<'_>) -> Result<(), Trunc> {
    if b.len() < 24 {
        return Ok(());
    }
    let _ = write!(out, "max resp delay: {} ", b.be16(4)?);
    let _ = write!(out, "addr: {}", Ip::addr(b.take(8, 16)?));
    Ok(())
}

fn mldv2_report(p: &Printer, out: &mut String, b: &Bytes<'_>, len: usize) -> Result<(), Trunc> {
    if len < 8 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    mcast::report(p, out, b, len, 16, "v2")
}

fn mldv2_query(p: &Printer, out: &mut String, b: &Bytes<'_>, len: usize) -> Result<(), Trunc> {
    if len < 28 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let v = p.opts.verbose;
    let mrc = u32::from(b.be16(4)?);
    let mrt = if mrc < 32768 {
        mrc
    } else {
        ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    };
    if v > 0 {
        let _ = write!(out, " [max resp delay={mrt}]");
    }
    let _ = write!(out, " [gaddr {}", Ip::addr(b.take(8, 16)?));
    if v > 0 {
        let f = b.u8(24)?;
        if f & 0x08 != 0 {
            out.push_str(" sflag");
        }
        if f & 0x07 != 0 {
            let _ = write!(out, " robustness={}", f & 7);
        }
        let q = u32::from(b.u8(25)?);
        let qqi = if q < 128 {
            q
        } else {
            ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3)
        };
        let _ = write!(out, " qqi={qqi}");
    }
    let nsrcs = usize::from(b.be16(26)?);
    mcast::query_sources(p, out, b, len, nsrcs, 28, 16)?;
    out.push(']');
    Ok(())
}
