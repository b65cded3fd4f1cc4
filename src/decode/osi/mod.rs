//! The OSI network layer over LLC SAP 0xfe (print-isoclns.c): the NLPID
//! dispatch (`OSI NLPID 0x80 unknown, length: N`), IS-IS (`isis.rs`
//! headers, `tlv.rs` the TLV loop, `reach.rs` the reachability TLVs and
//! their sub-TLVs), CLNP and ES-IS. Reads through [`Bytes`]: a read past
//! the capture is tcpdump's longjmp; where print-isoclns.c checks first and
//! prints the marker itself (`goto trunc`) the printers do the same.

mod clnp;
mod esis;
mod isis;
mod isreach;
mod reach;
mod spb;
mod tlv;

use super::nd::{hex_print, tok, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use core::fmt::Write;

const NLPID_NULLNS: u8 = 0x00;
const NLPID_IP: u8 = 0xcc;
const NLPID_IP6: u8 = 0x8e;
const NLPID_ISIS: u8 = 0x83;
const NLPID_CLNP: u8 = 0x81;
const NLPID_ESIS: u8 = 0x82;
const NLPID_PPP: u8 = 0xcf;
const NLPID_Q933: u8 = 0x08;

/// nlpid.c's nlpid_values.
pub(super) const NLPID_VALUES: &Tok = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];

/// isoclns_print: `data` the captured bytes after the LLC header, `length`
/// their length on the wire.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "isoclns");
    let nlpid = b.u8(0)?;
    let e = p.opts.link_header;
    if e {
        let _ = write!(
            out,
            "OSI NLPID {} (0x{nlpid:02x}): ",
            tok(NLPID_VALUES, u32::from(nlpid)).unwrap_or("Unknown")
        );
    }
    let sep = if e { "" } else { ", " };
    match nlpid {
        NLPID_ISIS => {
            if !isis::print(p, out, data, length as u32)? {
                unknown_data(out, &b, 0, "\n\t", length);
            }
        }
        NLPID_CLNP => {
            if !clnp::print(p, out, data, length as u32)? {
                unknown_data(out, &b, 0, "\n\t", length);
            }
        }
        NLPID_ESIS => esis::print(p, out, data, length as u32)?,
        NLPID_PPP => {
            super::ppp::print(p, out, &data[1..], length.saturating_sub(1))?;
        }
        NLPID_NULLNS => {
            let _ = write!(out, "{sep}length: {length}");
        }
        NLPID_IP => super::ip::print_packet(p, out, &data[1..], length.saturating_sub(1))?,
        NLPID_IP6 => super::ip6::print_packet(p, out, &data[1..], length.saturating_sub(1))?,
        _ if nlpid != NLPID_Q933 => {
            if !e {
                let _ = write!(out, "OSI NLPID 0x{nlpid:02x} unknown");
            }
            let _ = write!(out, "{sep}length: {length}");
            if length > 1 {
                unknown_data(out, &b, 0, "\n\t", length);
            }
        }
        _ => {
            // Q.933 is not ported: tcpdump names the protocol first.
            if !e {
                out.push_str("OSI NLPID");
            }
            p.default_print(out, data);
        }
    }
    Ok(())
}

/// EtherType 0xfefe (print-ether.c): one byte tcpdump skips, then the
/// NLPID.
pub(super) fn ether(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    if length == 0 || data.is_empty() {
        super::trunc::mark(out, "isoclns");
        return Ok(());
    }
    print(p, out, &data[1..], length - 1)
}

