//! Linux cooked captures, LINUX_SLL (v1) and LINUX_SLL2 (print-sll.c):
//! what `-i any` writes. The header's fields come from [`crate::linktype`]'s
//! offsets.

use super::ether::ethertype_name;
use super::num::be16;
use super::text::Printer;
use super::{Link, Summary};
use crate::linktype::{sll, sll2};
use crate::packet::Packet;
use core::fmt::Write;

/// Reads a LINUX_SLL header: the protocol and the network layer's offset.
pub(super) fn parse_v1(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    if data.len() < sll::HDR_LEN {
        s.truncated = Some("sll");
        return None;
    }
    let alen = usize::from(be16(data, sll::HALEN).unwrap_or(0)).min(8);
    let proto = be16(data, sll::PROTOCOL).unwrap_or(0);
    s.link = Link::Sll {
        pkttype: be16(data, sll::PKTTYPE).unwrap_or(0),
        hatype: be16(data, sll::HATYPE).unwrap_or(0),
        addr: data[sll::ADDR..sll::ADDR + alen].to_vec(),
        protocol: proto,
    };
    Some((proto, sll::HDR_LEN))
}

/// Reads a LINUX_SLL2 header: the protocol and the network layer's offset.
pub(super) fn parse_v2(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    if data.len() < sll2::HDR_LEN {
        s.truncated = Some("sll2");
        return None;
    }
    let alen = usize::from(data[sll2::HALEN]).min(8);
    let proto = be16(data, sll2::PROTOCOL).unwrap_or(0);
    s.link = Link::Sll {
        pkttype: u16::from(data[sll2::PKTTYPE]),
        hatype: be16(data, sll2::HATYPE).unwrap_or(0),
        addr: data[sll2::ADDR..sll2::ADDR + alen].to_vec(),
        protocol: proto,
    };
    Some((proto, sll2::HDR_LEN))
}

/// The `-e` header of a cooked frame.
pub(super) fn print_header(p: &Printer, out: &mut String, s: &Summary<'_>, pk: &Packet<'_>) {
    let Link::Sll {
        pkttype,
        addr,
        protocol,
        ..
    } = &s.link
    else {
        return;
    };
    if p.opts.link_header {
        let dir = match pkttype {
            0 => "In",
            1 => "B",
            2 => "M",
            3 => "P",
            4 => "Out",
            _ => "?",
        };
        let a: Vec<String> = addr.iter().map(|b| format!("{b:02x}")).collect();
        let _ = write!(
            out,
            "{dir:>3} {} ethertype {} (0x{protocol:04x}), length {}: ",
            a.join(":"),
            ethertype_name(*protocol),
            pk.wire_len
        );
    }
}
