//! Record headers tcpdump calls invalid: it prints `[Invalid header: ...]`
//! for them instead of decoding (print.c, `pretty_print_packet`);
//! rawcap prints them the same way and, as tcpdump, copies them as they are.

use super::MAX_SNAPLEN;
use crate::packet::Packet;
use core::fmt;

/// A record whose lengths cannot both be right: no captured bytes, no
/// length on the wire, fewer bytes on the wire than captured, or either
/// above 262144 (`MAXIMUM_SNAPLEN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidHeader {
    /// The captured length (`caplen`).
    pub caplen: u32,
    /// The length on the wire (`len`).
    pub len: u32,
}

impl InvalidHeader {
    /// The problem with `p`'s header, if tcpdump would call it invalid.
    #[inline]
    pub fn check(p: &Packet<'_>) -> Option<Self> {
        let len = p.wire_len;
        // caplen == 0, len == 0 and len < caplen in one compare (caplen - 1
        // wraps for 0); a caplen above the maximum has len below it, or
        // above the maximum too.
        let bad = (p.data.len() as u64).wrapping_sub(1) >= u64::from(len) || len > MAX_SNAPLEN;
        if !bad {
            return None;
        }
        let caplen = u32::try_from(p.data.len()).unwrap_or(u32::MAX);
        Some(InvalidHeader { caplen, len })
    }
}

/// tcpdump's text, e.g. `[Invalid header: len(64) < caplen(74)]` or
/// `[Invalid header: caplen==0, len(300000) > 262144]`.
impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (caplen, len) = (self.caplen, self.len);
        let mut sep = "[Invalid header: ";
        let mut part = |f: &mut fmt::Formatter<'_>, a: fmt::Arguments<'_>| {
            let r = write!(f, "{sep}{a}");
            sep = ", ";
            r
        };
        if caplen == 0 {
            part(f, format_args!("caplen==0"))?;
        }
        if len == 0 {
            part(f, format_args!("len==0"))?;
        } else if len < caplen {
            part(f, format_args!("len({len}) < caplen({caplen})"))?;
        }
        if caplen > MAX_SNAPLEN {
            part(f, format_args!("caplen({caplen}) > {MAX_SNAPLEN}"))?;
        }
        if len > MAX_SNAPLEN {
            part(f, format_args!("len({len}) > {MAX_SNAPLEN}"))?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(caplen: usize, len: u32) -> Option<String> {
        let data = vec![0u8; caplen];
        let p = Packet {
            ts_ns: 0,
            data: &data,
            wire_len: len,
            ifindex: None,
            pkttype: None,
        };
        InvalidHeader::check(&p).map(|h| h.to_string())
    }

    #[test]
    fn tcpdump_4_99_3_texts() {
        // Each as tcpdump 4.99.3 prints it for a record with these lengths.
        assert_eq!(text(74, 74), None);
        assert_eq!(text(40, 74), None);
        assert_eq!(
            text(74, 64).unwrap(),
            "[Invalid header: len(64) < caplen(74)]"
        );
        assert_eq!(
            text(74, u32::MAX).unwrap(),
            "[Invalid header: len(4294967295) > 262144]"
        );
        assert_eq!(text(0, 60).unwrap(), "[Invalid header: caplen==0]");
        assert_eq!(text(0, 0).unwrap(), "[Invalid header: caplen==0, len==0]");
        assert_eq!(text(10, 0).unwrap(), "[Invalid header: len==0]");
        assert_eq!(
            text(0, 300_000).unwrap(),
            "[Invalid header: caplen==0, len(300000) > 262144]"
        );
        assert_eq!(
            text(262_145, 262_145).unwrap(),
            "[Invalid header: caplen(262145) > 262144, len(262145) > 262144]"
        );
    }
}
