//! Hex dumps in tcpdump's `-x` and `-X` layout (print-ascii.c): lines of 16
//! bytes as `\n\t0x0010:  4500 003c ...`, with `-X` the printable bytes
//! (0x21..=0x7e) after the hex, others as `.`.

use core::fmt::Write;

/// Appends the `-x` dump of `bytes` to `out`.
pub fn hex(out: &mut String, bytes: &[u8]) {
    hex_with(out, "\n\t", bytes);
}

/// The `-x` layout with another line prefix (print-ascii.c's hex_print
/// with its `ident`).
pub fn hex_with(out: &mut String, ident: &str, bytes: &[u8]) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        out.push_str(ident);
        let _ = write!(out, "0x{:04x}: ", line * 16);
        for pair in chunk.chunks(2) {
            out.push(' ');
            for b in pair {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}

/// Appends the `-X` dump (hex and ASCII) of `bytes` to `out`.
pub fn hex_ascii(out: &mut String, bytes: &[u8]) {
    hex_ascii_with(out, "\n\t", bytes);
}

/// The `-X` layout with another line prefix (print-ascii.c's
/// hex_and_ascii_print with its `ident`).
pub fn hex_ascii_with(out: &mut String, ident: &str, bytes: &[u8]) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        let mut hex = String::with_capacity(40);
        for pair in chunk.chunks(2) {
            hex.push(' ');
            for b in pair {
                let _ = write!(hex, "{b:02x}");
            }
        }
        let _ = write!(out, "{ident}0x{:04x}: {hex:<40}  ", line * 16);
        out.extend(chunk.iter().map(|&b| {
            if (0x21..=0x7e).contains(&b) {
                b as char
            } else {
                '.'
            }
        }));
    }
}

/// Appends the `-A` dump of `bytes` to `out` (print-ascii.c's
/// `ascii_print`): a newline, then printable bytes, tabs, spaces and
/// newlines as they are, others as `.`; a carriage return prints nothing
/// before a line feed or near the end, and `.` elsewhere.
pub fn ascii(out: &mut String, bytes: &[u8]) {
    out.push('\n');
    for (i, &b) in bytes.iter().enumerate() {
        let left = bytes.len() - i - 1;
        if b == b'\r' {
            if left > 1 && bytes[i + 1] != b'\n' {
                out.push('.');
            }
        } else if (0x21..=0x7e).contains(&b) || matches!(b, b'\t' | b' ' | b'\n') {
            out.push(b as char);
        } else {
            out.push('.');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let mut s = String::new();
        hex(&mut s, &[0x45, 0, 0, 0x3c, 0x1c]);
        assert_eq!(s, "\n\t0x0000:  4500 003c 1c");
        let mut s = String::new();
        hex_ascii(&mut s, b"GET / HTTP/1.1\r\nHost");
        assert_eq!(
            s,
            "\n\t0x0000:  4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET./.HTTP/1.1..\
             \n\t0x0010:  486f 7374                                Host"
        );
        let mut s = String::new();
        ascii(&mut s, b"GET /\r\nA\tB\x01\r\rxy\r");
        assert_eq!(s, "\nGET /\nA\tB...xy");
    }
}
