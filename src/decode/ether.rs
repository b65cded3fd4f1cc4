//! Ethernet II and 802.3 frames with their 802.1Q / 802.1ad tags
//! (print-ether.c): the header's parsed value, the tag walk, and the link
//! header line `-e` prints (`src > dst, ethertype IPv4 (0x0800), length N: `).

use super::num::mac;
use super::text::Printer;
use super::{Link, Summary};
use crate::packet::Packet;
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

/// The link header as tcpdump prints it before the network layer: always
/// with `-e`, and without it for EtherTypes that have no printer here.
pub(super) fn print_header(p: &mut Printer, out: &mut String, s: &Summary<'_>, pk: &Packet<'_>) {
    let Link::Ethernet {
        src,
        dst,
        ethertype,
    } = &s.link
    else {
        return;
    };
    let e = p.opts.link_header;
    // EtherTypes rawcap decodes; for others tcpdump shows the
    // link header even without -e.
    let inner = s.vlans.last().map_or(*ethertype, |v| v.ethertype);
    let known =
        matches!(inner, 0x0800 | 0x86dd | 0x0806 | 0x8035) || (s.truncated == Some("vlan") && !e);
    if e || !known {
        let n = p.opts.numeric;
        let _ = write!(out, "{} > {}, ", mac_name(src, n), mac_name(dst, n));
        let q = p.opts.quiet;
        if s.truncated == Some("vlan") && s.vlans.is_empty() {
            // ether_print reads the tag before naming the type.
            p.early_end = true;
        } else if *ethertype < 0x600 {
            let _ = write!(out, "802.3, length {}: ", pk.wire_len);
        } else {
            let _ = write!(
                out,
                "{}, length {}: ",
                ethertype_text(*ethertype, q),
                pk.wire_len
            );
        }
    }
    for (i, v) in s.vlans.iter().enumerate() {
        if e || !known {
            let _ = write!(out, "vlan {}, p {}", v.id, v.pcp);
            if v.dei {
                out.push_str(", DEI");
            }
            // Before a cut tag tcpdump has not named the type yet.
            let next_cut = s.truncated == Some("vlan") && i + 1 == s.vlans.len();
            if next_cut {
                out.push_str(", ");
            } else {
                let _ = write!(out, ", {}, ", ethertype_text(v.ethertype, p.opts.quiet));
            }
        }
    }
}

/// A MAC address as tcpdump prints it: with `-n` plain, without it
/// followed by the vendor from tcpdump's small OUI table.
pub(super) fn mac_name(a: &[u8], numeric: bool) -> String {
    let mut s = mac(a);
    if !numeric && a.len() == 6 {
        let oui = u32::from_be_bytes([0, a[0], a[1], a[2]]);
        let vendor = match oui {
            0x00_0000 => "Ethernet",
            0x00_000c => "Cisco",
            0x00_00f8 => "Cisco",
            0x00_0142 => "Cisco",
            0x00_0d3a => "Microsoft",
            0x00_8037 => "Ericsson",
            0x00_80c2 => "IEEE 802.1",
            0x00_120f => "IEEE 802.3",
            0x00_e02b => "Extreme",
            0x00_14b9 => "Juniper",
            0x00_0d9d => "Hewlett-Packard",
            0x00_1018 => "Broadcom",
            0x00_1b19 => "IEEE C37.238",
            0x00_0fac => "IEEE 802.11",
            0x00_1394 => "Hirschmann",
            0x00_19a7 => "ITU-T",
            0x00_2309 => "ONF",
            0x00_0bfe => "Avaya",
            0x00_3056 => "Hirschmann",
            _ => "Unknown",
        };
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
