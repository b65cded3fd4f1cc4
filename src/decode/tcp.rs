//! TCP (print-tcp.c): the parsed header, the flags, the relative sequence
//! numbers tcpdump keeps per connection, and the payload printers chosen by
//! port (`dispatch::TCP_PORTS`).

use super::demux::{Ends, SeqKey};
use super::num::{be16, push_num};
use super::text::Printer;
use super::{cksum, dispatch, tcpopt, Summary, Transport};
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

/// A TCP segment: ports, then with `-q` only the length, otherwise flags,
/// sequence numbers, window, options, length and the payload by port.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    s: &Summary<'_>,
    t: &Tcp<'_>,
    ends: &Ends<'_>,
    key: SeqKey,
) {
    ends.ports(p, out, true, t.sport, t.dport);
    if t.header_cut {
        out.push_str(" [|tcp]");
    } else if p.opts.quiet {
        let _ = write!(out, "tcp {}", t.payload_len);
    } else {
        body(p, out, s, t, key);
    }
}

/// print-tcp.c: flags, relative sequence numbers, window, options, length.
fn body(p: &mut Printer, out: &mut String, s: &Summary<'_>, t: &Tcp<'_>, mut key: SeqKey) {
    let flags = t.flags;
    out.push_str("Flags [");
    push_flags(out, flags);
    out.push(']');
    if p.opts.verbose > 0 && !s.fragmented() {
        if let Some(sum) = s.l4_checksum(6) {
            cksum::tcp(out, t.checksum, sum);
        }
    }
    let (mut seq, mut ack) = (t.seq, t.ack);
    let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
    if flags & tf::ACK != 0 {
        rev = t.sport > t.dport || (t.sport == t.dport && key.0 > key.1);
        if rev {
            core::mem::swap(&mut key.0, &mut key.1);
            key.2 = (u32::from(t.dport) << 16) | u32::from(t.sport);
        } else {
            key.2 = (u32::from(t.sport) << 16) | u32::from(t.dport);
        }
        match p.seqs.get(&key) {
            Some(&(s0, a0)) if flags & tf::SYN == 0 => {
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
                    (t.ack.wrapping_sub(1), t.seq)
                } else {
                    (t.seq, t.ack.wrapping_sub(1))
                };
                p.seqs.insert(key, v);
                (thseq, thack) = v;
            }
        }
    }
    let len = t.payload_len;
    if p.opts.verbose > 1 || len > 0 || flags & (tf::SYN | tf::FIN | tf::RST) != 0 {
        out.push_str(", seq ");
        push_num(out, u64::from(seq));
        if len > 0 {
            out.push(':');
            push_num(out, u64::from(seq.wrapping_add(len)));
        }
    }
    if flags & tf::ACK != 0 {
        out.push_str(", ack ");
        push_num(out, u64::from(ack));
    }
    out.push_str(", win ");
    push_num(out, u64::from(t.win));
    if flags & tf::URG != 0 {
        let _ = write!(out, ", urg {}", t.urp);
    }
    if !t.options.is_empty() || t.options_cut {
        out.push_str(", options [");
        match tcpopt::print(out, t.options, if rev { thseq } else { thack }) {
            tcpopt::Cut::Whole if !t.options_cut => {}
            tcpopt::Cut::Whole => {
                p.early_end = true;
                // The next option's kind byte is missing.
                if !t.options.is_empty() {
                    out.push(',');
                }
                out.push_str(" [|tcp]");
                return;
            }
            tcpopt::Cut::Header => {
                p.early_end = true;
                out.push_str(" [|tcp]");
                return;
            }
            tcpopt::Cut::Data { first } => {
                out.push_str(if first { " [|tcp]" } else { " [|tcp]>" });
                return;
            }
        }
        out.push(']');
    }
    out.push_str(", length ");
    push_num(out, u64::from(len));
    if flags & tf::RST != 0 && p.opts.verbose > 0 {
        // print-tcp.c shows the data of a reset instead of decoding it.
        if len > 0 {
            rst_data(out, t.payload, len as usize);
        }
    } else if len > 0 {
        if let Some(app) = dispatch::tcp_port(t.sport, t.dport) {
            let seg = dispatch::Segment {
                data: t.payload,
                len: len as usize,
                sport: t.sport,
                dport: t.dport,
            };
            if let Err(e) = app(p, out, &seg) {
                p.truncated(out, e);
            }
        }
    }
}

/// `-v` data of a TCP reset: ` [RST` up to 30 bytes as text `]`
/// (print-tcp.c's print_tcp_rst_data with netdissect's nd_printn escapes).
fn rst_data(out: &mut String, p: &[u8], len: usize) {
    out.push_str(" [RST");
    let n = if len > 30 {
        out.push('+');
        30
    } else {
        len
    };
    out.push(' ');
    for &b in p.iter().take(n) {
        let mut c = b;
        if !c.is_ascii() {
            c &= 0x7f;
            out.push_str("M-");
        }
        if !(0x20..0x7f).contains(&c) {
            c ^= 0x40;
            out.push('^');
        }
        out.push(c as char);
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
        (0x100, 'e'),
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
