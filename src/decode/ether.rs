//! Ethernet II and 802.3 frames with their 802.1Q / 802.1ad tags
//! (print-ether.c): the header's parsed value, the tag walk, and the link
//! header line `-e` prints (`src > dst, ethertype IPv4 (0x0800), length N: `).

use super::num::mac;
use super::text::Printer;
use super::trunc::{mark, Bytes, Trunc};
use super::{dispatch, llc, Link, Summary};
use crate::proto::EtherType;
use core::fmt::Write;
use etherparse::{Ethernet2HeaderSlice, SingleVlanHeaderSlice};

/// One 802.1Q / 802.1ad tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vlan {
    /// The tag protocol identifier (0x8100, 0x88a8, 0x9100).
    pub tpid: u16,
    /// VLAN id.
    pub id: u16,
    /// Priority code point.
    pub pcp: u8,
    /// Drop eligible indicator.
    pub dei: bool,
    /// The EtherType after this tag.
    pub ethertype: u16,
}

/// Reads the Ethernet header and its VLAN tags into `s`: the EtherType
/// after them and where the network layer starts, or `None` when the
/// header or a tag is cut off.
pub(super) fn parse(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    let Ok(eth) = Ethernet2HeaderSlice::from_slice(data) else {
        s.truncated = Some("ether");
        return None;
    };
    let et = eth.ether_type().0;
    s.link = Link::Ethernet {
        src: eth.source(),
        dst: eth.destination(),
        ethertype: et,
    };
    let mut et = et;
    let mut off = 14;
    while matches!(
        EtherType::from_raw(et),
        EtherType::Vlan | EtherType::QinQ | EtherType::Vlan9100
    ) && s.vlans.len() < 8
    {
        let Ok(v) = SingleVlanHeaderSlice::from_slice(&data[off..]) else {
            s.truncated = Some("vlan");
            s.link_len = off;
            return None;
        };
        let tag = Vlan {
            tpid: et,
            id: v.vlan_identifier().value(),
            pcp: v.priority_code_point().value(),
            dei: v.drop_eligible_indicator(),
            ethertype: v.ether_type().0,
        };
        et = tag.ethertype;
        s.vlans.push(tag);
        off += 4;
    }
    Some((et, off))
}

/// print-ether.c's ether_common_print: an Ethernet frame of `length` bytes
/// on the wire, `data` of them captured. Returns the link header's length
/// (what `-x` skips): the addresses, tags, type and any LLC header.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<usize, Trunc> {
    let caplen = data.len();
    if length < caplen {
        let _ = write!(out, "[length {length} < caplen {caplen}] (invalid)");
        return Ok(length);
    }
    if caplen < 14 {
        mark(out, "ether");
        return Ok(caplen);
    }
    let e = p.opts.link_header;
    let mut dst = [0u8; 6];
    let mut src = [0u8; 6];
    dst.copy_from_slice(&data[..6]);
    src.copy_from_slice(&data[6..12]);
    p.lladdr = Some((src, dst));
    if e {
        addresses(p, out, &src, &dst);
    }
    let mut b = Bytes::new(data, "ether");
    let orig_length = length;
    let mut off = 12;
    let mut length = length - 12;
    // print-ether.c's `recurse:` label: an Arista header is followed by
    // another EtherType (and tags).
    loop {
        let mut length_type = b.be16(off)?;
        off += 2;
        length -= 2;
        let mut printed_length = false;
        while matches!(
            EtherType::from_raw(length_type),
            EtherType::Vlan | EtherType::Vlan9100 | EtherType::Vlan9200 | EtherType::QinQ
        ) {
            let caplen = data.len() - off;
            if caplen < 4 {
                mark(out, "vlan");
                return Ok(off + caplen);
            }
            if length < 4 {
                mark(out, "vlan");
                return Ok(off + length);
            }
            if e {
                let tag = b.be16(off)?;
                type_text(p, out, length_type);
                if !printed_length {
                    let _ = write!(out, ", length {orig_length}: ");
                    printed_length = true;
                } else {
                    out.push_str(", ");
                }
                tci(out, tag);
                out.push_str(", ");
            }
            length_type = b.be16(off + 2)?;
            off += 4;
            length -= 4;
        }
        let rest = &data[off..];
        if length_type <= MAX_LENGTH_VAL {
            // An 802.3 length: the payload ends there (padding is not LLC).
            let (mut length, mut rest) = (length, rest);
            if usize::from(length_type) < length {
                length = usize::from(length_type);
                rest = &rest[..length.min(rest.len())];
            }
            if e {
                out.push_str("802.3");
                if !printed_length {
                    let _ = write!(out, ", length {length}: ");
                }
            }
            return Ok(off + llc_or_default(p, out, rest, length)?);
        }
        if EtherType::from_raw(length_type) == EtherType::Jumbo {
            return Ok(off + llc_or_default(p, out, rest, length)?);
        }
        if EtherType::from_raw(length_type) == EtherType::Arista {
            if rest.len() < 2 || length < 2 {
                out.push_str("[|arista]");
                return Ok(off + rest.len().min(length));
            }
            type_text(p, out, length_type);
            let _ = write!(out, ", length {orig_length}: ");
            match super::arista::print(out, &b, off)? {
                Some(n) => {
                    // tcpdump's protocol name stays "arista" for the
                    // fields read after it.
                    b = b.named("arista");
                    off += n;
                    length = length.saturating_sub(n);
                    continue;
                }
                None => {
                    if !e {
                        addresses(p, out, &src, &dst);
                        type_text(p, out, length_type);
                        let _ = write!(out, ", length {orig_length}: ");
                    }
                    p.default_print(out, rest);
                    return Ok(off);
                }
            }
        }
        if e {
            type_text(p, out, length_type);
            if !printed_length {
                let _ = write!(out, ", length {orig_length}: ");
            } else {
                out.push_str(", ");
            }
        }
        if !dispatch::ethertype_print(p, out, length_type, rest, length)? {
            if !e {
                addresses(p, out, &src, &dst);
                type_text(p, out, length_type);
                let _ = write!(out, ", length {orig_length}: ");
            }
            p.default_print(out, rest);
        }
        return Ok(off);
    }
}

