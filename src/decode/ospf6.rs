//! OSPFv3 (print-ospf6.c): IP protocol 89 over IPv6. The packet line
//! `OSPFv3, Hello, length 36`; with `-v` router, area, instance and the
//! hello, database-description, LLS and authentication-trailer fields;
//! with `-vv` the neighbor list, LSA headers, LS requests and the LSAs of
//! LS updates (router, network, inter-area prefix, AS-external, link,
//! intra-area prefix, grace, the others in hex).
//!
//! A check that fails prints ` [|ospf3]` and ends the packet normally
//! (tcpdump's `goto trunc` and nd_print_trunc); a read past the capture is
//! the `Trunc` (its longjmp), with the same marker.

use super::demux::Ip;
use super::dispatch::IpPayload;
use super::nd::{tok, unknown_data, Tok};
use super::ospf::{bits, ip, line, router_area};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use core::fmt::Write;

const OPTIONS: &Tok = &[
    (0x01, "V6"),
    (0x02, "External"),
    (0x04, "Deprecated"),
    (0x08, "NSSA"),
    (0x10, "Router"),
    (0x20, "Demand Circuit"),
    (0x100, "AFs Support"),
    (0x200, "LLS"),
    (0x400, "Authentication Trailer"),
];
const RLA_FLAGS: &Tok = &[
    (0x01, "ABR"),
    (0x02, "External"),
    (0x04, "Virtual-Link Endpoint"),
    (0x08, "Deprecated"),
    (0x10, "NSSA Translator"),
];
const ASLA_FLAGS: &Tok = &[
    (0x8000_0000, "External Type 2"),
    (0x0200_0000, "Forwarding"),
    (0x0100_0000, "Tag"),
];
const LSA_TYPES: &Tok = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Inter-Area Prefix"),
    (4, "Inter-Area Router"),
    (5, "External"),
    (6, "Deprecated"),
    (7, "NSSA"),
    (8, "Link"),
    (9, "Intra-Area Prefix"),
    (10, "Intra-Area TE"),
    (11, "Grace"),
    (12, "Router Information"),
    (13, "Inter-AS-TE"),
    (14, "Layer 1 VPN"),
];
const SCOPES: &Tok = &[
    (0, "Link Local"),
    (0x2000, "Area Local"),
    (0x4000, "Domain Wide"),
];
const DD_FLAGS: &Tok = &[(4, "Init"), (2, "More"), (1, "Master"), (0x10, "IPv6 MTU")];
const PREFIX_OPTIONS: &Tok = &[
    (0x01, "No Unicast"),
    (0x02, "Local address"),
    (0x04, "Deprecated"),
    (0x08, "Propagate"),
    (0x10, "Down"),
    (0x20, "N-bit"),
];
const GRACE_TLVS: &Tok = &[
    (1, "Grace Period"),
    (2, "Graceful restart Reason"),
    (3, "IPv4 interface address"),
];
const GRACE_REASONS: &Tok = &[
    (0, "Unknown"),
    (1, "Software Restart"),
    (2, "Software Reload/Upgrade"),
    (3, "Control Processor Switch"),
];

/// The LSA header's length.
const LSHDR: usize = 20;

/// `Ok(true)`: a check failed (tcpdump's `return 1` / `goto trunc`).
type Cut = Result<bool, Trunc>;

/// ospf6_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let b = Bytes::new(seg.data, "ospf3");
    let length = seg.length;
    let ty = b.u8(1)?;
    let version = b.u8(0)?;
    let unknown = format!("unknown packet type ({ty})");
    if !line(out, version, ty, length, &unknown) || p.opts.verbose == 0 {
        return Ok(());
    }
    let datalen = usize::from(b.be16(2)?);
    if datalen > length {
        let _ = write!(out, " [len {datalen}]");
        return Ok(());
    }
    router_area(out, &b)?;
    let instance = b.u8(14)?;
    if instance != 0 {
        let _ = write!(out, ", Instance {instance}");
    }
    if version == 3 {
        let v = p.opts.verbose;
        if decode(v, out, &b, ty, datalen)? || trailer(v, out, &b, ty, datalen, length - datalen)? {
            mark(out, "ospf3");
        }
    }
    Ok(())
}

