//! ICMP (print-icmp.c): the message summary by type and code, the `-v`
//! checksum and the quoted datagram of error messages.

use super::demux;
use super::dispatch::IpPayload;
use super::num::ip4_text;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{tok, Tok};
use super::{cksum, hex, inet_checksum, Summary, Transport};
use core::fmt::Write;

/// Reads ICMP or ICMPv6 type and code (the printer asks for more where it
/// needs it).
pub(super) fn parse<'a>(
    s: &mut Summary<'a>,
    proto: u8,
    b: &'a [u8],
    len: u32,
    v6: bool,
) -> Transport<'a> {
    if b.len() < 2 {
        s.truncated = Some(if proto == 1 { "icmp" } else { "icmp6" });
        return Transport::Other { proto, len };
    }
    let (ty, code, rest) = (b[0], b[1], b.get(4..).unwrap_or(&[]));
    if v6 && proto == 58 {
        Transport::Icmp6 {
            ty,
            code,
            rest,
            len,
        }
    } else {
        Transport::Icmp {
            ty,
            code,
            rest,
            len,
        }
    }
}

/// print-icmp.c's icmp_print: a message of `plen` bytes by the IP header.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, plen) = (seg.data, seg.length);
    let b = Bytes::new(data, "icmp");
    let ty = b.u8(0)?;
    let code = b.u8(1)?;
    let inner_dst = || -> Result<String, Trunc> { Ok(ip4_text(b.take(24, 4)?)) };
    let numeric = p.opts.numeric;
    let text: String = match ty {
        0 | 8 => format!(
            "echo {}, id {}, seq {}",
            if ty == 8 { "request" } else { "reply" },
            b.be16(4)?,
            b.be16(6)?
        ),
        3 => match code {
            0 => format!("net {} unreachable", inner_dst()?),
            1 => format!("host {} unreachable", inner_dst()?),
            2 => format!("{} protocol {} unreachable", inner_dst()?, b.u8(17)?),
            3 => {
                if !b.has(17, 1) {
                    mark(out, "icmp");
                    return Ok(());
                }
                let hlen = usize::from(b.u8(8)? & 0xf) * 4;
                let dport = b.be16(8 + hlen + 2)?;
                let proto = b.u8(17)?;
                match proto {
                    6 | 17 => {
                        let mut port = String::new();
                        demux::push_port(p, &mut port, proto == 6, dport);
                        format!(
                            "{} {} port {port} unreachable",
                            inner_dst()?,
                            if proto == 6 { "tcp" } else { "udp" }
                        )
                    }
                    _ => format!("{} protocol {proto} port {dport} unreachable", inner_dst()?),
                }
            }
            4 => {
                let mtu = b.be16(6)?;
                if mtu != 0 {
                    format!("{} unreachable - need to frag (mtu {mtu})", inner_dst()?)
                } else {
                    format!("{} unreachable - need to frag", inner_dst()?)
                }
            }
            c => {
                let (prefix, why) = match c {
                    5 => ("", "source route failed"),
                    6 => ("net ", "unknown"),
                    7 => ("host ", "unknown"),
                    8 => ("", "source host isolated"),
                    9 => ("net ", "admin prohibited"),
                    10 => ("host ", "admin prohibited"),
                    11 => ("net ", "tos prohibited"),
                    12 => ("host ", "tos prohibited"),
                    13 => ("host ", "admin prohibited filter"),
                    14 => ("host ", "host precedence violation"),
                    15 => ("host ", "precedence cutoff"),
                    _ => ("", ""),
                };
                if why.is_empty() {
                    format!("{} unreachable - #{c}", inner_dst()?)
                } else {
                    format!("{prefix}{} unreachable - {why}", inner_dst()?)
                }
            }
        },
        5 => {
            let (what, to) = match code {
                0 => ("redirect", "net "),
                1 => ("redirect", "host "),
                2 => ("redirect-tos", "net "),
                3 => ("redirect-tos", "host "),
                _ => ("", ""),
            };
            let dst = inner_dst()?;
            let gw = ip4_text(b.take(4, 4)?);
            if what.is_empty() {
                format!("redirect-#{code} {dst} to {gw}")
            } else {
                format!("{what} {dst} to {to}{gw}")
            }
        }
        9 => {
            let mut t = String::from("router advertisement");
            if !b.has(4, 4) {
                mark(out, "icmp");
                return Ok(());
            }
            t.push_str(" lifetime ");
            let life = b.be16(6)?;
            let _ = match life {
                0..=59 => write!(t, "{life}"),
                60..=3599 => write!(t, "{}:{:02}", life / 60, life % 60),
                _ => write!(
                    t,
                    "{}:{:02}:{:02}",
                    life / 3600,
                    life % 3600 / 60,
                    life % 60
                ),
            };
            let num = b.u8(4)?;
            let _ = write!(t, " {num}:");
            let size = b.u8(5)?;
            if size != 2 {
                let _ = write!(t, " [size {size}]");
            } else {
                for i in 0..usize::from(num) {
                    if !b.has(8 + i * 8, 8) {
                        // ND_TCHECK jumps to the end: the text so far is lost.
                        mark(out, "icmp");
                        return Ok(());
                    }
                    let _ = write!(
                        t,
                        " {{{} {}}}",
                        ip4_text(b.take(8 + i * 8, 4)?),
                        b.be32(12 + i * 8)?
                    );
                }
            }
            t
        }
        11 => {
            if !b.has(24, 4) {
                mark(out, "icmp");
                return Ok(());
            }
            match code {
                0 => "time exceeded in-transit".into(),
                1 => "ip reassembly time exceeded".into(),
                c => format!("time exceeded-#{c}"),
            }
        }
        12 => match code {
            0 => format!("parameter problem - octet {}", b.u8(4)?),
            c => format!("parameter problem - code {c}"),
        },
        18 => format!("address mask is 0x{:08x}", b.be32(8)?),
        13 => format!("time stamp query id {} seq {}", b.be16(4)?, b.be16(6)?),
        14 => {
            if !b.has(16, 4) {
                mark(out, "icmp");
                return Ok(());
            }
            format!(
                "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
                b.be16(4)?,
                b.be16(6)?,
                ms_time(b.be32(8)?),
                ms_time(b.be32(12)?),
                ms_time(b.be32(16)?)
            )
        }
        _ => match tok(TYPE_NAMES, u32::from(ty)) {
            Some(n) => n.to_string(),
            None => format!("type-#{ty}"),
        },
    };
    let _ = numeric;
    let _ = write!(out, "ICMP {text}, length {plen}");
    let v = p.opts.verbose > 0;
    if v && !seg.fragmented && b.has(0, plen) {
        let sum = inet_checksum(&[&data[..plen]]);
        cksum::icmp(out, b.be16(2)?, sum);
    }
    if v && matches!(ty, 3 | 4 | 5 | 11 | 12) {
        out.push_str("\n\t");
        let inner = &data[8.min(data.len())..];
        let ilen = usize::from(Bytes::new(inner, "icmp").be16(2)?);
        let end = ilen.min(inner.len());
        super::ip::print_packet(p, out, &inner[..end], ilen)?;
    }
    if v && plen > EXTD_MINLEN && matches!(ty, 3 | 11 | 12) {
        return extensions(out, &b, plen);
    }
    Ok(())
}

