//! Geneve (print-geneve.c): `Geneve, Flags [C], vni 0x1234, options [...]`,
//! then the payload by its EtherType (an Ethernet frame for 0x6558), and
//! the JSON facts (VNI, protocol, options, the inner frame's fields).

use super::dispatch::{self, Segment};
use super::ether;
use super::json::Obj;
use super::nd::{bittok, Tok};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use crate::LinkType;
use core::fmt::Write;

const FLAGS: &Tok = &[
    (0x80, "O"),
    (0x40, "C"),
    (0x20, "R1"),
    (0x10, "R2"),
    (0x08, "R3"),
    (0x04, "R4"),
    (0x02, "R5"),
    (0x01, "R6"),
];

/// The owner of an option class (format_opt_class).
fn class_name(c: u16) -> &'static str {
    match c {
        0x0100 => "Linux",
        0x0101 => "Open vSwitch",
        0x0102 => "Open Virtual Networking (OVN)",
        0x0103 => "In-band Network Telemetry (INT)",
        0x0104 => "VMware",
        0..=0xff => "Standard",
        0xfff0.. => "Experimental",
        _ => "Unknown",
    }
}

/// geneve_opts_print (the caller checked that the options were captured).
fn options(out: &mut String, b: &Bytes<'_>, mut at: usize, mut len: usize, v: u8) -> Printed {
    let mut sep = "";
    // Options are multiples of 4 bytes in a multiple of 4: `len` is 0 or >= 4.
    while len >= 4 {
        out.push_str(sep);
        sep = ", ";
        let class = b.be16(at)?;
        let ty = b.u8(at + 2)?;
        let olen = 4 + usize::from(b.u8(at + 3)? & 0x1f) * 4;
        let _ = write!(
            out,
            "class {} (0x{class:x}) type 0x{ty:x}{} len {olen}",
            class_name(class),
            if ty & 0x80 != 0 { "(C)" } else { "" }
        );
        if olen > len {
            out.push_str(" [bad length]");
            return Ok(());
        }
        if v > 1 && olen > 4 {
            out.push_str(" data");
            for k in (4..olen).step_by(4) {
                let _ = write!(out, " {:08x}", b.be32(at + k)?);
            }
        } else {
            b.take(at, olen)?;
        }
        at += olen;
        len -= olen;
    }
    Ok(())
}

/// geneve_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "geneve");
    out.push_str("Geneve");
    let mut len = seg.len;
    if len < 8 {
        let _ = write!(out, " [length {len} < 8] (invalid)");
        return Ok(());
    }
    if !b.has(0, 8) {
        // ND_TCHECK_LEN and nd_print_trunc: no longjmp.
        mark(out, "geneve");
        return Ok(());
    }
    let ver_opt = b.u8(0)?;
    let version = ver_opt >> 6;
    if version != 0 {
        let _ = write!(out, " ERROR: unknown-version {version}");
        return Ok(());
    }
    let flags = b.u8(1)?;
    let prot = b.be16(2)?;
    let vni = b.be24(4)?;
    let reserved = b.u8(7)?;
    len -= 8;
    out.push_str(", Flags [");
    bittok(out, FLAGS, "none", u32::from(flags), "");
    let _ = write!(out, "], vni 0x{vni:x}");
    if reserved != 0 {
        let _ = write!(out, ", rsvd 0x{reserved:x}");
    }
    if p.opts.link_header {
        let name = ether::ethertype_name(prot);
        let name = if name == "Unknown" { "unknown" } else { name };
        let _ = write!(out, ", proto {name} (0x{prot:04x})");
    }
    let opts_len = usize::from(ver_opt & 0x3f) * 4;
    if len < opts_len {
        let _ = write!(out, " truncated-geneve - {} bytes missing", opts_len - len);
        return Ok(());
    }
    if !b.has(8, opts_len) {
        // ND_TCHECK_LEN, then nd_print_trunc: no longjmp.
        mark(out, "geneve");
        return Ok(());
    }
    if opts_len > 0 {
        out.push_str(", options [");
        if p.opts.verbose > 0 {
            options(out, &b, 8, opts_len, p.opts.verbose)?;
        } else {
            let _ = write!(out, "{opts_len} bytes");
        }
        out.push(']');
    }
    len -= opts_len;
    out.push_str(if p.opts.verbose < 1 { ": " } else { "\n\t" });
    let inner = &seg.data[8 + opts_len..];
    if !dispatch::ethertype_print(p, out, prot, inner, len)? {
        if prot == 0x6558 {
            ether::print(p, out, inner, len)?;
        } else {
            let _ = write!(out, "geneve-proto-0x{prot:x}");
            b.take(8 + opts_len, len)?;
        }
    }
    Ok(())
}

/// JSON: `"geneve":{vni, protocol, flags, options_len, inner:{...}}`.
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(h) = seg.data.get(..8) else {
        return;
    };
    let vni = u32::from_be_bytes([0, h[4], h[5], h[6]]);
    let prot = u16::from_be_bytes([h[2], h[3]]);
    let opts_len = usize::from(h[0] & 0x3f) * 4;
    o.object("geneve", |j| {
        j.num("vni", vni);
        j.num("protocol", prot);
        j.num("flags", h[1]);
        j.num("options_len", opts_len);
        let lt = match prot {
            0x6558 => Some(LinkType::Ethernet),
            0x0800 | 0x86dd => Some(LinkType::Raw),
            _ => None,
        };
        if let (Some(lt), Some(frame)) = (lt, seg.data.get(8 + opts_len..)) {
            super::vxlan::inner(j, lt, frame);
        }
    });
}