/// The largest 802.3 length field; larger values are EtherTypes.
pub(super) const MAX_LENGTH_VAL: u16 = 1500;

/// An LLC header and what follows it, or the default print when print-llc.c
/// does not know it; the LLC header's length.
fn llc_or_default(
    p: &mut Printer,
    out: &mut String,
    rest: &[u8],
    length: usize,
) -> Result<usize, Trunc> {
    let n = llc::print(p, out, rest, length)?;
    if n < 0 {
        p.default_print(out, rest);
    }
    Ok(n.unsigned_abs())
}

/// `src > dst, `.
fn addresses(p: &Printer, out: &mut String, src: &[u8], dst: &[u8]) {
    let n = p.opts.numeric;
    out.push_str(&mac_name(src, n));
    out.push_str(" > ");
    out.push_str(&mac_name(dst, n));
    out.push_str(", ");
}

/// `ethertype IPv4 (0x0800)`, with `-q` just `IPv4`.
pub(super) fn type_text(p: &Printer, out: &mut String, t: u16) {
    out.push_str(&ethertype_text(t, p.opts.quiet));
}

/// An 802.1Q tag control word: `vlan 5, p 3` and `, DEI` when set.
pub(super) fn tci(out: &mut String, tci: u16) {
    let _ = write!(out, "vlan {}, p {}", tci & 0xfff, tci >> 13);
    if tci & 0x1000 != 0 {
        out.push_str(", DEI");
    }
}

/// A MAC address as tcpdump prints it: with `-n` plain, without it
/// followed by the vendor from tcpdump's OUI table.
pub(super) fn mac_name(a: &[u8], numeric: bool) -> String {
    let mut s = mac(a);
    if !numeric && a.len() == 6 {
        let oui = u32::from_be_bytes([0, a[0], a[1], a[2]]);
        let vendor = super::oui::name(oui);
        s.push_str(" (oui ");
        s.push_str(vendor);
        s.push(')');
    }
    s
}

/// An EtherType as the Ethernet header line shows it:
/// `ethertype IPv4 (0x0800)`, with `-q` just `IPv4`.
pub(super) fn ethertype_text(t: u16, quiet: bool) -> String {
    let name = ethertype_name(t);
    match (quiet, name) {
        (true, "Unknown") => format!("Unknown Ethertype (0x{t:04x})"),
        (true, _) => name.to_string(),
        (false, _) => format!("ethertype {name} (0x{t:04x})"),
    }
}

/// tcpdump's name for an EtherType (print-ether.c's table), "Unknown" if none.
pub fn ethertype_name(t: u16) -> &'static str {
    EtherType::from_raw(t).name().unwrap_or("Unknown")
}
