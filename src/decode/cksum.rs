//! Checksums and the one place their messages are worded.
//!
//! tcpdump words a checksum verdict per protocol (`[udp sum ok] `,
//! `, cksum 0x1c46 (correct)`, ` (wrong icmp cksum 1234 (->abcd)!)`, ...);
//! each form is one function here, so the printers only decide whether to
//! check.

use core::fmt::Write;

/// The Internet checksum (RFC 1071) over the concatenation of `parts`;
/// 0 when a packet including its checksum field is intact.
pub fn inet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for p in parts {
        for &byte in p.iter() {
            match odd.take() {
                Some(hi) => sum += u64::from(u16::from_be_bytes([hi, byte])),
                None => odd = Some(byte),
            }
        }
    }
    if let Some(hi) = odd {
        sum += u64::from(u16::from_be_bytes([hi, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The checksum value that would have been right (tcpdump's
/// `in_cksum_shouldbe`): the stored value plus the computed sum.
pub fn should_be(stored: u16, sum: u16) -> u16 {
    let mut v = u32::from(stored) + u32::from(sum);
    v = (v & 0xffff) + (v >> 16);
    v = (v & 0xffff) + (v >> 16);
    v as u16
}

/// UDP, ICMPv6, DCCP, ... (`proto` lower case): `[udp sum ok] ` or
/// `[bad udp cksum 0x1234 -> 0xabcd!] `; `sum` is the sum over the whole
/// message with its checksum field (0 when right).
pub fn bracketed(out: &mut String, proto: &str, stored: u16, sum: u16) {
    if sum == 0 {
        let _ = write!(out, "[{proto} sum ok] ");
    } else {
        let _ = write!(
            out,
            "[bad {proto} cksum 0x{stored:04x} -> 0x{:04x}!] ",
            should_be(stored, sum)
        );
    }
}

/// TCP: `, cksum 0x1234 (correct)` or `, cksum 0x1234 (incorrect -> 0xabcd)`.
pub fn tcp(out: &mut String, stored: u16, sum: u16) {
    let _ = write!(out, ", cksum 0x{stored:04x}");
    if sum == 0 {
        out.push_str(" (correct)");
    } else {
        let _ = write!(out, " (incorrect -> 0x{:04x})", should_be(stored, sum));
    }
}

/// ICMP: ` (wrong icmp cksum 1234 (->abcd)!)`, nothing when right.
pub fn icmp(out: &mut String, stored: u16, sum: u16) {
    if sum != 0 {
        let _ = write!(
            out,
            " (wrong icmp cksum {stored:x} (->{:x})!)",
            should_be(stored, sum)
        );
    }
}

/// IPv4 header: `, bad cksum 1234!`, nothing when right.
pub fn ip(out: &mut String, stored: u16, ok: bool) {
    if !ok {
        let _ = write!(out, ", bad cksum {stored:x}!");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_and_messages() {
        // RFC 1071's example words.
        let b = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(inet_checksum(&[&b]), !0xddf2);
        assert_eq!(inet_checksum(&[&b[..3], &b[3..]]), !0xddf2);
        let mut s = String::new();
        bracketed(&mut s, "udp", 0x1234, 0);
        bracketed(&mut s, "udp", 0x1234, 1);
        tcp(&mut s, 0x1c46, 0);
        icmp(&mut s, 0x10, 0);
        icmp(&mut s, 0x10, 2);
        ip(&mut s, 0xab, false);
        assert_eq!(
            s,
            "[udp sum ok] [bad udp cksum 0x1234 -> 0x1235!] , cksum 0x1c46 (correct) \
             (wrong icmp cksum 10 (->12)!), bad cksum ab!"
        );
    }
}
