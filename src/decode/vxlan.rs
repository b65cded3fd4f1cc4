//! VXLAN and VXLAN-GPE (print-vxlan.c, print-vxlan-gpe.c): the header
//! line, then the inner frame printed as a frame of its own (its link
//! header with `-e`), and the JSON facts (VNI, flags, the inner frame's
//! fields).

use super::dispatch::Segment;
use super::json::Obj;
use super::nd::bittok;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use super::{ether, ip, ip6, json};
use crate::LinkType;
use core::fmt::Write;

/// vxlan_print: `VXLAN, flags [I] (0x08), vni 100`, a newline, the frame.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "vxlan");
    out.push_str("VXLAN");
    if seg.len < 8 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let flags = b.u8(0)?;
    out.push_str(", flags [");
    bittok(out, &[(0x08, "I")], "invalid", u32::from(flags), "");
    let _ = write!(out, "] (0x{flags:02x}), ");
    let vni = b.be24(4)?;
    let _ = writeln!(out, "vni {vni}");
    b.u8(7)?;
    ether::print(p, out, &seg.data[8..], seg.len.saturating_sub(8))?;
    Ok(())
}

const GPE_FLAGS: &super::nd::Tok = &[(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")];

/// vxlan_gpe_print: `VXLAN-GPE, flags [IP], vni 100: ` and the payload by
/// its next-protocol field (IPv4, IPv6, Ethernet).
pub(super) fn print_gpe(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "vxlan_gpe");
    out.push_str("VXLAN-GPE, ");
    if seg.len < 8 {
        let _ = write!(out, " (len {} < 8) (invalid)", seg.len);
        return Ok(());
    }
    let flags = b.u8(0)?;
    out.push_str("flags [");
    bittok(out, GPE_FLAGS, "none", u32::from(flags), "");
    out.push_str("], ");
    let next = b.u8(3)?;
    // 4.99.3 reads the VNI word with its reserved byte.
    b.take(4, 4)?;
    let _ = write!(out, "vni {}", b.be24(4)?);
    let len = seg.len.saturating_sub(8);
    out.push_str(if p.opts.verbose > 0 { "\n    " } else { ": " });
    let inner = &seg.data[8..];
    match next {
        1 => ip::print_packet(p, out, inner, len)?,
        2 => ip6::print_packet(p, out, inner, len)?,
        3 => {
            ether::print(p, out, inner, len)?;
        }
        4 => super::nsh::print(p, out, inner, len)?,
        _ => out.push_str("ERROR: unknown-next-protocol (invalid)"),
    }
    Ok(())
}

/// JSON: `"vxlan":{vni, flags, inner:{...}}` (the inner frame's fields as
/// the packet's own).
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(h) = seg.data.get(..8) else {
        return;
    };
    let vni = u32::from_be_bytes([0, h[4], h[5], h[6]]);
    o.object("vxlan", |j| {
        j.num("vni", vni);
        j.num("flags", h[0]);
        inner(j, LinkType::Ethernet, &seg.data[8..]);
    });
}

/// JSON for VXLAN-GPE: `"vxlan_gpe":{vni, flags, next_protocol, inner}`.
pub(super) fn json_gpe(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(h) = seg.data.get(..8) else {
        return;
    };
    let vni = u32::from_be_bytes([0, h[4], h[5], h[6]]);
    o.object("vxlan_gpe", |j| {
        j.num("vni", vni);
        j.num("flags", h[0]);
        j.num("next_protocol", h[3]);
        let lt = match h[3] {
            1 | 2 => Some(LinkType::Raw),
            3 => Some(LinkType::Ethernet),
            _ => None,
        };
        if let Some(lt) = lt.filter(|_| h[0] & 0x01 == 0) {
            inner(j, lt, &seg.data[8..]);
        }
    });
}

/// How many tunnels deep JSON follows inner frames: JSON parsers refuse
/// deep nesting (serde_json and jq stop at 128 levels), and a 64 KiB
/// datagram can hold over a thousand nested VXLAN frames.
const MAX_INNER: u8 = 8;

std::thread_local! {
    static DEPTH: core::cell::Cell<u8> = const { core::cell::Cell::new(0) };
}

/// `"inner":{...}`: an encapsulated frame's fields, as the packet's own
/// (left out below [`MAX_INNER`] tunnels).
pub(super) fn inner(o: &mut Obj<'_>, linktype: LinkType, frame: &[u8]) {
    let depth = DEPTH.with(|d| d.get());
    if depth >= MAX_INNER {
        return;
    }
    let s = super::summarize(linktype, frame);
    DEPTH.with(|d| d.set(depth + 1));
    o.object("inner", |j| json::fields(j, &s));
    DEPTH.with(|d| d.set(depth));
}
