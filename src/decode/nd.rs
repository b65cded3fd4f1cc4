//! netdissect's small helpers the application printers share
//! (util-print.c, print-ascii.c): escaped printing of bytes that should be
//! text, value tables, hex dumps inside a line, relative times.
//!
//! Each helper reads the way its C original does: through [`Bytes`]
//! (a read past the captured end is tcpdump's longjmp, `Err(Trunc)`), or
//! up to the captured end where the original checks first.

use super::trunc::{Bytes, Trunc};
use core::fmt::Write;

/// fn_print_char: a byte as printable text (`M-` for the high bit, `^`
/// for control characters).
pub(super) fn print_char(out: &mut String, b: u8) {
    let mut c = b;
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(char::from(c));
}

/// nd_printjn: exactly `n` bytes as text (a read past the end is a longjmp).
pub(super) fn printjn(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Result<(), Trunc> {
    for k in 0..n {
        print_char(out, b.u8(at + k)?);
    }
    Ok(())
}

/// nd_printjnp: up to `n` bytes as text, stopping before a NUL (a read
/// past the end is a longjmp).
pub(super) fn printjnp(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Result<(), Trunc> {
    for k in 0..n {
        match b.u8(at + k)? {
            0 => break,
            c => print_char(out, c),
        }
    }
    Ok(())
}

/// nd_printztn: up to `n` bytes as text, stopping at a NUL; the bytes used
/// (the NUL included), or 0 when no NUL came within `n` bytes or the
/// captured ones (`stop_at_end`, tcpdump's non-NULL end pointer).
pub(super) fn printztn(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    n: usize,
    stop_at_end: bool,
) -> Result<usize, Trunc> {
    for k in 0..n {
        if stop_at_end && !b.has(at + k, 1) {
            return Ok(0);
        }
        match b.u8(at + k)? {
            0 => return Ok(k + 1),
            c => print_char(out, c),
        }
    }
    Ok(0)
}

/// hex_print_with_offset: `indent0x0000: ` then 16 bytes per line as
/// ` xxxx` pairs (an odd last byte alone).
pub(super) fn hex_print(out: &mut String, indent: &str, bytes: &[u8]) {
    let mut off = 0;
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i % 8 == 0 {
            let _ = write!(out, "{indent}0x{off:04x}: ");
            off += 16;
        }
        out.push(' ');
        for x in pair {
            let _ = write!(out, "{x:02x}");
        }
    }
}

/// print_unknown_data: the hex dump of up to `len` bytes from `at`, as
/// many as were captured.
pub(super) fn unknown_data(out: &mut String, b: &Bytes<'_>, at: usize, indent: &str, len: usize) {
    if at > b.len() {
        let _ = write!(
            out,
            "{indent}Dissector error: print_unknown_data called with pointer past end of packet"
        );
        return;
    }
    let data = b.data();
    hex_print(out, indent, &data[at..(at + len).min(data.len())]);
}

/// A table of values and their names (netdissect's `struct tok`).
pub(super) type Tok = [(u32, &'static str)];

/// tok2str: the name of `v`, if the table has one.
pub(super) fn tok(table: &Tok, v: u32) -> Option<&'static str> {
    table.iter().find(|e| e.0 == v).map(|e| e.1)
}

/// tok2str with a fallback: the name, or `fallback` with `{}` replaced by
/// `v` in decimal (tcpdump's "unknown (%u)" formats).
pub(super) fn tok_or(out: &mut String, table: &Tok, v: u32, fallback: &str) {
    match tok(table, v) {
        Some(n) => out.push_str(n),
        None => out.push_str(&fallback.replace("{}", &v.to_string())),
    }
}

/// bittok2str: the names of the bits set in `v` joined by `sep`, or
/// `none` when no table entry matches (an entry matches when its value
/// equals `v` masked to one of its bits, as tcpdump tests it).
pub(super) fn bittok(out: &mut String, table: &Tok, none: &str, v: u32, sep: &str) {
    let mut first = true;
    for &(val, name) in table {
        let hit = (0..32).any(|bit| val == v & (1 << bit));
        if hit {
            if !first {
                out.push_str(sep);
            }
            out.push_str(name);
            first = false;
        }
    }
    if first {
        out.push_str(none);
    }
}

/// unsigned_relts_print: seconds as `1y2w3d4h5m6s` (`0s` for none).
pub(super) fn relts(out: &mut String, mut secs: u32) {
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    for (unit, name) in [
        (31_536_000, 'y'),
        (604_800, 'w'),
        (86_400, 'd'),
        (3600, 'h'),
        (60, 'm'),
        (1, 's'),
    ] {
        if secs >= unit {
            let _ = write!(out, "{}{name}", secs / unit);
            secs %= unit;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tables_as_netdissect() {
        let mut s = String::new();
        for c in [b'a', 0x7f, 0x01, 0xe1] {
            print_char(&mut s, c);
        }
        assert_eq!(s, "a^?^AM-a");
        let b = Bytes::new(b"ab\0cd", "x");
        let mut s = String::new();
        assert_eq!(printztn(&mut s, &b, 0, 5, true), Ok(3));
        assert_eq!(s, "ab");
        assert_eq!(printztn(&mut s, &b, 3, 5, true), Ok(0));
        assert_eq!(printztn(&mut s, &b, 3, 5, false), Err(Trunc("x")));
        let mut s = String::new();
        hex_print(&mut s, "\n\t", &[1, 2, 3]);
        assert_eq!(s, "\n\t0x0000:  0102 03");
        let t: &Tok = &[(0x8000, "Broadcast"), (1, "S"), (2, "O")];
        let mut s = String::new();
        bittok(&mut s, t, "none", 0x8003, ", ");
        assert_eq!(s, "Broadcast, S, O");
        let mut s = String::new();
        bittok(&mut s, t, "none", 4, ", ");
        tok_or(&mut s, t, 9, " unknown ({})");
        assert_eq!(s, "none unknown (9)");
        let mut s = String::new();
        relts(&mut s, 31_536_000 + 3661);
        assert_eq!(s, "1y1h1m1s");
    }
}