/// The offset of the RFC 4884 extension structure (128 bytes after the
/// ICMP header).
const EXTD_MINLEN: usize = 136;

const TYPE_NAMES: &Tok = &[
    (0, "echo reply"),
    (4, "source quench"),
    (8, "echo request"),
    (10, "router solicitation"),
    (13, "time stamp request"),
    (14, "time stamp reply"),
    (15, "information request"),
    (16, "information reply"),
    (17, "address mask request"),
];

/// RFC 4884 multi-part extensions (MPLS label stack entries).
fn extensions(out: &mut String, b: &Bytes<'_>, plen: usize) -> Printed {
    if !b.has(0, 141) {
        mark(out, "icmp");
        return Ok(());
    }
    let data = b.data();
    if b.u8(5)? == 0
        && b.has(EXTD_MINLEN, plen - EXTD_MINLEN)
        && inet_checksum(&[&data[EXTD_MINLEN..plen]]) != 0
    {
        return Ok(());
    }
    let version = (data[EXTD_MINLEN] & 0xf0) >> 4;
    let _ = write!(out, "\n\tICMP Multi-Part extension v{version}");
    if version != 2 {
        out.push_str(" packet not supported");
        return Ok(());
    }
    let mut hlen = plen - EXTD_MINLEN;
    if b.has(EXTD_MINLEN, hlen) {
        let ok = inet_checksum(&[&data[EXTD_MINLEN..EXTD_MINLEN + hlen]]) == 0;
        let _ = write!(
            out,
            ", checksum 0x{:04x} ({}correct), length {hlen}",
            b.be16(EXTD_MINLEN + 2)?,
            if ok { "" } else { "in" }
        );
    }
    hlen = hlen.wrapping_sub(4);
    let mut at = EXTD_MINLEN + 4;
    while hlen > 4 && hlen < usize::MAX / 2 {
        if !b.has(at, 4) {
            mark(out, "icmp");
            return Ok(());
        }
        let tlen = usize::from(b.be16(at)?);
        let class = b.u8(at + 2)?;
        let ctype = b.u8(at + 3)?;
        at += 4;
        let _ = write!(
            out,
            "\n\t  {} Object ({class}), Class-Type: {ctype}, length {tlen}",
            match class {
                1 => "MPLS Stack Entry",
                2 => "Interface Identification",
                _ => "unknown",
            }
        );
        hlen -= 4;
        if class == 0 || tlen < 4 {
            return Ok(());
        }
        let tlen = tlen - 4;
        if class == 1 && ctype == 1 {
            let raw = b.be32(at)?;
            let _ = write!(out, "\n\t    label {}, tc {}", raw >> 12, (raw >> 9) & 7);
            if raw & 0x100 != 0 {
                out.push_str(", [S]");
            }
            let _ = write!(out, ", ttl {}", raw & 0xff);
        } else {
            let avail = data.len().saturating_sub(at).min(tlen);
            hex::hex_with(
                out,
                "\n\t    ",
                &data[at.min(data.len())..at.min(data.len()) + avail],
            );
        }
        if hlen < tlen {
            break;
        }
        hlen -= tlen;
        at += tlen;
    }
    Ok(())
}

/// An ICMP timestamp (milliseconds since midnight UT) as print-icmp.c shows it.
fn ms_time(t: u32) -> String {
    let ms = t % 1000;
    let sec = t / 1000;
    let (min, sec) = (sec / 60, sec % 60);
    let (hrs, min) = (min / 60, min % 60);
    format!("{hrs:02}:{min:02}:{sec:02}.{ms:03}")
}
