//! 802.1X EAP over LAN and EAP itself (print-eap.c).

use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::util::{bittok, printjnp, tok, Tok};
use core::fmt::Write;

const FRAME_TYPES: &Tok = &[
    (0, "EAP packet"),
    (1, "EAPOL start"),
    (2, "EAPOL logoff"),
    (3, "EAPOL key"),
    (4, "Encapsulated ASF alert"),
];
const CODES: &Tok = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Success"),
    (4, "Failure"),
];
const TYPES: &Tok = &[
    (0, "No proposed"),
    (1, "Identity"),
    (2, "Notification"),
    (3, "Nak"),
    (4, "MD5-challenge"),
    (5, "OTP"),
    (6, "GTC"),
    (13, "TLS"),
    (18, "SIM"),
    (21, "TTLS"),
    (23, "AKA"),
    (43, "FAST"),
    (254, "Expanded types"),
    (255, "Experimental"),
];
const TLS_FLAGS: &Tok = &[
    (0x80, "L bit"),
    (0x40, "More fragments bit"),
    (0x20, "Start bit"),
];
const AKA_SUBTYPES: &Tok = &[
    (1, "Challenge"),
    (2, "Auth reject"),
    (4, "Sync failure"),
    (5, "Identity"),
    (10, "Start"),
    (11, "Challenge"),
    (12, "Notification"),
    (13, "Reauth"),
    (14, "Client error"),
];

/// eapol_print.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], _length: usize) -> Printed {
    let b = Bytes::new(data, "eap");
    if !b.has(0, 4) {
        mark(out, "eap");
        return Ok(());
    }
    let ty = b.u8(1)?;
    let len = b.be16(2)?;
    let _ = write!(
        out,
        "{} ({ty}) v{}, len {len}",
        tok(FRAME_TYPES, u32::from(ty)).unwrap_or("unknown"),
        b.u8(0)?
    );
    if p.opts.verbose < 1 {
        return Ok(());
    }
    if ty == 0 {
        if len == 0 {
            mark(out, "eap");
            return Ok(());
        }
        out.push_str(", ");
        return eap(out, &b.from(4), usize::from(len));
    }
    Ok(())
}

/// eap_print: an EAP packet of `length` bytes.
pub(super) fn eap(out: &mut String, b: &Bytes<'_>, length: usize) -> Printed {
    let code = b.u8(0)?;
    let len = usize::from(b.be16(2)?);
    if len != length {
        out.push_str("EAP fragment?");
        return Ok(());
    }
    let _ = write!(
        out,
        "{} ({code}), id {}, len {len}",
        tok(CODES, u32::from(code)).unwrap_or("unknown"),
        b.u8(1)?
    );
    if len < 4 {
        out.push_str(" (too short for EAP header)");
        return Ok(());
    }
    if !b.has(0, len) {
        mark(out, "eap");
        return Ok(());
    }
    if code != 1 && code != 2 {
        return Ok(());
    }
    if len < 5 {
        out.push_str(" (too short for EAP request/response)");
        return Ok(());
    }
    let sub = b.u8(4)?;
    let _ = write!(
        out,
        "\n\t\t Type {} ({sub})",
        tok(TYPES, u32::from(sub)).unwrap_or("unknown")
    );
    let short = |out: &mut String, what: &str| {
        let _ = write!(out, " (too short for EAP {what} request/response)");
    };
    match sub {
        1 if len > 5 => {
            out.push_str(", Identity: ");
            printjnp(out, b, 5, len - 5)?;
        }
        2 => {
            if len < 6 {
                short(out, "Notification");
                return Ok(());
            }
            out.push_str(", Notification: ");
            printjnp(out, b, 5, len - 5)?;
        }
        3 => {
            if len < 6 {
                short(out, "Legacy NAK");
                return Ok(());
            }
            let mut sep = "";
            for i in 5..len {
                let t = b.u8(i)?;
                let _ = write!(
                    out,
                    "{sep} {} ({t})",
                    tok(TYPES, u32::from(t)).unwrap_or("unknown")
                );
                sep = ",";
            }
        }
        13 | 21 | 43 => {
            let what = match sub {
                43 => "FAST",
                _ => "TLS/TTLS",
            };
            if len < 6 {
                short(out, what);
                return Ok(());
            }
            let f = b.u8(5)?;
            match sub {
                21 => {
                    let _ = write!(out, " TTLSv{}", f & 7);
                }
                43 => {
                    let _ = write!(out, " FASTv{}", f & 7);
                }
                _ => {}
            }
            out.push_str(" flags [");
            bittok(out, TLS_FLAGS, "none", u32::from(f));
            let _ = write!(out, "] 0x{f:02x}");
            if f & 0x80 != 0 {
                if len < 10 {
                    let _ = write!(
                        out,
                        " (too short for EAP {what} request/response with length)"
                    );
                    return Ok(());
                }
                let _ = write!(out, ", len {}", b.be32(6)?);
            }
        }
        18 | 23 => {
            if len < 6 {
                short(out, "SIM/AKA");
                return Ok(());
            }
            let s = b.u8(5)?;
            let _ = write!(
                out,
                " subtype [{}] 0x{s:02x}",
                tok(AKA_SUBTYPES, u32::from(s)).unwrap_or("unknown")
            );
        }
        _ => {}
    }
    Ok(())
}
