//! TCP (print-tcp.c): the parsed header, the flags, the relative sequence
//! numbers tcpdump keeps per connection, and the payload printers chosen by
//! port (`dispatch::TCP_PORTS`).

use super::demux;
use super::dispatch::{self, IpPayload};
use super::num::{be16, push_num};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{bittok_sep, print_char, Tok};
use super::{cksum, tcpopt, Summary, Transport};
use core::fmt::Write;
use etherparse::TcpHeaderSlice;

/// TCP header fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tcp<'a> {
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Flag bits (FIN 0x01 .. CWR 0x80, AE 0x100).
    pub flags: u16,
    /// Window.
    pub win: u16,
    /// Urgent pointer.
    pub urp: u16,
    /// Checksum field.
    pub checksum: u16,
    /// Header length in bytes.
    pub header_len: u16,
    /// Option bytes.
    pub options: &'a [u8],
    /// Payload length from the IP lengths (not the captured bytes).
    pub payload_len: u32,
    /// The captured payload bytes.
    pub payload: &'a [u8],
    /// Only the ports were captured (fewer than 20 header bytes).
    pub header_cut: bool,
    /// The options are cut off by the snapshot length after `options`.
    pub options_cut: bool,
}

/// TCP flag bits.
pub mod tcp_flags {
    /// FIN.
    pub const FIN: u16 = 0x01;
    /// SYN.
    pub const SYN: u16 = 0x02;
    /// RST.
    pub const RST: u16 = 0x04;
    /// PSH.
    pub const PSH: u16 = 0x08;
    /// ACK.
    pub const ACK: u16 = 0x10;
    /// URG.
    pub const URG: u16 = 0x20;
    /// ECE.
    pub const ECE: u16 = 0x40;
    /// CWR.
    pub const CWR: u16 = 0x80;
}
use tcp_flags as tf;

