//! Domain names as print-domain.c's fqdn_print prints them: labels with
//! escapes, compression pointers that must point backwards, EDNS0 bit
//! labels, and `<DOMAIN NAME TOO LONG>` past 255 characters. Used by the
//! ICMPv6 printers (DNSSL, node information); the DNS printer builds on it.

use super::trunc::Bytes;
use super::util::print_char;
use core::fmt::Write;

const MAXCDNAME: usize = 255;

/// labellen: the length of the label at `at`, `None` on a bad label type
/// (after printing what tcpdump prints).
fn labellen(out: &mut String, b: &Bytes<'_>, at: usize) -> Option<usize> {
    let i = b.u8(at).ok()?;
    match i & 0xc0 {
        0x40 => {
            let elt = i & 0x3f;
            if elt != 1 {
                let _ = write!(out, "<ELT {elt}>");
                return None;
            }
            let bitlen = match b.u8(at + 1).ok()? {
                0 => 256,
                n => usize::from(n),
            };
            Some(bitlen.div_ceil(8) + 1)
        }
        0xc0 | 0x00 => Some(usize::from(i)),
        _ => {
            out.push_str("<BAD LABEL TYPE>");
            None
        }
    }
}

/// blabel_print: an EDNS0 bit-string label at `at`.
fn blabel(out: &mut String, b: &Bytes<'_>, at: usize) -> Option<()> {
    let bitlen = match b.u8(at).ok()? {
        0 => 256,
        n => usize::from(n),
    };
    let slen = bitlen.div_ceil(4);
    let lim = at + 1 + slen;
    out.push_str("\\[x");
    let mut bitp = at + 1;
    let mut bits = bitlen;
    while bitp < lim && bits > 7 {
        let _ = write!(out, "{:02x}", b.u8(bitp).ok()?);
        bits -= 8;
        bitp += 1;
    }
    if bits > 4 {
        let tc = b.u8(bitp).ok()?;
        let _ = write!(out, "{:02x}", u32::from(tc) & (0xff << (8 - bits)));
    } else if bits > 0 {
        let tc = b.u8(bitp).ok()?;
        let _ = write!(out, "{:1x}", ((tc >> 4) & 0x0f) & (0x0f << (4 - bits)));
    }
    let _ = write!(out, "/{bitlen}]");
    Some(())
}

/// fqdn_print: the name at `at` in `b` (offsets of compression pointers
/// count from the start of `b`); the offset after the name, or `None` when
/// it is cut or malformed.
pub fn fqdn(out: &mut String, b: &Bytes<'_>, at: usize) -> Option<usize> {
    let mut cp = at;
    let mut l = labellen(out, b, cp)?;
    let mut max_offset = cp;
    let mut i = b.u8(cp).ok()?;
    cp += 1;
    let mut compress = false;
    let mut rp = 0;
    if i & 0xc0 != 0xc0 {
        rp = cp + l;
    }
    if i == 0 {
        out.push('.');
        return Some(rp);
    }
    let mut name_chars = 0usize;
    while i != 0 && cp < b.len() {
        match i & 0xc0 {
            0xc0 => {
                if !compress {
                    rp = cp + 1;
                    compress = true;
                }
                let lo = b.u8(cp).ok()?;
                let offset = ((usize::from(i) << 8) | usize::from(lo)) & 0x3fff;
                if offset >= max_offset {
                    out.push_str("<BAD PTR>");
                    return None;
                }
                max_offset = offset;
                cp = offset;
                i = b.u8(cp).ok()?;
                l = labellen(out, b, cp)?;
                cp += 1;
                continue;
            }
            0x40 => {
                let elt = i & 0x3f;
                if elt != 1 {
                    let _ = write!(out, "<ELT {elt}>");
                    return None;
                }
                blabel(out, b, cp)?;
            }
            0x80 => {
                out.push_str("<BAD LABEL TYPE>");
                return None;
            }
            _ => {
                let n = if name_chars + l <= MAXCDNAME {
                    l
                } else {
                    MAXCDNAME.saturating_sub(name_chars)
                };
                for k in 0..n {
                    let c = b.data().get(cp + k)?;
                    print_char(out, *c);
                }
                name_chars += l;
            }
        }
        cp += l;
        if name_chars <= MAXCDNAME {
            out.push('.');
        }
        name_chars += 1;
        i = b.u8(cp).ok()?;
        l = labellen(out, b, cp)?;
        cp += 1;
        if !compress {
            rp += l + 1;
        }
    }
    if name_chars > MAXCDNAME {
        out.push_str("<DOMAIN NAME TOO LONG>");
    }
    Some(rp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pointers_and_loops() {
        let msg = b"\x07example\x03com\x00\x03www\xc0\x00\xc0\x13";
        let b = Bytes::new(msg, "domain");
        let mut s = String::new();
        assert_eq!(fqdn(&mut s, &b, 0), Some(13));
        s.push('|');
        assert_eq!(fqdn(&mut s, &b, 13), Some(19));
        s.push('|');
        // A pointer to itself (or forwards) is refused.
        assert_eq!(fqdn(&mut s, &b, 19), None);
        assert_eq!(s, "example.com.|www.example.com.|<BAD PTR>");
        let mut s = String::new();
        // A cut label: what was captured, then nothing more.
        assert_eq!(fqdn(&mut s, &Bytes::new(b"\x05ab", "x"), 0), None);
        assert_eq!(s, "ab");
    }
}