/// ospf6_print_ls_type: `\n\t    Router LSA (1), Area Local Scope, LSA-ID ...`.
fn ls_type(out: &mut String, b: &Bytes<'_>, t: u16, id_at: usize) -> Printed {
    let id = ip(b, id_at)?;
    let t = u32::from(t);
    let _ = write!(
        out,
        "\n\t    {} LSA ({}), {} Scope{}, LSA-ID {id}",
        tok(LSA_TYPES, t & 0x1fff).unwrap_or("Unknown"),
        t & 0x1fff,
        tok(SCOPES, t & 0x6000).unwrap_or("Unknown"),
        if t & 0x8000 != 0 { ", transitive" } else { "" },
    );
    Ok(())
}

/// ospf6_print_lshdr.
fn lshdr(out: &mut String, b: &Bytes<'_>, at: usize, dataend: usize) -> Cut {
    if at + LSHDR > dataend {
        return Ok(true);
    }
    let router = ip(b, at + 8)?;
    let seq = b.be32(at + 12)?;
    let age = b.be16(at)?;
    // length - sizeof(struct lsa6_hdr) as tcpdump's size_t.
    let len = u64::from(b.be16(at + 18)?).wrapping_sub(LSHDR as u64);
    let _ = write!(
        out,
        "\n\t  Advertising Router {router}, seq 0x{seq:08x}, age {age}s, length {len}"
    );
    ls_type(out, b, b.be16(at + 2)?, at + 4)?;
    Ok(false)
}

/// ospf6_print_lsaprefix: `\n\t\t2001:db8::/64, metric 10`; the bytes it
/// took, `None` where tcpdump returns -1.
fn prefix(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    lsa_length: usize,
) -> Result<Option<usize>, Trunc> {
    if lsa_length < 4 || !b.has(at, 4) {
        return Ok(None);
    }
    let plen = b.u8(at)?;
    let wordlen = usize::from(plen).div_ceil(32);
    if wordlen * 4 > 16 {
        let _ = write!(out, " bogus prefixlen /{plen}");
        return Ok(None);
    }
    if lsa_length - 4 < wordlen * 4 {
        return Ok(None);
    }
    let mut a = [0u8; 16];
    a[..wordlen * 4].copy_from_slice(b.take(at + 4, wordlen * 4)?);
    out.push_str("\n\t\t");
    Ip::push_addr(out, &a);
    let _ = write!(out, "/{plen}");
    let opt = b.u8(at + 1)?;
    if opt != 0 {
        let _ = write!(
            out,
            ", Options [{}]",
            bits(PREFIX_OPTIONS, "none", u32::from(opt))
        );
    }
    let _ = write!(out, ", metric {}", b.be16(at + 2)?);
    Ok(Some(4 + wordlen * 4))
}

/// A run of prefixes (at most `count`, or until the length is used up
/// when `count` is `None`): true where tcpdump gives up.
fn prefixes(
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut left: usize,
    count: Option<u32>,
) -> Cut {
    let mut n = count.unwrap_or(u32::MAX);
    while if count.is_some() { n > 0 } else { left != 0 } {
        match prefix(out, b, at, left)? {
            Some(used) => {
                at += used;
                left -= used;
                n -= 1;
            }
            None => return Ok(true),
        }
    }
    Ok(false)
}

