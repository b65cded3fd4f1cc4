//! netdissect's text-protocol printer (util-print.c's `txtproto_print`,
//! `print_txt_line`, `fetch_token`), used by HTTP, RTSP, FTP, SMTP, WHOIS
//! and the like: the protocol name, then the request or status line, or
//! with `-v` every line.

use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::{Printed, Trunc};
use core::fmt::Write;

/// FTP (print-ftp.c).
pub(super) fn ftp(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    print(p, out, seg, "FTP", None)
}

/// SMTP (print-smtp.c).
pub(super) fn smtp(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    print(p, out, seg, "SMTP", None)
}

/// WHOIS (print-whois.c).
pub(super) fn whois(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    print(p, out, seg, "WHOIS", None)
}

/// RTSP (print-rtsp.c).
pub(super) fn rtsp(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    print(p, out, seg, "RTSP", Some(RTSP_CMDS))
}

/// SIP (print-sip.c): the text protocol's lines without a `: ` before
/// them (print-udp.c calls it directly).
pub(super) fn sip(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    txtproto(
        out,
        seg.data,
        seg.len,
        "SIP",
        Some(SIP_CMDS),
        p.opts.verbose > 0,
    )
}

/// Request names print-sip.c knows.
const SIP_CMDS: &[&str] = &[
    "ACK",
    "BYE",
    "CANCEL",
    "DO",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "QAUTH",
    "REFER",
    "REGISTER",
    "SPRACK",
    "SUBSCRIBE",
    "UPDATE",
    "PUBLISH",
];

/// `: ` and the text protocol's lines.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    seg: &Segment<'_>,
    proto: &str,
    cmds: Option<&[&str]>,
) -> Printed {
    out.push_str(": ");
    txtproto(out, seg.data, seg.len, proto, cmds, p.opts.verbose > 0)
}

/// Request names print-rtsp.c knows.
const RTSP_CMDS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

/// The captured data ran out inside a line (the caller prints ` [|proto]`).
struct Short;

/// A printable ASCII character (space to tilde).
pub(super) fn printable(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// netdissect's fetch_token: the token starting at `idx` and the index
/// after it and the blanks that follow; `Ok(None)` for no token.
fn fetch_token(p: &[u8], mut idx: usize, len: usize) -> Result<Option<(String, usize)>, Short> {
    let mut tok = String::new();
    while idx < len {
        // Past the captured bytes: no token (ND_TTEST, not a longjmp).
        let Some(&c) = p.get(idx) else {
            return Ok(None);
        };
        if !printable(c) && !matches!(c, b'\t' | b'\r' | b'\n') {
            return Ok(None);
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if tok.len() + 2 > 128 {
            return Ok(None);
        }
        tok.push(c as char);
        idx += 1;
    }
    if tok.is_empty() {
        return Ok(None);
    }
    while idx < len {
        let Some(&c) = p.get(idx) else {
            break;
        };
        if c == b'\r' || c == b'\n' || !printable(c) || c != b' ' {
            break;
        }
        idx += 1;
    }
    Ok(Some((tok, idx)))
}

/// netdissect's print_txt_line: one line with `prefix`; the index after
/// it, or 0 when there is no complete line (then nothing, or the partial
/// line and a truncation mark, is printed).
fn print_txt_line(
    out: &mut String,
    proto: &str,
    prefix: &str,
    p: &[u8],
    start: usize,
    len: usize,
) -> Result<usize, Short> {
    let mut idx = start;
    while idx < len {
        let c = *p.get(idx).ok_or(Short)?;
        if c == b'\n' {
            push_line(out, prefix, &p[start..idx]);
            return Ok(idx + 1);
        }
        if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if *p.get(idx + 1).ok_or(Short)? == b'\n' {
                push_line(out, prefix, &p[start..idx]);
                return Ok(idx + 2);
            }
            return Ok(0);
        }
        if !printable(c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    }
    push_line(out, prefix, &p[start..idx]);
    let _ = write!(out, " [|{}]", proto.to_ascii_lowercase());
    Ok(0)
}

/// `prefix` and the bytes of `line` as characters.
pub(super) fn push_line(out: &mut String, prefix: &str, line: &[u8]) {
    out.push_str(prefix);
    out.extend(line.iter().map(|&b| b as char));
}

/// The marker's name for a text protocol (ndo_protocol: the name in
/// lower case).
fn marker(proto: &str) -> &'static str {
    match proto {
        "HTTP" => "http",
        "FTP" => "ftp",
        "SMTP" => "smtp",
        "WHOIS" => "whois",
        "RTSP" => "rtsp",
        "SIP" => "sip",
        _ => "txtproto",
    }
}

/// netdissect's txtproto_print for text protocols (HTTP, FTP, SMTP, ...):
/// the protocol name, then the request or status line, or with -v every
/// line. Running out of captured bytes is a longjmp there (fetch_token and
/// print_txt_line read through GET_ macros): the error carries the name.
fn txtproto(
    out: &mut String,
    p: &[u8],
    len: usize,
    proto: &str,
    cmds: Option<&[&str]>,
    verbose: bool,
) -> Printed {
    out.push_str(proto);
    let trunc = Trunc(marker(proto));
    let print_this = match cmds {
        None => true,
        Some(cmds) => match fetch_token(p, 0, len) {
            Err(Short) => return Err(trunc),
            Ok(None) => false,
            Ok(Some((tok, idx))) => {
                let is_cmd = cmds.iter().any(|c| c.eq_ignore_ascii_case(&tok));
                // The status code is the second token ("HTTP/1.1 200 OK").
                let code = match fetch_token(p, idx, len) {
                    Err(Short) => return Err(trunc),
                    Ok(t) => t.map(|(t, _)| t),
                };
                is_cmd
                    || code.is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
            }
        },
    };
    let r = if !print_this {
        Ok(0)
    } else if verbose {
        let _ = write!(out, ", length: {len}");
        let mut idx = 0;
        loop {
            match print_txt_line(out, proto, "\n\t", p, idx, len) {
                Ok(0) => break Ok(0),
                Ok(n) if n >= len => break Ok(n),
                Ok(n) => idx = n,
                Err(t) => break Err(t),
            }
        }
    } else if print_this {
        print_txt_line(out, proto, ": ", p, 0, len)
    } else {
        Ok(0)
    };
    r.map(|_| ()).map_err(|_| trunc)
}
