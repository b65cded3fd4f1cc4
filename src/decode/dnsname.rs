//! Domain names for printers other than DNS (the ICMPv6 DNSSL option and
//! node information): print-domain.c's fqdn_print, as `dns` implements it.

use super::trunc::Bytes;

/// fqdn_print: the name at `at` in `b` (offsets of compression pointers
/// count from the start of `b`); the offset after the name, or `None` when
/// it is cut or malformed.
pub fn fqdn(out: &mut String, b: &Bytes<'_>, at: usize) -> Option<usize> {
    super::dns::fqdn_in(out, b.data(), at, 0).ok().flatten()
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