/// ospf6_print_lsa.
fn lsa(out: &mut String, b: &Bytes<'_>, at: usize, dataend: usize) -> Cut {
    if lshdr(out, b, at, dataend)? {
        return Ok(true);
    }
    let length = usize::from(b.be16(at + 18)?);
    if length < LSHDR || at + length > dataend {
        return Ok(true);
    }
    let mut left = length - LSHDR;
    let t = at + LSHDR;
    match b.be16(at + 2)? {
        0x2001 => {
            if left < 4 {
                return Ok(true);
            }
            left -= 4;
            let _ = write!(
                out,
                "\n\t      Options [{}]",
                bits(OPTIONS, "none", b.be32(t)?)
            );
            let _ = write!(
                out,
                ", RLA-Flags [{}]",
                bits(RLA_FLAGS, "none", u32::from(b.u8(t)?))
            );
            let mut l = t + 4;
            while left != 0 {
                if left < 16 {
                    return Ok(true);
                }
                left -= 16;
                if !b.has(l, 16) {
                    return Ok(true);
                }
                let kind = match b.u8(l)? {
                    4 => "Virtual Link: Neighbor Router-ID",
                    1 => "Neighbor Router-ID",
                    2 => "Neighbor Network-ID",
                    x => {
                        let _ = write!(out, "\n\t      Unknown Router Links Type 0x{x:02x}");
                        return Ok(false);
                    }
                };
                let _ = write!(
                    out,
                    "\n\t      {kind} {}\n\t      Neighbor Interface-ID {}, Interface {}",
                    ip(b, l + 12)?,
                    ip(b, l + 8)?,
                    ip(b, l + 4)?
                );
                let _ = write!(out, ", metric {}", b.be16(l + 2)?);
                l += 16;
            }
        }
        0x2002 => {
            if left < 4 {
                return Ok(true);
            }
            left -= 4;
            let _ = write!(
                out,
                "\n\t      Options [{}]",
                bits(OPTIONS, "none", b.be32(t)?)
            );
            out.push_str("\n\t      Connected Routers:");
            let mut a = t + 4;
            while left != 0 {
                if left < 4 {
                    return Ok(true);
                }
                left -= 4;
                let _ = write!(out, "\n\t\t{}", ip(b, a)?);
                a += 4;
            }
        }
        0x2003 => {
            if left < 4 {
                return Ok(true);
            }
            let _ = write!(out, ", metric {}", b.be32(t)? & 0xff_ffff);
            return prefixes(out, b, t + 4, left - 4, None);
        }
        0x4005 => return external(out, b, t, left),
        0x0008 => {
            if left < 4 || !b.has(t, 4) {
                return Ok(true);
            }
            left -= 4;
            let _ = write!(
                out,
                "\n\t      Options [{}]",
                bits(OPTIONS, "none", b.be32(t)?)
            );
            if left < 20 {
                return Ok(true);
            }
            let n = b.be32(t + 20)?;
            let _ = write!(out, "\n\t      Priority {}, Link-local address ", b.u8(t)?);
            Ip::push_addr(out, b.take(t + 4, 16)?);
            let _ = write!(out, ", Prefixes {n}:");
            return prefixes(out, b, t + 24, left - 20, Some(n));
        }
        0x2009 => {
            if left < 4 || !b.has(t + 8, 4) {
                return Ok(true);
            }
            ls_type(out, b, b.be16(t + 2)?, t + 4)?;
            if left - 4 < 2 {
                return Ok(true);
            }
            let n = b.be16(t)?;
            let _ = write!(out, "\n\t      Prefixes {n}:");
            return prefixes(out, b, t + 12, left - 6, Some(u32::from(n)));
        }
        0x000b => return grace(out, b, t, left),
        _ => unknown_data(out, b, t, "\n\t      ", left),
    }
    Ok(false)
}

/// The AS-external LSA: flags, metric, the prefix, then the forwarding
/// address, tag and referenced LS-ID its flags announce.
fn external(out: &mut String, b: &Bytes<'_>, t: usize, left: usize) -> Cut {
    if left < 4 {
        return Ok(true);
    }
    let mut left = left - 4;
    let flags = b.be32(t)?;
    let _ = write!(out, "\n\t     Flags [{}]", bits(ASLA_FLAGS, "none", flags));
    let _ = write!(out, " metric {}", flags & 0xff_ffff);
    let p = t + 4;
    let Some(used) = prefix(out, b, p, left)? else {
        return Ok(true);
    };
    left -= used;
    let mut at = p + used;
    if flags & 0x0200_0000 != 0 {
        if left < 16 {
            return Ok(true);
        }
        left -= 16;
        out.push_str(" forward ");
        Ip::push_addr(out, b.take(at, 16)?);
        at += 16;
    }
    if flags & 0x0100_0000 != 0 {
        if left < 4 {
            return Ok(true);
        }
        left -= 4;
        let _ = write!(out, " tag {}", ip(b, at)?);
        at += 4;
    }
    if b.u8(p + 2)? != 0 {
        if left < 4 {
            return Ok(true);
        }
        let _ = write!(out, " RefLSID: {}", ip(b, at)?);
    }
    Ok(false)
}

