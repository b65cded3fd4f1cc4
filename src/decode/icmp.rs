//! ICMP (print-icmp.c): the message summary by type and code, the `-v`
//! checksum and the quoted datagram of error messages.

use super::demux::Ends;
use super::num::{be16, be32};
use super::text::Printer;
use super::{cksum, ip, ports, Net, Summary, Transport};
use crate::LinkType;
use core::fmt::Write;
use std::net::Ipv4Addr;

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

/// An ICMP message: `ICMP <summary>, length N`, with `-v` the checksum
/// verdict and the quoted datagram of an error.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    s: &Summary<'_>,
    ends: &Ends<'_>,
    (ty, code): (u8, u8),
    rest: &[u8],
    len: u32,
) {
    ends.plain(out);
    let Some(text) = summary(ty, code, rest, p.opts.numeric) else {
        out.push_str(" [|icmp]");
        return;
    };
    let _ = write!(out, "ICMP {text}, length {len}");
    if p.opts.verbose > 0 && !s.fragmented() {
        if s.l4.len() as u32 == len {
            let sum = super::inet_checksum(&[s.l4]);
            cksum::icmp(out, be16(s.l4, 2).unwrap_or(0), sum);
        }
        if matches!(ty, 3 | 4 | 5 | 11 | 12) {
            // The quoted datagram, as tcpdump prints it.
            let inner = super::summarize(LinkType::Raw, rest.get(4..).unwrap_or(&[]));
            if let Net::Ipv4(i) = &inner.net {
                out.push_str("\n\t");
                ip::print(p, out, &inner, i);
            }
        }
    }
}

/// print-icmp.c's summary of one ICMP message (without "ICMP " and
/// ", length"); `None` when a field it needs is not captured (tcpdump then
/// prints only " [|icmp]").
fn summary(ty: u8, code: u8, rest: &[u8], numeric: bool) -> Option<String> {
    let mut out = String::new();
    let u16_at = |at: usize| {
        rest.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| rest.get(at..at + 4).map(be32);
    // The quoted datagram of an error message starts after 4 unused bytes.
    let inner = rest.get(4..).unwrap_or(&[]);
    let inner_dst = || {
        inner
            .get(16..20)
            .map(|d| Ipv4Addr::new(d[0], d[1], d[2], d[3]).to_string())
    };
    let _ = match ty {
        0 | 8 => write!(
            out,
            "echo {}, id {}, seq {}",
            if ty == 8 { "request" } else { "reply" },
            u16_at(0)?,
            u16_at(2)?
        ),
        3 => match code {
            0 => write!(out, "net {} unreachable", inner_dst()?),
            1 => write!(out, "host {} unreachable", inner_dst()?),
            2 => write!(
                out,
                "{} protocol {} unreachable",
                inner_dst()?,
                inner.get(9)?
            ),
            3 => {
                let dst = inner_dst()?;
                let hl = usize::from(inner.first()? & 0xf) * 4;
                let p = *inner.get(9)?;
                let b = inner.get(hl + 2..hl + 4)?;
                let port = u16::from_be_bytes([b[0], b[1]]);
                match p {
                    17 | 6 => {
                        let name = (!numeric)
                            .then(|| {
                                if p == 6 {
                                    ports::tcp(port)
                                } else {
                                    ports::udp(port)
                                }
                            })
                            .flatten();
                        write!(
                            out,
                            "{dst} {} port {} unreachable",
                            if p == 6 { "tcp" } else { "udp" },
                            name.map_or(port.to_string(), str::to_string)
                        )
                    }
                    p => write!(out, "{dst} protocol {p} port {port} unreachable"),
                }
            }
            4 => {
                let dst = inner_dst()?;
                match u16_at(2)? {
                    0 => write!(out, "{dst} unreachable - need to frag"),
                    mtu => write!(out, "{dst} unreachable - need to frag (mtu {mtu})"),
                }
            }
            c => {
                let dst = inner_dst()?;
                let why = match c {
                    5 => "source route failed",
                    6 => "net unknown",
                    7 => "host unknown",
                    8 => "src host isolated",
                    9 => "net prohibited",
                    10 => "host prohibited",
                    11 => "tos prohibited",
                    12 => "tos host",
                    13 => "admin prohibited filter",
                    14 => "host precedence violation",
                    15 => "precedence cutoff",
                    _ => "",
                };
                if why.is_empty() {
                    write!(out, "{dst} unreachable - #{c}")
                } else {
                    write!(out, "{dst} unreachable - {why}")
                }
            }
        },
        4 => write!(out, "source quench"),
        5 => {
            let d = rest.get(..4)?;
            let gw = Ipv4Addr::new(d[0], d[1], d[2], d[3]);
            let dst = inner_dst()?;
            let what = match code {
                0 => "net",
                1 => "host",
                2 => "tos net",
                3 => "tos host",
                _ => return Some(format!("redirect-#{code} {dst} to {gw}")),
            };
            write!(out, "redirect {dst} to {what} {gw}")
        }
        9 => {
            let (num, size, life) = (*rest.first()?, *rest.get(1)?, u16_at(2)?);
            out.push_str("router advertisement lifetime ");
            let _ = match life {
                0..=59 => write!(out, "{life}"),
                60..=3599 => write!(out, "{}:{:02}", life / 60, life % 60),
                _ => write!(
                    out,
                    "{}:{:02}:{:02}",
                    life / 3600,
                    life / 60 % 60,
                    life % 60
                ),
            };
            let _ = write!(out, " {num}:");
            if size != 2 {
                write!(out, " [size {size}]")
            } else {
                for i in 0..usize::from(num) {
                    let a = rest.get(4 + i * 8..8 + i * 8)?;
                    let pref = u32_at(8 + i * 8)?;
                    let _ = write!(out, " {{{} {pref}}}", Ipv4Addr::new(a[0], a[1], a[2], a[3]));
                }
                Ok(())
            }
        }
        10 => write!(out, "router solicitation"),
        11 => write!(
            out,
            "{}",
            // tcpdump reads the quoted header's address first.
            match (inner_dst()?, code).1 {
                0 => "time exceeded in-transit",
                1 => "ip reassembly time exceeded",
                _ => "time exceeded-#",
            }
        ),
        12 => match code {
            0 => write!(out, "parameter problem - octet {}", rest.first()?),
            c => write!(out, "parameter problem - code {c}"),
        },
        13 => write!(out, "time stamp query id {} seq {}", u16_at(0)?, u16_at(2)?),
        14 => {
            let (id, seq) = (u16_at(0)?, u16_at(2)?);
            let (org, recv, xmit) = (u32_at(4)?, u32_at(8)?, u32_at(12)?);
            write!(
                out,
                "time stamp reply id {id} seq {seq}: org {}, recv {}, xmit {}",
                ms_time(org),
                ms_time(recv),
                ms_time(xmit)
            )
        }
        15 => write!(out, "information request"),
        16 => write!(out, "information reply"),
        17 => write!(out, "address mask request"),
        18 => write!(out, "address mask is 0x{:08x}", u32_at(4)?),
        t => write!(out, "type-#{t}"),
    };
    Some(out)
}

/// An ICMP timestamp (milliseconds since midnight UT) as print-icmp.c shows it.
fn ms_time(t: u32) -> String {
    let ms = t % 1000;
    let sec = t / 1000;
    let (min, sec) = (sec / 60, sec % 60);
    let (hrs, min) = (min / 60, min % 60);
    format!("{hrs}:{min:02}:{sec:02}.{ms:03}")
}
