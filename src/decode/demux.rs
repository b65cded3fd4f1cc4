//! The IP payload by protocol (print-ip-demux.c): the
//! `src.sport > dst.dport: ` prefix and the transport printers, shared by
//! IPv4 and IPv6.

use super::num::push_num;
use super::text::Printer;
use super::{dispatch, icmp, icmp6, ports, tcp, udp, Net, Summary, Transport};
use crate::proto::IpProto;
use core::fmt::Write;

/// A TCP connection's key for the relative-sequence table: the two
/// addresses (IPv4 in the first 4 bytes) and, once the direction is known,
/// the ports; the last field starts as the IP version.
pub(super) type SeqKey = ([u8; 16], [u8; 16], u32);

/// The packet's addresses and ports: `src.sport > dst.dport: `, or without
/// ports `src > dst: `; nothing at all when `src` is empty (after IPv6
/// extension headers tcpdump shows ports only).
pub(super) struct Ends<'s> {
    /// Source address text.
    pub src: &'s str,
    /// Destination address text.
    pub dst: &'s str,
}

impl Ends<'_> {
    /// `src.sport > dst.dport: ` (`tcp` picks the port-name table).
    pub(super) fn ports(&self, p: &Printer, out: &mut String, tcp: bool, sp: u16, dp: u16) {
        if !self.src.is_empty() {
            out.push_str(self.src);
            out.push('.');
        }
        push_port(p, out, tcp, sp);
        out.push_str(" > ");
        if !self.src.is_empty() {
            out.push_str(self.dst);
            out.push('.');
        }
        push_port(p, out, tcp, dp);
        out.push_str(": ");
    }

    /// `src > dst: ` (nothing when the addresses are not shown).
    pub(super) fn plain(&self, out: &mut String) {
        if !self.src.is_empty() {
            out.push_str(self.src);
            out.push_str(" > ");
            out.push_str(self.dst);
            out.push_str(": ");
        }
    }
}

/// A port, named from the services table unless `-n`.
fn push_port(p: &Printer, out: &mut String, tcp: bool, port: u16) {
    if !p.opts.numeric {
        let name = if tcp {
            ports::tcp(port)
        } else {
            ports::udp(port)
        };
        if let Some(n) = name {
            out.push_str(n);
            return;
        }
    }
    push_num(out, u64::from(port));
}

/// Everything after the IP header(s): `src`/`dst` are the addresses' text.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    s: &Summary<'_>,
    src: &str,
    dst: &str,
    key: SeqKey,
) {
    let ends = Ends { src, dst };
    let numeric = p.opts.numeric;
    match &s.transport {
        Transport::Tcp(t) => tcp::print(p, out, s, t, &ends, key),
        Transport::Udp {
            sport, dport, len, ..
        } => udp::print(p, out, s, &ends, *sport, *dport, *len),
        Transport::Icmp {
            ty,
            code,
            rest,
            len,
        } => icmp::print(p, out, s, &ends, (*ty, *code), rest, *len),
        Transport::Icmp6 {
            ty,
            code,
            rest,
            len,
        } => icmp6::print(p, out, s, &ends, (*ty, *code), rest, *len),
        Transport::Fragment { proto } => {
            // An IPv6 later fragment ends with its "frag (off|len)".
            if !src.is_empty() {
                ends.plain(out);
                out.push_str(&proto_label(*proto, numeric));
            }
        }
        Transport::Other { proto, len } => {
            ends.plain(out);
            let v6 = matches!(s.net, Net::Ipv6(_));
            match s.truncated {
                _ if v6 && *proto == 59 => out.push_str("no next header"),
                _ if v6 && *proto == 1 => out.push_str("[ICMP requires IPv4] (invalid)"),
                // print-tcp.c checks before printing anything; the others
                // print a separating space first.
                Some("tcp") => out.push_str("[|tcp]"),
                Some(t) => {
                    let _ = write!(out, " [|{t}]");
                }
                None => match dispatch::ip_proto(IpProto::from_raw(*proto)) {
                    Some(f) => {
                        if let Err(t) = f(p, out, s) {
                            p.truncated(out, t);
                        }
                    }
                    None => {
                        let _ = write!(out, "{} {len}", proto_label(*proto, numeric));
                    }
                },
            }
        }
        Transport::None => {
            ends.plain(out);
            let _ = write!(out, "[|{}]", s.truncated.unwrap_or("ip"));
        }
    }
}

/// An IP protocol as tcpdump names it in a fragment or an unknown payload:
/// the netdb name, or `ip-proto-N` with `-n`.
pub(super) fn proto_label(p: u8, numeric: bool) -> String {
    let name = proto_name(p);
    if numeric || name.starts_with("ip-proto") {
        format!("ip-proto-{p}")
    } else {
        name
    }
}

/// The lower-case protocol name for an IP protocol number (JSON's `proto`).
pub fn proto_name(p: u8) -> String {
    match p {
        0 => "hopopt".into(),
        1 => "icmp".into(),
        2 => "igmp".into(),
        4 => "ipip".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        41 => "ip6".into(),
        47 => "gre".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        58 => "icmp6".into(),
        89 => "ospf".into(),
        103 => "pim".into(),
        112 => "vrrp".into(),
        132 => "sctp".into(),
        n => format!("ip-proto-{n}"),
    }
}
