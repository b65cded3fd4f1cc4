//! netdissect's small text helpers (util-print.c): value tables
//! (`tok2str`, `bittok2str`) and the escaped printing of bytes that should
//! be text (`nd_printjnp`, `nd_printn`).

use super::trunc::{Bytes, Trunc};

/// A table of values and their names (netdissect's `struct tok`).
pub type Tok = [(u32, &'static str)];

/// The name of `v` in `table`.
pub fn tok(table: &Tok, v: u32) -> Option<&'static str> {
    table.iter().find(|e| e.0 == v).map(|e| e.1)
}

/// The name of `v`, or `fallback` with `{}` replaced by `v` in decimal
/// (tok2str's "Unknown (%u)" formats).
pub fn tok_or(table: &Tok, v: u32, fallback: &str) -> String {
    match tok(table, v) {
        Some(n) => n.to_string(),
        None => fallback.replace("{}", &v.to_string()),
    }
}

/// The names of the bits set in `v`, separated by `", "` (bittok2str), or
/// `none` when no named bit is set.
pub fn bittok(out: &mut String, table: &Tok, none: &str, v: u32) {
    bittok_sep(out, table, none, v, ", ");
}

/// [`bittok`] with another separator (`bittok2str_nosep` uses "").
pub fn bittok_sep(out: &mut String, table: &Tok, none: &str, v: u32, sep: &str) {
    let mut first = true;
    for &(bit, name) in table {
        if bit != 0 && v & bit == bit {
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

/// One byte as netdissect prints text: `M-` for the high bit, `^` and the
/// letter for a control character.
pub fn print_char(out: &mut String, c: u8) {
    let mut c = c;
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

/// nd_printjnp: up to `n` bytes from `at`, stopping at a NUL; a byte past
/// the capture is a truncation.
pub fn printjnp(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Result<(), Trunc> {
    for i in 0..n {
        let c = b.u8(at + i)?;
        if c == 0 {
            break;
        }
        print_char(out, c);
    }
    Ok(())
}

/// unsigned_relts_print: seconds as `1w2d3h4m5s` (`0s` for none).
pub fn relts(out: &mut String, mut secs: u32) {
    const UNITS: [(u32, &str); 6] = [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    for (s, l) in UNITS {
        if secs >= s {
            out.push_str(&(secs / s).to_string());
            out.push_str(l);
            secs -= (secs / s) * s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_text() {
        const T: &Tok = &[(1, "one"), (2, "two"), (4, "four")];
        assert_eq!(tok(T, 2), Some("two"));
        assert_eq!(tok_or(T, 9, "Unknown ({})"), "Unknown (9)");
        let mut s = String::new();
        bittok(&mut s, T, "none", 5);
        s.push('|');
        bittok(&mut s, T, "none", 8);
        s.push('|');
        bittok_sep(&mut s, T, "", 3, "");
        assert_eq!(s, "one, four|none|onetwo");
        let mut s = String::new();
        printjnp(&mut s, &Bytes::new(b"ab\x01\xc1\0z", "x"), 0, 9).unwrap();
        assert_eq!(s, "ab^AM-A");
        let mut s = String::new();
        relts(&mut s, 0);
        relts(&mut s, 3_700);
        assert_eq!(s, "0s1h1m40s");
    }
}