/// ospf_grace_lsa_print (the `-vv` form: unknown TLVs print nothing).
fn grace(out: &mut String, b: &Bytes<'_>, mut at: usize, left: usize) -> Cut {
    let mut left = left as u32;
    while left > 0 {
        if !b.has(at, 4) {
            return Ok(true);
        }
        if left < 4 {
            let _ = write!(out, "\n\t    Remaining LS length {left} < 4");
            return Ok(true);
        }
        let (tt, tl) = (b.be16(at)?, u32::from(b.be16(at + 2)?));
        at += 4;
        left -= 4;
        let _ = write!(
            out,
            "\n\t    {} TLV ({tt}), length {tl}, value: ",
            tok(GRACE_TLVS, u32::from(tt)).unwrap_or("unknown")
        );
        if tl > left {
            let _ = write!(out, "\n\t    Bogus length {tl} > {left}");
            return Ok(true);
        }
        if tt == 0 || tl == 0 || !b.has(at, tl as usize) {
            return Ok(true);
        }
        let want = if tt == 2 { 1 } else { 4 };
        if (1..=3).contains(&tt) && tl != want {
            let _ = write!(out, "\n\t    Bogus length {tl} != {want}");
            return Ok(true);
        }
        match tt {
            1 => {
                let _ = write!(out, "{}s", b.be32(at)?);
            }
            2 => {
                let r = b.u8(at)?;
                let name = tok(GRACE_REASONS, u32::from(r)).unwrap_or("Unknown");
                let _ = write!(out, "{name} ({r})");
            }
            3 => out.push_str(&ip(b, at)?),
            _ => {}
        }
        let padded = tl.next_multiple_of(4);
        left = left.wrapping_sub(padded);
        at += padded as usize;
    }
    Ok(false)
}

/// A list of LSA headers from `at` to `dataend` (DD and LS-Ack).
fn lshdrs(out: &mut String, b: &Bytes<'_>, mut at: usize, dataend: usize) -> Cut {
    while at < dataend {
        if lshdr(out, b, at, dataend)? {
            return Ok(true);
        }
        at += LSHDR;
    }
    Ok(false)
}

/// ospf6_decode_v3.
fn decode(v: u8, out: &mut String, b: &Bytes<'_>, ty: u8, dataend: usize) -> Cut {
    match ty {
        1 => {
            let _ = write!(out, "\n\tOptions [{}]", bits(OPTIONS, "none", b.be32(20)?));
            let _ = write!(
                out,
                "\n\t  Hello Timer {}s, Dead Timer {}s, Interface-ID {}, Priority {}",
                b.be16(24)?,
                b.be16(26)?,
                ip(b, 16)?,
                b.u8(20)?
            );
            if b.be32(28)? != 0 {
                let _ = write!(out, "\n\t  Designated Router {}", ip(b, 28)?);
            }
            if b.be32(32)? != 0 {
                let _ = write!(out, ", Backup Designated Router {}", ip(b, 32)?);
            }
            if v > 1 {
                out.push_str("\n\t  Neighbor List:");
                let mut a = 36;
                while a < dataend {
                    let _ = write!(out, "\n\t    {}", ip(b, a)?);
                    a += 4;
                }
            }
        }
        2 => {
            let _ = write!(out, "\n\tOptions [{}]", bits(OPTIONS, "none", b.be32(16)?));
            let _ = write!(
                out,
                ", DD Flags [{}]",
                bits(DD_FLAGS, "none", u32::from(b.u8(23)?))
            );
            let _ = write!(
                out,
                ", MTU {}, DD-Sequence 0x{:08x}",
                b.be16(20)?,
                b.be32(24)?
            );
            if v > 1 {
                return lshdrs(out, b, 28, dataend);
            }
        }
        3 if v > 1 => {
            let mut a = 16;
            while a < dataend {
                if !b.has(a, 12) {
                    return Ok(true);
                }
                let _ = write!(out, "\n\t  Advertising Router {}", ip(b, a + 8)?);
                ls_type(out, b, b.be16(a + 2)?, a + 4)?;
                a += 12;
            }
        }
        4 if v > 1 => {
            // tcpdump counts in an int: a count of 2^31 or more never ends the loop.
            let mut i = b.be32(16)? as i32;
            let mut a = 20;
            while a < dataend {
                let more = i != 0;
                i = i.wrapping_sub(1);
                if !more {
                    break;
                }
                if lsa(out, b, a, dataend)? {
                    return Ok(true);
                }
                a += usize::from(b.be16(a + 18)?);
            }
        }
        5 if v > 1 => return lshdrs(out, b, 16, dataend),
        _ => {}
    }
    Ok(false)
}

