//! DCCP (print-dccp.c): packet types, acknowledgement and sequence numbers,
//! the `-v` checksum and the `-vv` options.

use super::cksum;
use super::demux::Ip;
use super::dispatch::IpPayload;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{tok, Tok};
use core::fmt::Write;

const TYPES: [&str; 10] = [
    "DCCP-Request",
    "DCCP-Response",
    "DCCP-Data",
    "DCCP-Ack",
    "DCCP-DataAck",
    "DCCP-CloseReq",
    "DCCP-Close",
    "DCCP-Reset",
    "DCCP-Sync",
    "DCCP-SyncAck",
];

const RESET_CODES: [&str; 12] = [
    "unspecified",
    "closed",
    "aborted",
    "no_connection",
    "packet_error",
    "option_error",
    "mandatory_error",
    "connection_refused",
    "bad_service_code",
    "too_busy",
    "bad_init_cookie",
    "aggression_penalty",
];

const FEATURES: [&str; 10] = [
    "reserved",
    "ccid",
    "allow_short_seqno",
    "sequence_window",
    "ecn_incapable",
    "ack_ratio",
    "send_ack_vector",
    "send_ndp_count",
    "minimum checksum coverage",
    "check data checksum",
];

const OPTIONS: &Tok = &[
    (0, "nop"),
    (1, "mandatory"),
    (2, "slowreceiver"),
    (32, "change_l"),
    (33, "confirm_l"),
    (34, "change_r"),
    (35, "confirm_r"),
    (36, "initcookie"),
    (37, "ndp_count"),
    (38, "ack_vector0"),
    (39, "ack_vector1"),
    (40, "data_dropped"),
    (41, "timestamp"),
    (42, "timestamp_echo"),
    (43, "elapsed_time"),
    (44, "data_checksum"),
];

fn be48(b: &Bytes<'_>, at: usize) -> Result<u64, Trunc> {
    let x = b.take(at, 6)?;
    Ok(x.iter().fold(0u64, |a, &c| (a << 8) | u64::from(c)))
}

/// dccp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let (data, len, ip) = (seg.data, seg.length, seg.ip);
    let b = Bytes::new(data, "dccp");
    if data.len() < 12 {
        mark(out, "dccp");
        return Ok(());
    }
    if len < 12 {
        let _ = write!(out, "truncated-dccp - {} bytes missing!", 12 - len);
        return Ok(());
    }
    let x = b.u8(8)? & 1 != 0;
    let mut fixed = if x { 16 } else { 12 };
    if len < fixed {
        let _ = write!(out, "truncated-dccp - {} bytes missing!", fixed - len);
        return Ok(());
    }
    if !b.has(0, fixed) {
        mark(out, "dccp");
        return Ok(());
    }
    let sport = b.be16(0)?;
    let dport = b.be16(2)?;
    let mut hlen = usize::from(b.u8(4)?) * 4;
    let _ = write!(
        out,
        "{}.{sport} > {}.{dport}: ",
        Ip::addr(ip.src),
        Ip::addr(ip.dst)
    );
    out.push_str("DCCP");
    if p.opts.quiet {
        let _ = write!(out, " {}", len.wrapping_sub(hlen) as u32);
        if hlen > len {
            let _ = write!(out, " [bad hdr length {hlen} - too long, > {len}]");
        }
        return Ok(());
    }
    let v = p.opts.verbose;
    let cc = b.u8(5)?;
    if v > 0 {
        let _ = write!(out, " (CCVal {}, CsCov {}", cc >> 4, cc & 0xf);
    }
    if v > 0 && b.has(0, len) {
        let stored = b.be16(6)?;
        let _ = write!(out, ", cksum 0x{stored:04x} ");
        let cov = if cc & 0xf == 0 {
            len
        } else {
            ((usize::from(b.u8(4)?) + usize::from(cc & 0xf) - 1) * 4).min(len)
        };
        let sum = ip.checksum_cov(33, len, &data[..cov]);
        if sum != 0 {
            let _ = write!(
                out,
                "(incorrect -> 0x{:04x})",
                cksum::should_be(stored, sum)
            );
        } else {
            out.push_str("(correct)");
        }
    }
    if v > 0 {
        out.push(')');
    }
    out.push(' ');
    let ty = usize::from((b.u8(8)? >> 1) & 0xf);
    let name = TYPES.get(ty).copied().unwrap_or("");
    let extra = match ty {
        0 => 4,
        1 | 7 => 12,
        3..=6 | 8 | 9 => 8,
        _ => 0,
    };
    if extra > 0 {
        fixed += extra;
        if len < fixed {
            let _ = write!(out, "truncated-{name} - {} bytes missing!", fixed - len);
            return Ok(());
        }
    }
    let base = if x { 16 } else { 12 };
    match ty {
        0 | 1 => {
            let at = base + if ty == 0 { 0 } else { 8 };
            if !b.has(base, extra) {
                mark(out, "dccp");
                return Ok(());
            }
            let _ = write!(out, "{name} (service={}) ", b.be32(at)?);
        }
        7 => {
            if !b.has(base, 12) {
                mark(out, "dccp");
                return Ok(());
            }
            let code = b.u8(base + 8)?;
            let _ = write!(
                out,
                "{name} (code={}) ",
                RESET_CODES
                    .get(usize::from(code))
                    .copied()
                    .unwrap_or("invalid")
            );
        }
        2..=9 => {
            let _ = write!(out, "{name} ");
        }
        _ => {
            let _ = write!(out, "unknown-type-{ty} ");
        }
    }
    if ty != 2 && ty != 0 {
        let ack = if x {
            be48(&b, base + 2)?
        } else {
            u64::from(b.be24(base + 1)?)
        };
        let _ = write!(out, "(ack={ack}) ");
    }
    if v < 2 {
        return Ok(());
    }
    let seq = if x {
        be48(&b, 10)?
    } else {
        u64::from(b.be24(9)?)
    };
    let _ = write!(out, "seq {seq}");
    if hlen > fixed {
        let mut at = fixed;
        out.push_str(" <");
        hlen -= fixed;
        loop {
            let n = option(out, &b, at, hlen)?;
            if n == 0 || hlen <= n {
                break;
            }
            hlen -= n;
            at += n;
            out.push_str(", ");
        }
        out.push('>');
    }
    Ok(())
}

