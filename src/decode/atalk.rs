//! AppleTalk over Ethernet (print-atalk.c): DDP (EtherType 0x809b, or
//! SNAP with Apple's OUI) with NBP, ATP and EIGRP decoded and the other
//! DDP types by name, and AARP (EtherType 0x80f3). Addresses print as
//! numbers: tcpdump 4.99.3 never reads /etc/atalk.names (its `first` flag
//! starts set), so `-n` only changes the socket names.

use super::ether::mac_name;
use super::nd::{tok, Tok};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use super::util::print_char;
use core::fmt::Write;

/// The DDP header (struct atDDP without padding).
const DDP_SIZE: usize = 13;
/// The ATP header.
const ATP_SIZE: usize = 8;
/// The NBP header before its tuples, and a tuple's fixed part.
const NBP_HDR: usize = 2;
const NBP_TUPLE: usize = 5;
/// struct aarp.
const AARP_SIZE: usize = 28;

const DDP_TYPES: &Tok = &[
    (1, "rtmp"),
    (5, "rtmpReq"),
    (4, "echo"),
    (22, "IP"),
    (23, "ARP"),
    (0x4b, "KLAP"),
];
const SOCKETS: &Tok = &[(1, "rtmp"), (2, "nis"), (4, "echo"), (6, "zip")];

/// ataddr_string: `NET.NODE`, or `NET` for node 255.
fn push_addr(out: &mut String, net: u16, node: u8) {
    if node == 255 {
        let _ = write!(out, "{net}");
    } else {
        let _ = write!(out, "{net}.{node}");
    }
}

/// ddpskt_string.
fn push_socket(p: &Printer, out: &mut String, skt: u8) {
    match tok(SOCKETS, u32::from(skt)).filter(|_| !p.opts.numeric) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "{skt}");
        }
    }
}

/// atalk_print: a DDP datagram.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    if p.opts.verbose > 0 {
        // ethertype_print's prefix for EtherTalk phase 1.
        out.push_str("et1 ");
    }
    if !p.opts.link_header {
        out.push_str("AT ");
    }
    let b = Bytes::new(data, "atalk");
    if length < DDP_SIZE {
        let _ = write!(out, " [|ddp {length}]");
        return Ok(());
    }
    if !b.has(0, DDP_SIZE) {
        out.push_str(" [|ddp]");
        return Ok(());
    }
    let snet = b.be16(6)?;
    let (snode, sskt) = (b.u8(9)?, b.u8(11)?);
    push_addr(out, snet, snode);
    out.push('.');
    push_socket(p, out, sskt);
    out.push_str(" > ");
    push_addr(out, b.be16(4)?, b.u8(8)?);
    out.push('.');
    push_socket(p, out, b.u8(10)?);
    out.push_str(": ");
    let body = b.from(DDP_SIZE);
    let length = length - DDP_SIZE;
    match b.u8(12)? {
        2 => nbp(out, &body, length, (snet, snode, sskt)),
        3 => atp(out, &body, length),
        88 => super::eigrp::print_bytes(p, out, body.data(), length),
        t => {
            out.push_str(" at-");
            match tok(DDP_TYPES, u32::from(t)) {
                Some(name) => out.push_str(name),
                None => {
                    let _ = write!(out, "#{t}");
                }
            }
            let _ = write!(out, " {length}");
            Ok(())
        }
    }
}

/// atp_bitmap_print: `<0-3>` for a run from bit 0, else `<1,4>`.
fn bitmap(out: &mut String, bm: u8) {
    if (u16::from(bm) + 1) & u16::from(bm) != 0 {
        let mut c = '<';
        for i in 0..8 {
            if bm >> i & 1 != 0 {
                let _ = write!(out, "{c}{i}");
                c = ',';
            }
        }
        out.push('>');
    } else {
        let n = 8 - bm.leading_zeros();
        if n > 1 {
            let _ = write!(out, "<0-{}>", n - 1);
        } else {
            out.push_str("<0>");
        }
    }
}

