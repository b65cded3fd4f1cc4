//! SCTP and its chunks (print-sctp.c): DATA, INIT, INIT ACK and SACK in
//! detail, the others by name.

use super::demux::Ip;
use super::dispatch::IpPayload;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::util::{tok, Tok};
use core::fmt::Write;

const CHUNKS: &Tok = &[
    (0x00, "DATA"),
    (0x01, "INIT"),
    (0x02, "INIT ACK"),
    (0x03, "SACK"),
    (0x04, "HB REQ"),
    (0x05, "HB ACK"),
    (0x06, "ABORT"),
    (0x07, "SHUTDOWN"),
    (0x08, "SHUTDOWN ACK"),
    (0x09, "OP ERR"),
    (0x0a, "COOKIE ECHO"),
    (0x0b, "COOKIE ACK"),
    (0x0c, "ECN ECHO"),
    (0x0d, "ECN CWR"),
    (0x0e, "SHUTDOWN COMPLETE"),
    (0xc0, "FOR CUM TSN"),
    (0xc1, "REL CTRL"),
    (0xc2, "REL CTRL ACK"),
];

const PPIDS: &Tok = &[
    (1, "ISDN Q.921"),
    (2, "M2UA"),
    (3, "M3UA"),
    (4, "SUA"),
    (5, "M2PA"),
    (6, "V5.2"),
    (7, "H.248"),
    (8, "BICC"),
    (9, "TALI"),
    (10, "DUA"),
    (11, "ASAP"),
    (12, "ENRP"),
    (13, "H.323"),
    (14, "Q.IPC"),
    (15, "SIMCO"),
    (16, "DDPSC"),
    (17, "DDPSSC"),
    (18, "S1AP"),
    (19, "RUA"),
    (20, "HNBAP"),
    (21, "ForCES HP"),
    (22, "ForCES MP"),
    (23, "ForCES LP"),
    (24, "SBc-AP"),
    (25, "NBAP"),
    (27, "X2AP"),
];

const FORCES: &Tok = &[
    (6704, "ForCES HP"),
    (6705, "ForCES MP"),
    (6706, "ForCES LP"),
];

