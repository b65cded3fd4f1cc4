//! syslog (print-syslog.c): `SYSLOG daemon.notice, length: N`, with `-v`
//! the facility and severity and the message, with `-vv` its hex dump.

use super::dispatch::Segment;
use super::nd::{printjn, push_tok, unknown_data, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const SEVERITY: &Tok = &[
    (0, "emergency"),
    (1, "alert"),
    (2, "critical"),
    (3, "error"),
    (4, "warning"),
    (5, "notice"),
    (6, "info"),
    (7, "debug"),
];

const FACILITY: &Tok = &[
    (0, "kernel"),
    (1, "user"),
    (2, "mail"),
    (3, "daemon"),
    (4, "auth"),
    (5, "syslog"),
    (6, "lpr"),
    (7, "news"),
    (8, "uucp"),
    (9, "cron"),
    (10, "authpriv"),
    (11, "ftp"),
    (12, "ntp"),
    (13, "security"),
    (14, "console"),
    (15, "cron"),
    (16, "local0"),
    (17, "local1"),
    (18, "local2"),
    (19, "local3"),
    (20, "local4"),
    (21, "local5"),
    (22, "local6"),
    (23, "local7"),
];

/// syslog_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "syslog");
    let len = seg.len;
    if b.u8(0)? != b'<' {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let mut off = 1;
    let mut pri: u32 = 0;
    while off <= 3 && b.u8(off)?.is_ascii_digit() {
        pri = pri * 10 + u32::from(b.u8(off)? - b'0');
        off += 1;
    }
    if b.u8(off)? != b'>' {
        out.push_str(" (invalid)");
        return Ok(());
    }
    off += 1;
    let facility = (pri & 0x3f8) >> 3;
    let severity = pri & 7;
    if p.opts.verbose < 1 {
        out.push_str("SYSLOG ");
        push_tok(out, FACILITY, facility, "unknown ({})");
        out.push('.');
        push_tok(out, SEVERITY, severity, "unknown ({})");
        let _ = write!(out, ", length: {len}");
        return Ok(());
    }
    let _ = write!(out, "SYSLOG, length: {len}\n\tFacility ");
    push_tok(out, FACILITY, facility, "unknown ({})");
    let _ = write!(out, " ({facility}), Severity ");
    push_tok(out, SEVERITY, severity, "unknown ({})");
    let _ = write!(out, " ({severity})\n\tMsg: ");
    if len > off {
        printjn(out, &b, off, len - off)?;
    }
    if p.opts.verbose > 1 {
        unknown_data(out, &b, 0, "\n\t", len);
    }
    Ok(())
}