/// The flags in `control` among XO, EOM and STS (those in `which`), as
/// `{lead}[XO,STS]`; nothing when none is set.
fn flags(out: &mut String, control: u8, which: u8, lead: &str) {
    let names = [(0x20, "XO"), (0x10, "EOM"), (0x08, "STS")];
    let mut c = '[';
    for (bit, name) in names {
        if control & which & bit != 0 {
            if c == '[' {
                out.push_str(lead);
            }
            let _ = write!(out, "{c}{name}");
            c = ',';
        }
    }
    if c == ',' {
        out.push(']');
    }
}

/// atp_print.
fn atp(out: &mut String, b: &Bytes<'_>, length: usize) -> Printed {
    if !b.has(0, ATP_SIZE) {
        mark(out, "atalk");
        return Ok(());
    }
    if length < ATP_SIZE {
        let _ = write!(out, " [|atp {length}]");
        return Ok(());
    }
    let length = length - ATP_SIZE;
    let control = b.u8(0)?;
    let tid = b.be16(2)?;
    match control & 0xc0 {
        0x40 => {
            let _ = write!(
                out,
                " atp-req{} {tid}",
                if control & 0x20 != 0 { " " } else { "*" }
            );
            bitmap(out, b.u8(1)?);
            if length != 0 {
                let _ = write!(out, " [len={length}]");
            }
            flags(out, control, 0x18, " ");
        }
        0x80 => {
            let _ = write!(
                out,
                " atp-resp{}{tid}:{} ({length})",
                if control & 0x10 != 0 { "*" } else { " " },
                b.u8(1)?
            );
            flags(out, control, 0x28, " ");
        }
        0xc0 => {
            let _ = write!(out, " atp-rel  {tid}");
            bitmap(out, b.u8(1)?);
            if length != 0 {
                let _ = write!(out, " [len={length}]");
            }
            flags(out, control, 0x38, "");
        }
        _ => {
            let _ = write!(out, " atp-0x{control:x}  {tid} ({length})");
        }
    }
    let data = b.be32(4)?;
    if data != 0 {
        let _ = write!(out, " 0x{data:x}");
    }
    Ok(())
}

/// print_cstring: a counted string of at most 32 characters; the
/// position after it, `None` where tcpdump returns NULL.
fn cstring(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
) -> Result<Option<usize>, super::trunc::Trunc> {
    if !b.has(at, 1) {
        mark(out, "atalk");
        return Ok(None);
    }
    let n = usize::from(b.u8(at)?);
    if n > 32 {
        let _ = write!(out, "[len={n}]");
        return Ok(None);
    }
    for i in 0..n {
        if !b.has(at + 1 + i, 1) {
            mark(out, "atalk");
            return Ok(None);
        }
        print_char(out, b.u8(at + 1 + i)?);
    }
    Ok(Some(at + 1 + n))
}

/// nbp_name_print: ` "object:type@zone"`; the position after the name.
fn name(
    out: &mut String,
    b: &Bytes<'_>,
    tuple: usize,
) -> Result<Option<usize>, super::trunc::Trunc> {
    out.push_str(" \"");
    let Some(at) = cstring(out, b, tuple + NBP_TUPLE)? else {
        return Ok(None);
    };
    out.push(':');
    let Some(at) = cstring(out, b, at)? else {
        return Ok(None);
    };
    out.push('@');
    let Some(at) = cstring(out, b, at)? else {
        return Ok(None);
    };
    out.push('"');
    Ok(Some(at))
}

