//! IEEE 802.3 slow protocols: LACP and the marker protocol in detail, OAM
//! by name (print-slow.c; OAM's `-v` details are not decoded).

use super::ether::mac_name;
use super::hex;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use super::util::{bittok, Tok};
use core::fmt::Write;

const STATE: &Tok = &[
    (0x01, "Activity"),
    (0x02, "Timeout"),
    (0x04, "Aggregation"),
    (0x08, "Synchronization"),
    (0x10, "Collecting"),
    (0x20, "Distributing"),
    (0x40, "Default"),
    (0x80, "Expired"),
];

fn proto_name(sub: u8) -> String {
    match sub {
        1 => "LACP".into(),
        2 => "MARKER".into(),
        3 => "OAM".into(),
        s => format!("unknown ({s})"),
    }
}

fn tlv_name(sub: u8, ty: u8) -> &'static str {
    match (sub, ty) {
        (_, 0) if sub == 1 || sub == 2 => "Terminator",
        (1, 1) => "Actor Information",
        (1, 2) => "Partner Information",
        (1, 3) => "Collector Information",
        (2, 1) => "Marker Information",
        _ => "Unknown",
    }
}

/// slow_print.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], len: usize) -> Printed {
    let b = Bytes::new(data, "slow");
    let v = p.opts.verbose;
    let too_short = |out: &mut String| {
        out.push_str(if v == 0 {
            " (packet is too short)"
        } else {
            "\n\t\t packet is too short"
        });
        Ok(())
    };
    if len < 1 {
        return too_short(out);
    }
    let sub = b.u8(0)?;
    let versioned = match sub {
        1 | 2 => {
            if len < 2 {
                return too_short(out);
            }
            let ver = b.u8(1)?;
            if ver != 1 {
                let _ = write!(
                    out,
                    "{} version {ver} packet not supported",
                    if sub == 1 { "LACP" } else { "MARKER" }
                );
                return Ok(());
            }
            Some(true)
        }
        3 => Some(false),
        _ => None,
    };
    if versioned == Some(true) {
        let _ = write!(out, "{}v{}, length {len}", proto_name(sub), b.u8(1)?);
    } else {
        let _ = write!(out, "{}, length {len}", proto_name(sub));
    }
    if versioned.is_none() {
        unknown(out, &b, 0, "\n\t", len);
        return Ok(());
    }
    if v == 0 || sub == 3 {
        return Ok(());
    }
    tlvs(p, out, &b, 2, len - 2, sub)
}

/// print_unknown_data over captured bytes.
fn unknown(out: &mut String, b: &Bytes<'_>, at: usize, ident: &str, len: usize) {
    let d = b.data();
    let at = at.min(d.len());
    hex::hex_with(out, ident, &d[at..(at + len).min(d.len())]);
}

/// slow_marker_lacp_print.
fn tlvs(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut tlen: usize,
    sub: u8,
) -> Result<(), Trunc> {
    let v = p.opts.verbose;
    while tlen > 0 {
        if tlen < 2 {
            out.push_str("\n\t\t packet is too short");
            return Ok(());
        }
        let ty = b.u8(at)?;
        let tl = usize::from(b.u8(at + 1)?);
        let _ = write!(
            out,
            "\n\t{} TLV (0x{ty:02x}), length {tl}",
            tlv_name(sub, ty)
        );
        if ty == 0 {
            return Ok(());
        }
        if tl < 2 {
            out.push_str("\n\t    ERROR: illegal length - should be >= 2");
            return Ok(());
        }
        if tlen < tl {
            out.push_str("\n\t\t packet is too short");
            return Ok(());
        }
        b.take(at, tl)?;
        let body = at + 2;
        let blen = tl - 2;
        let bad = |out: &mut String, want: usize| {
            let _ = write!(out, "\n\t    ERROR: illegal length - should be {want}");
        };
        match (sub, ty) {
            (1, 1 | 2) => {
                if blen != 18 {
                    bad(out, 20);
                } else {
                    let state = b.u8(body + 14)?;
                    let _ = write!(
                        out,
                        "\n\t  System {}, System Priority {}, Key {}, Port {}, Port Priority {}\n\t  State Flags [",
                        mac_name(b.take(body + 2, 6)?, p.opts.numeric),
                        b.be16(body)?,
                        b.be16(body + 8)?,
                        b.be16(body + 12)?,
                        b.be16(body + 10)?
                    );
                    bittok(out, STATE, "none", u32::from(state));
                    out.push(']');
                }
            }
            (1, 3) => {
                if blen != 14 {
                    bad(out, 16);
                } else {
                    let _ = write!(out, "\n\t  Max Delay {}", b.be16(body)?);
                }
            }
            (2, 1) => {
                if blen != 14 {
                    bad(out, 16);
                } else {
                    let _ = write!(
                        out,
                        "\n\t  Request System {}, Request Port {}, Request Transaction ID 0x{:08x}",
                        mac_name(b.take(body + 2, 6)?, p.opts.numeric),
                        b.be16(body)?,
                        b.be32(body + 8)?
                    );
                }
            }
            _ => {
                if v <= 1 {
                    unknown(out, b, body, "\n\t  ", blen);
                }
            }
        }
        if v > 1 {
            unknown(out, b, body, "\n\t  ", blen);
        }
        at += tl;
        tlen -= tl;
    }
    Ok(())
}