/// A list of `n` NLPIDs from `at`: `IPv4 (0xcc), IPv6 (0x8e)`.
pub(super) fn nlpids(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Printed {
    for i in 0..n {
        let x = b.u8(at + i)?;
        let _ = write!(
            out,
            "{} (0x{x:02x})",
            tok(NLPID_VALUES, u32::from(x)).unwrap_or("unknown")
        );
        if n - i > 1 {
            out.push_str(", ");
        }
    }
    Ok(())
}

/// print_unknown_data: the hex dump of up to `len` bytes from `at` (as
/// many as were captured); false, after its error line, when `at` lies
/// past the capture.
pub(super) fn unknown_data(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    indent: &str,
    len: usize,
) -> bool {
    let data = b.data();
    if at > data.len() {
        let _ = write!(
            out,
            "{indent}Dissector error: print_unknown_data called with pointer past end of packet"
        );
        return false;
    }
    hex_print(
        out,
        indent,
        &data[at..at.saturating_add(len).min(data.len())],
    );
    true
}

/// isonsap_string (GET_ISONSAP_STRING): `len` bytes from `at` as dotted
/// hex pairs, a longjmp when they were not captured.
pub(super) fn nsap(b: &Bytes<'_>, at: usize, len: usize) -> Result<String, Trunc> {
    let bytes = b.take(at, len)?;
    if len == 0 || len > 20 {
        return Ok("isonsap_string: illegal length".to_string());
    }
    let mut s = String::with_capacity(len * 3);
    for (i, x) in bytes.iter().enumerate() {
        let _ = write!(s, "{x:02x}");
        if i & 1 == 0 && i + 1 < len {
            s.push('.');
        }
    }
    Ok(s)
}

/// osi_print_cksum: ` (unverified)`, ` (correct)` or ` (incorrect should
/// be 0x....)` for the Fletcher checksum `stored` at `offset` of the
/// `length` bytes from `at`.
pub(super) fn print_cksum(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    stored: u16,
    offset: i64,
    length: u32,
) {
    let len = length as usize;
    let ok = stored != 0
        && offset >= 0
        && b.has(at + offset as usize, 2)
        && offset as u64 <= u64::from(length)
        && b.has(at, len);
    if !ok {
        out.push_str(" (unverified)");
        return;
    }
    let sum = create_osi_cksum(&b.data()[at..at + len], offset as usize);
    if sum == stored {
        out.push_str(" (correct)");
    } else {
        let _ = write!(out, " (incorrect should be 0x{sum:04x})");
    }
}

/// checksum.c's create_osi_cksum, with its int arithmetic.
fn create_osi_cksum(bytes: &[u8], offset: usize) -> u16 {
    let (mut c0, mut c1) = (0u32, 0u32);
    for (i, &x) in bytes.iter().enumerate() {
        if i != offset && i != offset + 1 {
            c0 = c0.wrapping_add(u32::from(x));
        }
        c1 = c1.wrapping_add(c0);
    }
    c0 %= 255;
    c1 %= 255;
    let mul = ((bytes.len() as u32).wrapping_sub(offset as u32)).wrapping_mul(c0);
    let mut x = mul.wrapping_sub(c0).wrapping_sub(c1) as i32;
    let mut y = c1.wrapping_sub(mul).wrapping_sub(1) as i32;
    if y >= 0 {
        y += 1;
    }
    if x < 0 {
        x -= 1;
    }
    x %= 255;
    y %= 255;
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    y &= 0xff;
    ((x << 8) | y) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fletcher_checksum_verifies_its_own_result() {
        let mut pdu = vec![0x01, 0x02, 0x03, 0x04, 0, 0, 0x07, 0x08, 0x09];
        let sum = create_osi_cksum(&pdu, 4);
        pdu[4..6].copy_from_slice(&sum.to_be_bytes());
        let b = Bytes::new(&pdu, "isis");
        let mut s = String::new();
        print_cksum(&mut s, &b, 0, sum, 4, pdu.len() as u32);
        assert_eq!(s, " (correct)");
        s.clear();
        print_cksum(&mut s, &b, 0, sum ^ 1, 4, pdu.len() as u32);
        assert!(s.starts_with(" (incorrect should be 0x"), "{s}");
        s.clear();
        print_cksum(&mut s, &b, 0, sum, 4, 100);
        assert_eq!(s, " (unverified)");
    }

    /// The corpus frames with random bytes replaced print without a panic
    /// at every verbosity, with and without the link header.
    #[test]
    fn mutated_corpus_frames_never_panic() {
        use super::super::text::TextOptions;
        use crate::linktype::LinkType;
        use crate::packet::Packet;
        let mut frames = Vec::new();
        for pcap in [
            &include_bytes!("../../../tests/data/decode/isis.pcap")[..],
            &include_bytes!("../../../tests/data/decode/clnp.pcap")[..],
        ] {
            let mut off = 24;
            while off + 16 <= pcap.len() {
                let n = u32::from_le_bytes([
                    pcap[off + 8],
                    pcap[off + 9],
                    pcap[off + 10],
                    pcap[off + 11],
                ]) as usize;
                frames.push(&pcap[off + 16..(off + 16 + n).min(pcap.len())]);
                off += 16 + n;
            }
        }
        let mut seed = 0x83u64;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for (verbose, link_header) in [(0, false), (1, true), (2, false), (3, true)] {
            let mut p = Printer::new(TextOptions {
                verbose,
                link_header,
                ..Default::default()
            });
            for f in frames.iter().step_by(2) {
                for _ in 0..12 {
                    let mut m = f.to_vec();
                    for _ in 0..1 + rnd() % 4 {
                        if m.len() > 17 {
                            let at = 17 + rnd() % (m.len() - 17);
                            m[at] = rnd() as u8;
                        }
                    }
                    let wire = (m.len() + rnd() % 3) as u32;
                    let _ = p.format(LinkType::Ethernet, &Packet::new(0, &m, wire));
                }
            }
        }
    }

    #[test]
    fn nsap_strings_as_tcpdump() {
        let b = Bytes::new(&[0x49, 0x00, 0x01, 0xaa], "isis");
        assert_eq!(nsap(&b, 0, 3).as_deref(), Ok("49.0001"));
        assert_eq!(nsap(&b, 0, 4).as_deref(), Ok("49.0001.aa"));
        assert!(nsap(&b, 1, 4).is_err());
    }
}