/// Reads a TCP header (or the part of it that was captured).
pub(super) fn parse<'a>(s: &mut Summary<'a>, b: &'a [u8], len: u32) -> Transport<'a> {
    match TcpHeaderSlice::from_slice(b) {
        Ok(t) => {
            let hl = usize::from(t.data_offset()) * 4;
            let flags = u16::from(b[13]) | (u16::from(b[12] & 1) << 8);
            Transport::Tcp(Tcp {
                sport: t.source_port(),
                dport: t.destination_port(),
                seq: t.sequence_number(),
                ack: t.acknowledgment_number(),
                flags,
                win: t.window_size(),
                urp: t.urgent_pointer(),
                checksum: t.checksum(),
                header_len: hl as u16,
                options: &b[20..hl],
                payload_len: len.saturating_sub(hl as u32),
                payload: &b[hl..],
                header_cut: false,
                options_cut: false,
            })
        }
        Err(_) if b.len() >= 4 => {
            // Cut by the snapshot length: keep what is there.
            s.truncated = Some("tcp");
            let fixed = b.len() >= 20;
            let hl = if fixed {
                usize::from(b[12] >> 4) * 4
            } else {
                20
            };
            let u32_at = |at: usize| {
                b.get(at..at + 4)
                    .map_or(0, |x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
            };
            Transport::Tcp(Tcp {
                sport: be16(b, 0).unwrap_or(0),
                dport: be16(b, 2).unwrap_or(0),
                seq: u32_at(4),
                ack: u32_at(8),
                flags: if fixed {
                    u16::from(b[13]) | (u16::from(b[12] & 1) << 8)
                } else {
                    0
                },
                win: be16(b, 14).unwrap_or(0),
                urp: be16(b, 18).unwrap_or(0),
                checksum: be16(b, 16).unwrap_or(0),
                header_len: hl as u16,
                options: b.get(20..hl.min(b.len())).unwrap_or(&[]),
                payload_len: len.saturating_sub(hl as u32),
                payload: &[],
                header_cut: !fixed,
                options_cut: fixed,
            })
        }
        Err(_) => {
            s.truncated = Some("tcp");
            Transport::Other { proto: 6, len }
        }
    }
}

/// print-tcp.c's tcp_print: a segment of `length` bytes by the IP header.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, length, ip) = (seg.data, seg.length, seg.ip);
    let b = Bytes::new(data, "tcp");
    if !b.has(2, 2) {
        let _ = write!(out, "{} > {}:", ip.src_text(), ip.dst_text());
        mark(out, "tcp");
        return Ok(());
    }
    let sport = b.be16(0)?;
    let dport = b.be16(2)?;
    demux::ports(p, out, ip, 6, sport, dport);
    if data.len() < 20 {
        mark(out, "tcp");
        return Ok(());
    }
    let mut hlen = usize::from(b.u8(12)? >> 4) * 4;
    if hlen < 20 {
        let _ = write!(
            out,
            " tcp {} [bad hdr length {hlen} - too short, < 20]",
            length.wrapping_sub(hlen) as u32
        );
        return Ok(());
    }
    let (mut seq, mut ack) = (b.be32(4)?, b.be32(8)?);
    let win = b.be16(14)?;
    let urp = b.be16(18)?;
    if p.opts.quiet {
        let _ = write!(out, "tcp {}", length.wrapping_sub(hlen) as u32);
        if hlen > length {
            let _ = write!(out, " [bad hdr length {hlen} - too long, > {length}]");
        }
        return Ok(());
    }
    let flags = b.u8(13)?;
    out.push_str("Flags [");
    bittok_sep(out, FLAG_NAMES, "none", u32::from(flags), "");
    out.push(']');
    let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
    if u16::from(flags) & tf::ACK != 0 && !p.opts.absolute_seq {
        let mut key = ip.seq_key();
        rev = sport > dport || (sport == dport && key.0 > key.1);
        if rev {
            core::mem::swap(&mut key.0, &mut key.1);
            key.2 = (u32::from(dport) << 16) | u32::from(sport);
        } else {
            key.2 = (u32::from(sport) << 16) | u32::from(dport);
        }
        match p.seqs.get(&key) {
            Some(&(s0, a0)) if u16::from(flags) & tf::SYN == 0 => {
                if rev {
                    seq = seq.wrapping_sub(a0);
                    ack = ack.wrapping_sub(s0);
                } else {
                    seq = seq.wrapping_sub(s0);
                    ack = ack.wrapping_sub(a0);
                }
                (thseq, thack) = (s0, a0);
            }
            _ => {
                let v = if rev {
                    (ack.wrapping_sub(1), seq)
                } else {
                    (seq, ack.wrapping_sub(1))
                };
                p.seqs.insert(key, v);
                (thseq, thack) = v;
            }
        }
    }
    if hlen > length {
        let _ = write!(out, " [bad hdr length {hlen} - too long, > {length}]");
        return Ok(());
    }
    if p.opts.verbose > 0 && !p.opts.no_checksum && !seg.fragmented && b.has(0, length) {
        let sum = ip.checksum(6, length, &data[..length]);
        cksum::tcp(out, b.be16(16)?, sum);
    }
    let length = length - hlen;
    let fl = u16::from(flags);
    if p.opts.verbose > 1 || length > 0 || fl & (tf::SYN | tf::FIN | tf::RST) != 0 {
        out.push_str(", seq ");
        push_num(out, u64::from(seq));
        if length > 0 {
            out.push(':');
            push_num(out, u64::from(seq.wrapping_add(length as u32)));
        }
    }
    if fl & tf::ACK != 0 {
        out.push_str(", ack ");
        push_num(out, u64::from(ack));
    }
    out.push_str(", win ");
    push_num(out, u64::from(win));
    if fl & tf::URG != 0 {
        let _ = write!(out, ", urg {urp}");
    }
    if hlen > 20 {
        let base = if rev { thseq } else { thack };
        let captured = b.has(hlen, length);
        match tcpopt::print(out, &b, hlen - 20, flags, base, captured)? {
            tcpopt::End::Done => {}
            tcpopt::End::Stop => return Ok(()),
        }
    }
    out.push_str(", length ");
    push_num(out, length as u64);
    if length == 0 {
        return Ok(());
    }
    let header_len = usize::from(b.u8(12)? >> 4) * 4;
    hlen = header_len;
    if !b.has(0, hlen) {
        let _ = write!(
            out,
            " [remaining caplen({}) < header length({hlen})]",
            data.len()
        );
        return Err(Trunc("tcp"));
    }
    let payload = &data[hlen..];
    if fl & tf::RST != 0 && p.opts.verbose > 0 {
        rst_data(out, payload, length);
        return Ok(());
    }
    if let Some(app) = dispatch::tcp_port(sport, dport) {
        let seg = dispatch::Segment {
            data: payload,
            len: length,
            sport,
            dport,
        };
        app(p, out, &seg)?;
    }
    Ok(())
}

const FLAG_NAMES: &Tok = &[
    (0x01, "F"),
    (0x02, "S"),
    (0x04, "R"),
    (0x08, "P"),
    (0x10, "."),
    (0x20, "U"),
    (0x40, "E"),
    (0x80, "W"),
];

/// `-v` data of a TCP reset: ` [RST` up to 30 bytes as text `]`
/// (print-tcp.c's print_tcp_rst_data).
fn rst_data(out: &mut String, p: &[u8], length: usize) {
    out.push_str(if p.len() >= length { " [RST" } else { " [!RST" });
    let n = if length > 30 {
        out.push('+');
        30
    } else {
        length
    };
    out.push(' ');
    for &c in p.iter().take(n) {
        print_char(out, c);
    }
    out.push(']');
}

/// tcpdump's flag letters, in its order; "none" when no flag is set.
pub fn flag_string(flags: u16) -> String {
    let mut s = String::new();
    push_flags(&mut s, flags);
    s
}

/// [`flag_string`] appended to `s`.
fn push_flags(s: &mut String, flags: u16) {
    let start = s.len();
    for (bit, c) in [
        (tf::FIN, 'F'),
        (tf::SYN, 'S'),
        (tf::RST, 'R'),
        (tf::PSH, 'P'),
        (tf::ACK, '.'),
        (tf::URG, 'U'),
        (tf::ECE, 'E'),
        (tf::CWR, 'W'),
    ] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    if s.len() == start {
        s.push_str("none");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_letters_in_tcpdump_order() {
        assert_eq!(flag_string(0), "none");
        assert_eq!(flag_string(tf::SYN | tf::ACK), "S.");
        assert_eq!(flag_string(0xff), "FSRP.UEW");
    }
}
