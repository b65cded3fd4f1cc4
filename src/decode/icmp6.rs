//! ICMPv6 (print-icmp6.c): the message summary by type and code and the
//! `-v` checksum.

use super::demux::Ends;
use super::num::{be16, be32};
use super::text::Printer;
use super::{cksum, hex, ports, Summary};
use core::fmt::Write;
use std::net::Ipv6Addr;

/// An ICMPv6 message: `ICMP6, <summary>, length N`.
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
    if p.opts.verbose > 0 {
        if let Some(sum) = s.l4_checksum(58) {
            cksum::bracketed(out, "icmp6", be16(s.l4, 2).unwrap_or(0), sum);
        }
    }
    out.push_str("ICMP6, ");
    match summary(out, ty, code, rest, len, p.opts.numeric) {
        Icmp6End::Trunc => {}
        Icmp6End::Done if p.opts.verbose > 0 => {}
        Icmp6End::Done => {
            let _ = write!(out, ", length {len}");
        }
        Icmp6End::Unknown => {
            let _ = write!(out, ", length {len}");
            let n = (len as usize).min(s.l4.len());
            hex::hex(out, &s.l4[..n]);
        }
    }
}

/// How an ICMPv6 summary ended.
enum Icmp6End {
    /// Normally: ", length N" follows.
    Done,
    /// The data ran out: " [|icmp6]" was printed and nothing follows.
    Trunc,
    /// A type print-icmp6.c does not decode: ", length N" and a hex dump follow.
    Unknown,
}

/// print-icmp6.c's summary of one ICMPv6 message (without ", length").
fn summary(out: &mut String, ty: u8, code: u8, rest: &[u8], len: u32, numeric: bool) -> Icmp6End {
    let addr_at = |at: usize| {
        rest.get(at..at + 16).map(|b| {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            Ipv6Addr::from(a).to_string()
        })
    };
    let trunc = |out: &mut String| {
        out.push_str(" [|icmp6]");
        Icmp6End::Trunc
    };
    let name = match ty {
        1 => "destination unreachable",
        2 => "packet too big",
        3 => "time exceeded in-transit",
        4 => "parameter problem",
        128 => "echo request",
        129 => "echo reply",
        130 => "multicast listener query",
        131 => "multicast listener report",
        132 => "multicast listener done",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        137 => "redirect",
        138 => "router renumbering",
        139 => "node information query",
        140 => "node information reply",
        141 => "inverse neighbor solicitation",
        142 => "inverse neighbor advertisement",
        143 => "multicast listener report v2",
        144 => "ha discovery request",
        145 => "ha discovery reply",
        146 => "mobile router solicitation",
        147 => "mobile router advertisement",
        151 => "multicast router advertisement",
        152 => "multicast router solicitation",
        153 => "multicast router termination",
        200 => "mtrace response",
        201 => "mtrace query",
        _ => "",
    };
    if name.is_empty() {
        let _ = write!(out, "unknown icmp6 type ({ty})");
        return Icmp6End::Unknown;
    }
    out.push_str(name);
    // The quoted packet of an error message starts after 4 bytes.
    let inner_dst = addr_at(4 + 24);
    match ty {
        1 => {
            let what = match code {
                0 => "unreachable route",
                // print-icmp6.c's table has this leading space.
                1 => " unreachable prohibited",
                2 => "beyond scope",
                3 => "unreachable address",
                4 => {
                    out.push_str(", unreachable port");
                    let Some(dst) = inner_dst else {
                        return trunc(out);
                    };
                    let nh = rest.get(4 + 6).copied();
                    let port = rest
                        .get(4 + 40 + 2..4 + 40 + 4)
                        .map(|b| u16::from_be_bytes([b[0], b[1]]));
                    match (nh, port) {
                        (Some(6), Some(p)) => {
                            let n = (!numeric).then(|| ports::tcp(p)).flatten();
                            let _ = write!(
                                out,
                                ", {dst} tcp port {}",
                                n.map_or(p.to_string(), str::to_string)
                            );
                        }
                        (Some(17), Some(p)) => {
                            let n = (!numeric).then(|| ports::udp(p)).flatten();
                            let _ = write!(
                                out,
                                ", {dst} udp port {}",
                                n.map_or(p.to_string(), str::to_string)
                            );
                        }
                        _ => return trunc(out),
                    }
                    return Icmp6End::Done;
                }
                _ => {
                    let _ = write!(out, ", unknown unreach code ({code})");
                    return Icmp6End::Done;
                }
            };
            let _ = write!(out, ", {what}");
            match inner_dst {
                Some(d) => {
                    let _ = write!(out, " {d}");
                }
                None => return trunc(out),
            }
        }
        2 => match rest.get(..4) {
            Some(m) => {
                let _ = write!(out, ", mtu {}", be32(m));
            }
            None => return trunc(out),
        },
        3 => match code {
            0 => {
                let Some(d) = inner_dst else {
                    return trunc(out);
                };
                let _ = write!(out, " for {d}");
            }
            1 => out.push_str(" (reassembly)"),
            c => {
                let _ = write!(out, ", unknown code ({c})");
            }
        },
        4 => {
            if inner_dst.is_none() {
                return trunc(out);
            }
            let ptr = rest.get(..4).map_or(0, be32);
            let _ = match code {
                0 => write!(out, ", erroneous - octet {ptr}"),
                1 => write!(out, ", next header - octet {ptr}"),
                2 => write!(out, ", option - octet {ptr}"),
                c => write!(out, ", code-#{c}"),
            };
        }
        128 | 129 => match rest.get(..4) {
            Some(r) => {
                let _ = write!(
                    out,
                    ", id {}, seq {}",
                    u16::from_be_bytes([r[0], r[1]]),
                    u16::from_be_bytes([r[2], r[3]])
                );
            }
            None => return trunc(out),
        },
        130..=132 => {
            if ty == 130 && len != 24 && len < 28 {
                let _ = write!(out, " unknown-version (len {len}) ");
                return Icmp6End::Done;
            }
            if ty == 130 && len >= 28 {
                // MLDv2 query: not decoded further.
                return Icmp6End::Done;
            }
            let (Some(d), Some(a)) = (rest.get(..2), addr_at(4)) else {
                // mld6_print says nothing about a message too short.
                return Icmp6End::Done;
            };
            let _ = write!(
                out,
                "max resp delay: {} addr: {a}",
                u16::from_be_bytes([d[0], d[1]])
            );
        }
        135 | 136 => match addr_at(4) {
            Some(a) => {
                let _ = write!(
                    out,
                    ", {} {a}",
                    if ty == 135 { "who has" } else { "tgt is" }
                );
            }
            None => return trunc(out),
        },
        137 => match (addr_at(4), addr_at(20)) {
            (Some(t), Some(d)) => {
                let _ = write!(out, ", {d} to {t}");
            }
            _ => return trunc(out),
        },
        143 => match rest.get(2..4) {
            Some(n) => {
                let _ = write!(
                    out,
                    ", {} group record(s)",
                    u16::from_be_bytes([n[0], n[1]])
                );
            }
            None => return trunc(out),
        },
        133 | 134 => {}
        _ => return Icmp6End::Unknown,
    }
    Icmp6End::Done
}
