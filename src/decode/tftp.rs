//! TFTP (print-tftp.c): `TFTP, length 20, RRQ "file" octet`, data and
//! acknowledgement block numbers, error codes and messages, options.

use super::dispatch::Segment;
use super::nd::{printztn, tok, Tok};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use core::fmt::Write;

const OPS: &Tok = &[
    (1, "RRQ"),
    (2, "WRQ"),
    (3, "DATA"),
    (4, "ACK"),
    (5, "ERROR"),
    (6, "OACK"),
];

const ERRORS: &Tok = &[
    (0, "EUNDEF"),
    (1, "ENOTFOUND"),
    (2, "EACCESS"),
    (3, "ENOSPACE"),
    (4, "EBADOP"),
    (5, "EBADID"),
    (6, "EEXISTS"),
    (7, "ENOUSER"),
];

/// tftp_print.
pub(super) fn print(_p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "tftp");
    let mut length = seg.len;
    let _ = write!(out, "TFTP, length {length}");
    if length < 2 {
        mark(out, "tftp");
        return Ok(());
    }
    let opcode = b.be16(0)?;
    let Some(name) = tok(OPS, u32::from(opcode)) else {
        let _ = write!(out, ", tftp-#{opcode}");
        return Ok(());
    };
    let _ = write!(out, ", {name}");
    let mut bp = 2;
    length -= 2;
    // A NUL-terminated string; `false` when it is cut (then ` [|tftp]`).
    let mut string = |out: &mut String, bp: &mut usize, length: &mut usize| -> Result<bool, _> {
        let used = printztn(out, &b, *bp, *length, true)?;
        *bp += used;
        *length -= used;
        Ok(used != 0)
    };
    let ok = match opcode {
        1 | 2 => {
            if length == 0 {
                false
            } else {
                out.push_str(" \"");
                let named = string(out, &mut bp, &mut length)?;
                out.push('"');
                if !named || length == 0 {
                    false
                } else {
                    out.push(' ');
                    string(out, &mut bp, &mut length)?
                        && options(out, &b, &mut bp, &mut length, &mut string)?
                }
            }
        }
        6 => options(out, &b, &mut bp, &mut length, &mut string)?,
        3 | 4 => {
            if length < 2 {
                false
            } else {
                let _ = write!(out, " block {}", b.be16(bp)?);
                true
            }
        }
        _ => {
            if length < 2 {
                false
            } else {
                let code = b.be16(bp)?;
                match tok(ERRORS, u32::from(code)) {
                    Some(n) => {
                        let _ = write!(out, " {n}");
                    }
                    None => {
                        let _ = write!(out, " tftp-err-#{code} \"");
                    }
                }
                bp += 2;
                length -= 2;
                if length == 0 {
                    false
                } else {
                    out.push_str(" \"");
                    let done = string(out, &mut bp, &mut length)?;
                    out.push('"');
                    done
                }
            }
        }
    };
    if !ok {
        mark(out, "tftp");
    }
    Ok(())
}

/// The option strings after a request or in an OACK.
fn options(
    out: &mut String,
    b: &Bytes<'_>,
    bp: &mut usize,
    length: &mut usize,
    string: &mut impl FnMut(&mut String, &mut usize, &mut usize) -> Result<bool, super::trunc::Trunc>,
) -> Result<bool, super::trunc::Trunc> {
    while *length != 0 {
        if b.u8(*bp)? != 0 {
            out.push(' ');
        }
        if !string(out, bp, length)? {
            return Ok(false);
        }
    }
    Ok(true)
}