fn option_name(t: u8) -> String {
    match tok(OPTIONS, u32::from(t)) {
        Some(n) => n.to_string(),
        None => format!("Option {t}"),
    }
}

/// dccp_print_option: one option; its length, 0 to stop.
fn option(out: &mut String, b: &Bytes<'_>, at: usize, hlen: usize) -> Result<usize, Trunc> {
    let t = b.u8(at)?;
    let optlen = if t >= 32 {
        let l = usize::from(b.u8(at + 1)?);
        if l < 2 {
            if t >= 128 {
                let _ = write!(out, "CCID option {t} optlen too short");
            } else {
                let _ = write!(out, "{} optlen too short", option_name(t));
            }
            return Ok(0);
        }
        l
    } else {
        1
    };
    if hlen < optlen {
        if t >= 128 {
            let _ = write!(out, "CCID option {t} optlen goes past header length");
        } else {
            let _ = write!(out, "{} optlen goes past header length", option_name(t));
        }
        return Ok(0);
    }
    if !b.has(at, optlen) {
        mark(out, "dccp");
        return Ok(0);
    }
    let hexbytes = |out: &mut String, from: usize| -> Result<(), Trunc> {
        for i in from..optlen {
            let _ = write!(out, "{:02x}", b.u8(at + i)?);
        }
        Ok(())
    };
    if t >= 128 {
        let _ = write!(out, "CCID option {t}");
        match optlen {
            4 => {
                let _ = write!(out, " {}", b.be16(at + 2)?);
            }
            6 => {
                let _ = write!(out, " {}", b.be32(at + 2)?);
            }
            _ => {}
        }
        return Ok(optlen);
    }
    out.push_str(&option_name(t));
    match t {
        32..=35 => {
            if optlen < 3 {
                out.push_str(" optlen too short");
                return Ok(optlen);
            }
            let f = b.u8(at + 2)?;
            if let Some(n) = FEATURES.get(usize::from(f)) {
                let _ = write!(out, " {n}");
                for i in 3..optlen {
                    let _ = write!(out, " {}", b.u8(at + i)?);
                }
            }
        }
        36 | 38..=40 if optlen > 2 => {
            out.push_str(" 0x");
            hexbytes(out, 2)?;
        }
        37 => {
            for i in 2..optlen {
                let _ = write!(out, " {}", b.u8(at + i)?);
            }
        }
        41 => {
            if optlen == 6 {
                let _ = write!(out, " {}", b.be32(at + 2)?);
            } else {
                out.push_str(" [optlen != 6]");
            }
        }
        42 => match optlen {
            6 => {
                let _ = write!(out, " {}", b.be32(at + 2)?);
            }
            8 => {
                let _ = write!(
                    out,
                    " {} (elapsed time {})",
                    b.be32(at + 2)?,
                    b.be16(at + 6)?
                );
            }
            10 => {
                let _ = write!(
                    out,
                    " {} (elapsed time {})",
                    b.be32(at + 2)?,
                    b.be32(at + 6)?
                );
            }
            _ => out.push_str(" [optlen != 6 or 8 or 10]"),
        },
        43 => match optlen {
            6 => {
                let _ = write!(out, " {}", b.be32(at + 2)?);
            }
            4 => {
                let _ = write!(out, " {}", b.be16(at + 2)?);
            }
            _ => out.push_str(" [optlen != 4 or 6]"),
        },
        44 if optlen > 2 => {
            out.push(' ');
            hexbytes(out, 2)?;
        }
        _ => {}
    }
    Ok(optlen)
}
