//! UDP (print-udp.c): the header, the checksum forms, and the payload
//! printers chosen by port (`dispatch::UDP_PORTS`).

use super::demux::Ends;
use super::num::be16;
use super::text::Printer;
use super::{cksum, dispatch, Net, Summary, Transport};
use core::fmt::Write;
use etherparse::UdpHeaderSlice;

/// Reads a UDP header (the ports alone when the rest is cut off).
pub(super) fn parse<'a>(s: &mut Summary<'a>, b: &'a [u8], len: u32) -> Transport<'a> {
    match UdpHeaderSlice::from_slice(b) {
        Ok(u) => Transport::Udp {
            sport: u.source_port(),
            dport: u.destination_port(),
            len: u.length(),
            payload: &b[8..],
        },
        Err(_) if b.len() >= 4 => {
            // The ports are there, the length and checksum are not.
            s.truncated = Some("udp");
            Transport::Udp {
                sport: be16(b, 0).unwrap_or(0),
                dport: be16(b, 2).unwrap_or(0),
                len: 0,
                payload: &[],
            }
        }
        Err(_) => {
            s.truncated = Some("udp");
            Transport::Other { proto: 17, len }
        }
    }
}

/// A UDP datagram: ports, the `-v` checksum verdict, then the payload by
/// port or `UDP, length N`.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    s: &Summary<'_>,
    ends: &Ends<'_>,
    sport: u16,
    dport: u16,
    len: u16,
) {
    ends.ports(p, out, false, sport, dport);
    if s.truncated == Some("udp") {
        out.push_str(" [|udp]");
        return;
    }
    let v6 = matches!(s.net, Net::Ipv6(_));
    let stored = be16(s.l4, 6).unwrap_or(0);
    let check = p.opts.verbose > 1 || (p.opts.verbose > 0 && v6);
    if check && !s.fragmented() && !p.opts.quiet {
        if !v6 && stored == 0 {
            out.push_str("[no cksum] ");
        } else if let Some(sum) = s.l4_checksum(17) {
            cksum::bracketed(out, "udp", stored, sum);
        }
    }
    if !p.opts.quiet {
        if let Some(app) = dispatch::udp_port(sport, dport) {
            let seg = dispatch::Segment {
                data: s.l4.get(8..).unwrap_or(&[]),
                len: usize::from(len.saturating_sub(8)),
                sport,
                dport,
            };
            if let Err(t) = app(p, out, &seg) {
                p.truncated(out, t);
            }
            return;
        }
    }
    let _ = write!(out, "UDP, length {}", len.saturating_sub(8));
}
