//! UDP (print-udp.c): the header, the checksum forms, and the payload
//! printers chosen by port (`dispatch::UDP_PORTS`).

use super::demux;
use super::dispatch::{self, IpPayload};
use super::num::be16;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::{cksum, Summary, Transport};
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

/// print-udp.c's udp_print: a datagram of `length` bytes by the IP header.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, ip) = (seg.data, seg.ip);
    let mut length = seg.length;
    let b = Bytes::new(data, "udp");
    if !b.has(2, 2) {
        if ip.nh == 17 {
            let _ = write!(out, "{} > {}: ", ip.src_text(), ip.dst_text());
        }
        mark(out, "udp");
        return Ok(());
    }
    let sport = b.be16(0)?;
    let dport = b.be16(2)?;
    if length < 8 {
        demux::ports(p, out, ip, 17, sport, dport);
        let _ = write!(out, "truncated-udp {length}");
        return Ok(());
    }
    if !b.has(4, 2) {
        demux::ports(p, out, ip, 17, sport, dport);
        mark(out, "udp");
        return Ok(());
    }
    let mut ulen = usize::from(b.be16(4)?);
    if ulen == 0 && length > 65535 {
        ulen = length;
    }
    if ulen < 8 {
        demux::ports(p, out, ip, 17, sport, dport);
        let _ = write!(out, "truncated-udplength {ulen}");
        return Ok(());
    }
    ulen -= 8;
    length -= 8;
    if ulen < length {
        length = ulen;
    }
    if data.len() < 8 {
        demux::ports(p, out, ip, 17, sport, dport);
        mark(out, "udp");
        return Ok(());
    }
    demux::ports(p, out, ip, 17, sport, dport);
    let cp = &data[8..];
    let v = p.opts.verbose;
    if v > 0 && !p.opts.no_checksum && !seg.fragmented {
        if !ip.v6 && v > 1 {
            let stored = b.be16(6)?;
            if stored == 0 {
                out.push_str("[no cksum] ");
            } else if cp.len() >= length {
                let sum = ip.checksum(17, length + 8, &data[..length + 8]);
                cksum::bracketed(out, "udp", stored, sum);
            }
        } else if ip.v6 && cp.len() >= length {
            let sum = ip.checksum(17, length + 8, &data[..length + 8]);
            cksum::bracketed(out, "udp", b.be16(6)?, sum);
        }
    }
    if !p.opts.quiet {
        if let Some(app) = dispatch::udp_port(sport, dport) {
            p.isakmp.set_ip(ip);
            let seg = dispatch::Segment {
                data: cp,
                len: length,
                sport,
                dport,
            };
            return app(p, out, &seg);
        }
    }
    if ulen > length && !seg.fragmented {
        let _ = write!(out, "UDP, bad length {ulen} > {length}");
    } else {
        let _ = write!(out, "UDP, length {ulen}");
    }
    Ok(())
}