/// sctp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, length, ip) = (seg.data, seg.length, seg.ip);
    let b = Bytes::new(data, "sctp");
    if length < 12 {
        let _ = write!(out, "truncated-sctp - {} bytes missing!", 12 - length);
        return Ok(());
    }
    if !b.has(0, 12) {
        mark(out, "sctp");
        return Ok(());
    }
    let sport = b.be16(0)?;
    let dport = b.be16(2)?;
    let _ = write!(
        out,
        "{}.{sport} > {}.{dport}: sctp",
        Ip::addr(ip.src),
        Ip::addr(ip.dst)
    );
    let mut forces = false;
    for port in [sport, dport] {
        if let Some(n) = tok(FORCES, u32::from(port)) {
            let _ = write!(out, "[{n}]");
            forces = true;
        }
    }
    let v = p.opts.verbose;
    let mut at = 12usize;
    // print-sctp.c counts with unsigned arithmetic that can wrap; a wrapped
    // count keeps the loop going until a capture check stops it.
    let mut remaining = (length - 12) as u32;
    let mut sep = if v >= 2 { "\n\t" } else { " (" };
    let mut count = 0u32;
    let trunc = |out: &mut String| {
        mark(out, "sctp");
        Ok(())
    };
    while remaining != 0 {
        count += 1;
        if remaining < 4 {
            let _ = write!(
                out,
                "{sep}{count}) [chunk descriptor cut off at end of packet]"
            );
            break;
        }
        if !b.has(at, 4) {
            return trunc(out);
        }
        let chunk_len = b.be16(at + 2)?;
        if chunk_len < 4 {
            let _ = write!(
                out,
                "{sep}{count}) [Bad chunk length {chunk_len}, < size of chunk descriptor]"
            );
            break;
        }
        let mut chunk_rem = chunk_len;
        let align = match chunk_len % 4 {
            0 => 0,
            a => 4 - a,
        };
        if remaining < u32::from(align) {
            let _ = write!(
                out,
                "{sep}{count}) [Bad chunk length {chunk_len}, > remaining data in packet]"
            );
            break;
        }
        if !b.has(at, usize::from(chunk_len)) {
            return trunc(out);
        }
        let id = b.u8(at)?;
        let flags = b.u8(at + 1)?;
        at += 4;
        remaining = remaining.wrapping_sub(4);
        chunk_rem -= 4;
        let _ = write!(out, "{sep}{count}) ");
        match tok(CHUNKS, u32::from(id)) {
            Some(n) => {
                let _ = write!(out, "[{n}] ");
            }
            None => {
                let _ = write!(out, "[Unknown chunk type: 0x{id:x}] ");
            }
        }
        let bogus = |out: &mut String| {
            let _ = write!(out, "bogus chunk length {chunk_len}]");
            Ok(())
        };
        match id {
            0x00 => {
                for (bit, t) in [(4, "(U)"), (2, "(B)"), (1, "(E)")] {
                    if flags & bit == bit {
                        out.push_str(t);
                    }
                }
                if flags & 7 != 0 {
                    out.push(' ');
                }
                if chunk_rem < 12 {
                    return bogus(out);
                }
                let ppid = b.be32(at + 8)?;
                let _ = write!(out, "[TSN: {}] ", b.be32(at)?);
                let _ = write!(out, "[SID: {}] ", b.be16(at + 4)?);
                let _ = write!(out, "[SSEQ {}] ", b.be16(at + 6)?);
                match tok(PPIDS, ppid) {
                    Some(n) => {
                        let _ = write!(out, "[PPID {n}] ");
                    }
                    None => {
                        let _ = write!(out, "[PPID 0x{ppid:x}] ");
                    }
                }
                forces |= matches!(ppid, 21..=23);
                at += 12;
                remaining = remaining.wrapping_sub(12);
                chunk_rem -= 12;
                let payload = chunk_rem;
                if payload == 0 {
                    return bogus(out);
                }
                if forces {
                    // ForCES is not decoded.
                } else if v >= 2 {
                    out.push_str("[Payload");
                    if p.opts.hex == 0 && p.opts.hex_ascii == 0 && !p.opts.quiet {
                        out.push(':');
                        p.default_print_len(
                            out,
                            b.data().get(at..).unwrap_or(&[]),
                            usize::from(payload),
                            "sctp",
                        )?;
                    }
                    out.push(']');
                }
                at += usize::from(payload);
                remaining = remaining.wrapping_sub(u32::from(payload));
                chunk_rem = 0;
            }
            0x01 | 0x02 => {
                if chunk_rem < 16 {
                    return bogus(out);
                }
                let _ = write!(out, "[init tag: {}] ", b.be32(at)?);
                let _ = write!(out, "[rwnd: {}] ", b.be32(at + 4)?);
                let _ = write!(out, "[OS: {}] ", b.be16(at + 8)?);
                let _ = write!(out, "[MIS: {}] ", b.be16(at + 10)?);
                let _ = write!(out, "[init TSN: {}] ", b.be32(at + 12)?);
                at += usize::from(chunk_rem);
                remaining = remaining.wrapping_sub(u32::from(chunk_rem));
                chunk_rem = 0;
            }
            0x03 => {
                if chunk_rem < 12 {
                    return bogus(out);
                }
                let cum = b.be32(at)?;
                let ngaps = b.be16(at + 8)?;
                let ndups = b.be16(at + 10)?;
                let _ = write!(out, "[cum ack {cum}] ");
                let _ = write!(out, "[a_rwnd {}] ", b.be32(at + 4)?);
                let _ = write!(out, "[#gap acks {ngaps}] ");
                let _ = write!(out, "[#dup tsns {ndups}] ");
                at += 12;
                remaining = remaining.wrapping_sub(12);
                chunk_rem -= 12;
                let mut i = 0;
                while chunk_rem != 0 && i < ngaps {
                    if chunk_rem < 4 {
                        return bogus(out);
                    }
                    let _ = write!(
                        out,
                        "\n\t\t[gap ack block #{}: start = {}, end = {}] ",
                        i + 1,
                        cum.wrapping_add(u32::from(b.be16(at)?)),
                        cum.wrapping_add(u32::from(b.be16(at + 2)?))
                    );
                    at += 4;
                    remaining = remaining.wrapping_sub(4);
                    chunk_rem -= 4;
                    i += 1;
                }
                let mut i = 0;
                while chunk_rem != 0 && i < ndups {
                    if chunk_rem < 4 {
                        return bogus(out);
                    }
                    let _ = write!(out, "\n\t\t[dup TSN #{}: {}] ", i + 1, b.be32(at)?);
                    at += 4;
                    remaining = remaining.wrapping_sub(4);
                    chunk_rem -= 4;
                    i += 1;
                }
            }
            _ => {
                at += usize::from(chunk_rem);
                remaining = remaining.wrapping_sub(u32::from(chunk_rem));
                chunk_rem = 0;
            }
        }
        at += usize::from(chunk_rem);
        remaining = remaining.wrapping_sub(u32::from(chunk_rem));
        if v < 2 {
            sep = ", (";
        }
        if align != 0 {
            if !b.has(at, usize::from(align)) {
                return trunc(out);
            }
            at += usize::from(align);
            remaining = remaining.wrapping_sub(u32::from(align));
        }
    }
    Ok(())
}
