//! Numbers and addresses as text, and big-endian reads that cannot panic.
//!
//! The decimal writers avoid `core::fmt`: they run for every field of every
//! line in `-nr`, where formatting machinery was a visible share of the time.

use core::fmt::Write;

/// The big-endian u16 at `at`, if captured.
pub fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// The big-endian u32 at `at`, if captured.
pub fn be32_opt(b: &[u8], at: usize) -> Option<u32> {
    let x = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
}

/// `n` in decimal, appended without core::fmt (hot in `-nr`).
pub fn push_num(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// `n` in decimal with at least `width` digits (zero padded, like `{:0w$}`).
pub fn push_padded(out: &mut String, n: u64, width: usize) {
    // Pairs of digits, least significant first, then the 1 or 2 leading digits.
    let (mut pairs, mut np, mut lead) = ([0u8; 10], 0, n);
    while lead >= 100 {
        pairs[np] = (lead % 100) as u8;
        lead /= 100;
        np += 1;
    }
    let lead_digits = if lead >= 10 { 2 } else { 1 };
    for _ in np * 2 + lead_digits..width {
        out.push('0');
    }
    if lead_digits == 2 {
        out.push_str(digit_pair(lead as u8));
    } else {
        out.push(char::from(b'0' + lead as u8));
    }
    for &p in pairs[..np].iter().rev() {
        out.push_str(digit_pair(p));
    }
}

/// `v` (below 100) as two digits.
pub fn digit_pair(v: u8) -> &'static str {
    let at = usize::from(v) * 2;
    DIGIT_PAIRS.get(at..at + 2).unwrap_or("00")
}

/// The two-digit decimal numbers 00 to 99, back to back.
pub const DIGIT_PAIRS: &str = "\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the decimal digits of `n` at the end of `buf`, two at a time;
/// returns where they start.
pub fn digits(buf: &mut [u8; 20], mut n: u64) -> usize {
    let mut i = buf.len();
    let mut pair = |i: &mut usize, d: u64| {
        let d = d as usize * 2;
        *i -= 2;
        buf[*i..*i + 2].copy_from_slice(&DIGIT_PAIRS.as_bytes()[d..d + 2]);
    };
    while n >= 100 {
        pair(&mut i, n % 100);
        n /= 100;
    }
    if n >= 10 {
        pair(&mut i, n);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    i
}

/// A dotted-quad IPv4 address (`Ipv4Addr`'s Display without core::fmt).
pub fn push_ip4(out: &mut String, a: [u8; 4]) {
    for (i, o) in a.into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        if o >= 100 {
            out.push(char::from(b'0' + o / 100));
            out.push_str(digit_pair(o % 100));
        } else if o >= 10 {
            out.push_str(digit_pair(o));
        } else {
            out.push(char::from(b'0' + o));
        }
    }
}

/// The IPv4 address in the first 4 bytes of `b` as text ("?" if fewer),
/// or its host name when names are on (tcpdump's `ipaddr_string`).
pub fn ip4_text(b: &[u8]) -> String {
    if let Some(name) = super::names::lookup(b) {
        return name;
    }
    match <[u8; 4]>::try_from(b) {
        Ok(a) => {
            let mut s = String::with_capacity(15);
            push_ip4(&mut s, a);
            s
        }
        Err(_) => "?".into(),
    }
}

/// An IPv6 address as tcpdump's addrtostr6 writes it: the first longest
/// run of two or more zero words as `::`, IPv4-compatible and -mapped
/// addresses with a dotted quad.
pub fn push_ip6(out: &mut String, a: [u8; 16]) {
    let w: [u16; 8] = core::array::from_fn(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]));
    // The first longest run of zero words.
    let (mut best, mut cur): ((usize, usize), Option<(usize, usize)>) = ((0, 0), None);
    for (i, &x) in w.iter().enumerate() {
        if x == 0 {
            let c = cur.get_or_insert((i, 0));
            c.1 += 1;
            if c.1 > best.1 {
                best = *c;
            }
        } else {
            cur = None;
        }
    }
    let run = (best.1 >= 2).then_some(best);
    let mut i = 0;
    while i < 8 {
        if let Some((base, len)) = run {
            if i == base {
                out.push(':');
                i += len;
                if i == 8 {
                    out.push(':');
                }
                continue;
            }
        }
        if i != 0 {
            out.push(':');
        }
        if i == 6 && run.is_some_and(|(b, l)| b == 0 && (l == 6 || (l == 5 && w[5] == 0xffff))) {
            push_ip4(out, [a[12], a[13], a[14], a[15]]);
            return;
        }
        let _ = write!(out, "{:x}", w[i]);
        i += 1;
    }
}

/// `aa:bb:cc:dd:ee:ff` (any number of bytes, colon separated).
pub fn mac(a: &[u8]) -> String {
    let mut s = String::with_capacity(17);
    for (i, b) in a.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn fast_integer_and_address_text_match_core_fmt() {
        let mut s = String::new();
        let powers = (0..64)
            .map(|b| 1u64 << b)
            .chain((1..20).map(|e| 10u64.pow(e) - 1));
        for n in [0u64, 1, 9, 10, 99, 100, 65_535, 4_294_967_295, u64::MAX]
            .into_iter()
            .chain(powers)
        {
            for w in [0usize, 1, 2, 6, 9, 21] {
                s.clear();
                push_padded(&mut s, n, w);
                assert_eq!(s, format!("{n:0w$}"));
            }
            let mut buf = [0u8; 20];
            let at = digits(&mut buf, n);
            assert_eq!(core::str::from_utf8(&buf[at..]).unwrap(), n.to_string());
        }
        for a in [
            [0u8, 0, 0, 0],
            [255, 255, 255, 255],
            [10, 0, 99, 100],
            [1, 20, 199, 9],
        ] {
            let mut t = String::from("x");
            push_ip4(&mut t, a);
            assert_eq!(t, format!("x{}", Ipv4Addr::from(a)));
        }
    }

    #[test]
    fn reads_stop_at_the_end() {
        assert_eq!(be16(&[1, 2], 0), Some(0x0102));
        assert_eq!(be16(&[1, 2], 1), None);
        assert_eq!(mac(&[2, 0, 0xab]), "02:00:ab");
        assert_eq!(ip4_text(&[1, 2, 3]), "?");
    }

    #[test]
    fn ip6_text_as_addrtostr6() {
        let text = |s: &str| {
            let mut o = String::new();
            push_ip6(&mut o, s.parse::<std::net::Ipv6Addr>().unwrap().octets());
            o
        };
        for (a, want) in [
            ("::", "::"),
            ("::1", "::1"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("fe80::", "fe80::"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0:0", "::ffff:0.0.0.0"),
        ] {
            assert_eq!(text(a), want, "{a}");
        }
    }
}
