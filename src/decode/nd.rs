//! More of netdissect's helpers (util-print.c, print-ascii.c) for the
//! application printers, next to `util`'s (re-exported here): counted and
//! NUL-terminated text, hex dumps inside a line, value tables appended.
//!
//! Each helper reads the way its C original does: through [`Bytes`]
//! (a read past the captured end is tcpdump's longjmp, `Err(Trunc)`), or
//! up to the captured end where the original checks first.

use super::trunc::{Bytes, Trunc};
pub(super) use super::util::{bittok_sep as bittok, print_char, printjnp, tok, Tok};
use core::fmt::Write;

/// nd_printjn: exactly `n` bytes as text (a read past the end is a longjmp).
pub(super) fn printjn(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Result<(), Trunc> {
    for k in 0..n {
        print_char(out, b.u8(at + k)?);
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
    super::hex::hex_with(out, indent, bytes);
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

/// tok2str with a fallback, appended: the name, or `fallback` with `{}`
/// replaced by `v` in decimal (tcpdump's "unknown (%u)" formats).
pub(super) fn push_tok(out: &mut String, table: &Tok, v: u32, fallback: &str) {
    match tok(table, v) {
        Some(n) => out.push_str(n),
        None => out.push_str(&fallback.replace("{}", &v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tables_as_netdissect() {
        let b = Bytes::new(b"ab\0cd", "x");
        let mut s = String::new();
        assert_eq!(printztn(&mut s, &b, 0, 5, true), Ok(3));
        assert_eq!(s, "ab");
        assert_eq!(printztn(&mut s, &b, 3, 5, true), Ok(0));
        assert_eq!(printztn(&mut s, &b, 3, 5, false), Err(Trunc("x")));
        let mut s = String::new();
        printjn(&mut s, &b, 0, 4).unwrap();
        assert_eq!(s, "ab^@c");
        assert_eq!(printjn(&mut s, &b, 3, 3), Err(Trunc("x")));
        let mut s = String::new();
        hex_print(&mut s, "\n\t", &[1, 2, 3]);
        assert_eq!(s, "\n\t0x0000:  0102 03");
        let t: &Tok = &[(0x8000, "Broadcast"), (1, "S")];
        let mut s = String::new();
        push_tok(&mut s, t, 9, " unknown ({})");
        assert_eq!(s, " unknown (9)");
    }
}