/// nbp_print; `src` the datagram's source network, node and socket.
fn nbp(out: &mut String, b: &Bytes<'_>, length: usize, src: (u16, u8, u8)) -> Printed {
    let (snet, snode, sskt) = src;
    if length < NBP_HDR {
        let _ = write!(out, " truncated-nbp {length}");
        return Ok(());
    }
    if length - NBP_HDR < 8 {
        let _ = write!(out, " truncated-nbp {length}");
        return Ok(());
    }
    if b.len() < NBP_HDR {
        mark(out, "atalk");
        return Ok(());
    }
    let control = b.u8(0)?;
    let id = b.u8(1)?;
    let tp = NBP_HDR;
    match control & 0xf0 {
        kind @ (0x10 | 0x20) => {
            let _ = write!(
                out,
                "{} {id}:",
                if kind == 0x20 {
                    " nbp-lkup"
                } else {
                    " nbp-brRq"
                }
            );
            if !b.has(tp, NBP_TUPLE) {
                mark(out, "atalk");
                return Ok(());
            }
            name(out, b, tp)?;
            if control & 0xf != 1 {
                let _ = write!(out, " [ntup={}]", control & 0xf);
            }
            let enumerator = b.u8(tp + 4)?;
            if enumerator != 0 {
                let _ = write!(out, " [enum={enumerator}]");
            }
            let (net, node, skt) = (b.be16(tp)?, b.u8(tp + 2)?, b.u8(tp + 3)?);
            if net != snet || node != snode || skt != sskt {
                out.push_str(" [addr=");
                push_addr(out, net, node);
                let _ = write!(out, ".{skt}]");
            }
        }
        0x30 => {
            let _ = write!(out, " nbp-reply {id}:");
            let mut tp = Some(tp);
            let mut i = control & 0xf;
            while i != 0 {
                let Some(at) = tp else { break };
                tp = tuple(out, b, at, src)?;
                i -= 1;
            }
        }
        _ => {
            let _ = write!(out, " nbp-0x{control:x}  {id} ({})", length - NBP_HDR);
        }
    }
    Ok(())
}

/// nbp_tuple_print: one tuple of a reply; where the next one starts.
fn tuple(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    (snet, snode, sskt): (u16, u8, u8),
) -> Result<Option<usize>, super::trunc::Trunc> {
    if !b.has(at, NBP_TUPLE) {
        mark(out, "atalk");
        return Ok(None);
    }
    let next = name(out, b, at)?;
    let enumerator = b.u8(at + 4)?;
    if enumerator != 1 {
        let _ = write!(out, "({enumerator})");
    }
    let skt = b.u8(at + 3)?;
    if skt != sskt {
        let _ = write!(out, " {skt}");
    }
    let (net, node) = (b.be16(at)?, b.u8(at + 2)?);
    if net != snet || node != snode {
        out.push_str(" [addr=");
        push_addr(out, net, node);
        out.push(']');
    }
    Ok(next)
}

/// aarp_print.
pub(super) fn aarp(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    out.push_str("aarp ");
    let b = Bytes::new(data, "aarp");
    if !b.has(0, AARP_SIZE) {
        mark(out, "aarp");
        return Ok(());
    }
    if length < AARP_SIZE {
        let _ = write!(out, " [|aarp {length}]");
        return Ok(());
    }
    let (htype, ptype, halen, palen) = (b.be16(0)?, b.be16(2)?, b.u8(4)?, b.u8(5)?);
    let op = b.be16(6)?;
    // The AT() macro: the last three bytes of a protocol address.
    let at = |out: &mut String, off: usize| -> Printed {
        push_addr(out, b.be16(off + 1)?, b.u8(off + 3)?);
        Ok(())
    };
    if htype == 1 && ptype == 0x809b && halen == 6 && palen == 4 {
        match op {
            1 | 3 => {
                out.push_str(if op == 1 { "who-has " } else { "probe " });
                at(out, 24)?;
                out.push_str(" tell ");
                at(out, 14)?;
                return Ok(());
            }
            2 => {
                out.push_str("reply ");
                at(out, 14)?;
                out.push_str(" is-at ");
                out.push_str(&mac_name(b.take(8, 6)?, p.opts.numeric));
                return Ok(());
            }
            _ => {}
        }
    }
    // C's %#x prints 0 without the 0x.
    let _ = write!(out, "len {length} op {op} htype {htype} ptype ");
    if ptype == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{ptype:#x}");
    }
    let _ = write!(out, " halen {halen} palen {palen}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps_as_runs_or_lists() {
        for (bm, want) in [
            (0u8, "<0>"),
            (1, "<0>"),
            (0x0f, "<0-3>"),
            (0xff, "<0-7>"),
            (0x12, "<1,4>"),
        ] {
            let mut out = String::new();
            bitmap(&mut out, bm);
            assert_eq!(out, want, "bitmap {bm:#x}");
        }
    }
}