/// ospf6_decode_v3_trailer: LLS (when the options announce it) and the
/// authentication trailer after the packet's own length.
fn trailer(v: u8, out: &mut String, b: &Bytes<'_>, ty: u8, dataend: usize, len: usize) -> Cut {
    let lls = match ty {
        1 => b.be32(20)? & 0x200 != 0,
        2 => b.be32(16)? & 0x200 != 0,
        _ => false,
    };
    let mut llslen = 0;
    if lls && len != 0 {
        if len < 4 {
            return Ok(true);
        }
        let _ = write!(out, "\n\tLLS Checksum 0x{:04x}", b.be16(dataend)?);
        let dl = usize::from(b.be16(dataend + 2)?);
        let _ = write!(out, ", Data Length {dl}");
        if dl < 4 || dl > len || !b.has(dataend + 4, dl - 4) {
            return Ok(true);
        }
        llslen = dl;
    }
    let (at, len) = (dataend + llslen, len - llslen);
    if len == 0 {
        return Ok(false);
    }
    if len < 16 {
        return Ok(true);
    }
    let at_type = b.be16(at)?;
    match at_type {
        1 => out.push_str("\n\tAuthentication Type HMAC"),
        _ => {
            let _ = write!(out, "\n\tAuthentication Type unknown (0x{at_type:04x})");
        }
    }
    let alen = usize::from(b.be16(at + 2)?);
    let _ = write!(out, ", Length {alen}");
    if alen < 16 || alen > len {
        return Ok(true);
    }
    let _ = write!(out, ", SAID {}", b.be16(at + 6)?);
    let _ = write!(out, ", CSN 0x{:08x}", b.be32(at + 8)?);
    let _ = write!(out, ":{:08x}", b.be32(at + 12)?);
    if !b.has(at + 16, alen - 16) {
        return Ok(true);
    }
    if v > 1 {
        unknown_data(out, b, at + 16, "\n\tAuthentication Data ", alen - 16);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use crate::linktype::LinkType;
    use crate::packet::Packet;

    /// An LS update announcing 2^32 - 1 LSAs over 64 KiB of minimal ones
    /// ends at the IPv6 payload's end.
    #[test]
    fn a_huge_lsa_count_ends_with_the_payload() {
        let mut ospf = vec![3, 4, 0, 0, 198, 18, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
        ospf.extend_from_slice(&u32::MAX.to_be_bytes());
        while ospf.len() + 24 <= 65_000 {
            ospf.extend_from_slice(&[0, 1, 0x20, 2, 0, 0, 0, 5, 198, 18, 0, 1]);
            ospf.extend_from_slice(&[0x80, 0, 0, 1, 0, 0, 0, 24, 0, 0, 0, 0]);
        }
        let n = u16::try_from(ospf.len()).unwrap();
        ospf[2..4].copy_from_slice(&n.to_be_bytes());
        let mut frame = vec![
            0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x86, 0xdd, 0x60, 0, 0, 0,
        ];
        frame.extend_from_slice(&n.to_be_bytes());
        frame.extend_from_slice(&[89, 1]);
        frame.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        frame.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
        frame.extend_from_slice(&ospf);
        let mut p = crate::decode::text::Printer::new(crate::decode::text::TextOptions {
            verbose: 2,
            numeric: true,
            ..Default::default()
        });
        let pk = Packet::new(0, &frame, frame.len() as u32);
        let text = p.format(LinkType::Ethernet, &pk);
        assert!(text.contains("OSPFv3, LS-Update, length"));
        assert_eq!(text.matches("Network LSA (2)").count(), (65_000 - 20) / 24);
        assert!(!text.contains("[|ospf3]"));
    }
}
